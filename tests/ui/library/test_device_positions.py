"""The book panel's Devices section through the real widgets: each device's position read off
the window's thread, and the reset confirmation for every device or one (real SQLite)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QLabel

from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.reading.device_positions import RESET_DEVICE
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.store.models import ALIAS_CONTENT, DocumentAlias, ReadingState
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.library.device_positions import ago, attach_device_positions
from tests.factories import add_book
from tests.ui.shown import tooltip_text

NOW = 1_790_000_000


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "just now"),
        (59, "just now"),
        (60, "1 minute ago"),
        (150, "2 minutes ago"),
        (7_200, "2 hours ago"),
        (86_400, "1 day ago"),
        (86_400 * 45, "1 month ago"),
        (86_400 * 800, "2 years ago"),
        (-30, "just now"),  # a device clock ahead of ours
    ],
)
def test_ago(seconds, text):
    assert ago(NOW - seconds, NOW) == text


@pytest.fixture
def book(library):
    book = add_book("Leaves of Grass", ("Walt Whitman",))
    DocumentAlias.create(document="doc", kind=ALIAS_CONTENT, book=book, created_at=time.time())
    progress.record_push(
        Push("doc", "/body/DocFragment[9]/body/p", 0.3, "Kobo", "K1"), timestamp=NOW - 7_200
    )
    progress.record_push(Push("doc", "56", 0.6, "Phone <b>x</b>", "P1"), timestamp=NOW - 120)
    return book


@pytest.fixture
def panel(qtbot, library):
    service = LibraryService(library)
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    box = attach_device_positions(panel)
    box._clock = lambda: NOW
    return panel, box


def texts(box):
    tree = box.tree
    return [
        [tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
        for i in range(tree.topLevelItemCount())
    ]


def show(qloop, panel, box, book_id):
    async def scenario():
        loaded = signal_future(box.loaded)
        panel.show_book(book_id)
        await loaded

    qloop.run_until_complete(scenario())


def test_the_panel_shows_each_device_newest_first(qloop, panel, book):
    panel, box = panel
    show(qloop, panel, box, book.id)
    assert box.isVisibleTo(panel)
    assert texts(box) == [
        ["Phone <b>x</b>", "60 %", "page 56", "2 minutes ago"],
        ["Kobo", "30 %", "/body/DocFragment[9]/body/p", "2 hours ago"],
    ]
    tip = tooltip_text(box.tree.topLevelItem(1).toolTip(3))
    assert tip.startswith(time.strftime("%Y-%m-%d", time.localtime(NOW - 7_200)))
    assert box.reset_button.isEnabled()
    panel.show_book(None)
    assert not box.isVisibleTo(panel)


def test_a_book_no_device_synced_says_so(qloop, panel, library):
    panel, box = panel
    other = add_book("Unread")
    show(qloop, panel, box, other.id)
    assert texts(box) == [] and box.empty_label.isVisibleTo(panel)
    assert not box.reset_button.isEnabled()


def confirm(qloop, box, choose):
    async def scenario():
        opened = signal_future(box.dialog_opened)
        task = box.reset_clicked()
        (dialog,) = await opened
        shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert "Leaves of Grass" in shown and "nothing is sent to Hardcover" in shown
        choose(dialog)
        await task

    qloop.run_until_complete(scenario())


def test_reset_every_device_after_confirming(qloop, panel, book):
    panel, box = panel
    show(qloop, panel, box, book.id)
    confirm(qloop, box, lambda dialog: dialog.ok_button.click())
    assert [row[1:] for row in texts(box)] == [
        ["0 %", "at the start", "reset just now"],
        ["0 %", "at the start", "reset just now"],
    ]
    pulled = progress.latest_position("doc")
    assert pulled is not None and (pulled.device, pulled.percentage) == (RESET_DEVICE, 0.0)
    assert ReadingState.get_by_id(book.id).progress == pytest.approx(0.6)


def test_reset_one_device(qloop, panel, book):
    panel, box = panel
    show(qloop, panel, box, book.id)

    def only_phone(dialog):
        assert set(dialog.device_buttons) == {"P1", "K1"}
        assert dialog.every_device.isChecked()
        dialog.device_buttons["P1"].setChecked(True)
        dialog.ok_button.click()

    confirm(qloop, box, only_phone)
    rows = {row[0]: row[1:3] for row in texts(box)}
    # The Kobo reads the same document: a pull cannot tell it from the phone, so it is
    # offered the start too, and the panel says so.
    assert rows == {
        "Phone <b>x</b>": ["0 %", "at the start"],
        "Kobo": ["0 %", "at the start"],
    }
    pulled = progress.latest_position("doc")
    assert pulled is not None and (pulled.progress, pulled.device_id) == ("1", "bookorbit-reset:P1")


def test_cancelling_the_confirmation_resets_nothing(qloop, panel, book):
    panel, box = panel
    show(qloop, panel, box, book.id)
    confirm(qloop, box, lambda dialog: dialog.reject())
    assert [row[1] for row in texts(box)] == ["60 %", "30 %"]
    pulled = progress.latest_position("doc")
    assert pulled is not None and pulled.device == "Phone <b>x</b>"


def test_a_push_while_the_book_is_shown_appears_when_changes_are_followed(qloop, panel, book):
    panel, box = panel
    show(qloop, panel, box, book.id)
    progress.record_push(Push("doc", "57", 0.61, "Phone <b>x</b>", "P1"), timestamp=NOW - 60)

    async def scenario():
        loaded = signal_future(box.loaded)
        assert box.follow_changes() is not None
        await loaded

    qloop.run_until_complete(scenario())
    assert texts(box)[0] == ["Phone <b>x</b>", "61 %", "page 57", "1 minute ago"]
    panel.show_book(None)
    assert box.follow_changes() is None  # no book shown: nothing to read
