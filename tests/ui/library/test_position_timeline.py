"""The book panel's Position history through the real widgets and a real library: the timeline,
the jump-back line with its Restore button, Restore of a chosen position, and the restore
taken back and done again by Edit ▸ Undo and Redo."""

from __future__ import annotations

import functools
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow

from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.reading.device_positions import RESET_DEVICE
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.store.models import ALIAS_CONTENT, DocumentAlias, ReadingState
from bookorbit_desktop.services.library import position_history
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.services.undo import UndoService
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.library.device_positions import attach_device_positions
from bookorbit_desktop.ui.library.position_timeline import DEVICE, attach_position_timeline
from bookorbit_desktop.ui.library.undo_actions import UndoActions
from tests.factories import add_book
from tests.ui.shown import tooltip_text

NOW = int(time.time())


@pytest.fixture
def book(library):
    """A phone read to 63 % yesterday; a Kobo Clara opened the book afresh an hour ago."""
    book = add_book("Leaves of Grass", ("Walt Whitman",))
    DocumentAlias.create(document="doc", kind=ALIAS_CONTENT, book=book, created_at=NOW)
    for percentage, device, device_id, when in (
        (0.30, "Phone", "P1", NOW - 2 * 86_400),
        (0.63, "Phone", "P1", NOW - 86_400),
        (0.02, "Kobo Clara", "K1", NOW - 3_600),
    ):
        progress.record_push(
            Push("doc", f"/body/DocFragment[{int(percentage * 40) + 1}]/body/p", percentage,
                 device, device_id),
            timestamp=when,
        )  # fmt: skip
    return book


@pytest.fixture
def panel(qtbot, library):
    service = LibraryService(library)
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    devices = attach_device_positions(panel)
    box = attach_position_timeline(
        panel, devices, functools.partial(position_history.restore_later, library)
    )
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


def reload(qloop, box):
    async def scenario():
        loaded = signal_future(box.loaded)
        box.follow_changes()
        await loaded

    qloop.run_until_complete(scenario())


def restore_with(qloop, box, click):
    async def scenario():
        done = signal_future(box.restored)
        loaded = signal_future(box.loaded)
        click()
        await done
        await loaded

    qloop.run_until_complete(scenario())


def test_the_timeline_and_the_jump_back_line(qloop, panel, book):
    panel, box = panel
    show(qloop, panel, box, book.id)
    assert texts(box) == [
        ["2 % ↩", "part 1", "Kobo Clara", "1 hour ago"],
        ["63 %", "part 26", "Phone", "1 day ago"],
        ["30 %", "part 13", "Phone", "2 days ago"],
    ]
    assert tooltip_text(box.tree.topLevelItem(0).toolTip(0)) == (
        "jumped back: the book's progress was kept at 63 %"
    )
    assert box.notice_label.isVisibleTo(panel)
    assert box.notice_label.text() == "Kobo Clara jumped back from 63 % to 2 % — Restore 63 %?"
    assert box.notice_button.text() == "Restore 63 %"
    assert not box.restore_button.isEnabled()  # nothing chosen yet
    assert ReadingState.get_by_id(book.id).progress == pytest.approx(0.63)


def test_restore_from_the_window_is_undone_and_redone(qloop, qtbot, panel, book, library):
    panel, box = panel
    show(qloop, panel, box, book.id)
    kobo = progress.latest_position("doc")
    restore_with(qloop, box, box.notice_button.click)
    served = progress.latest_position("doc")
    assert (served.device, served.percentage) == (RESET_DEVICE, 0.63)
    assert served.timestamp > kobo.timestamp  # KOReader on the Kobo is offered it
    assert texts(box)[0][:3] == ["63 %", "part 26", "BookOrbit Desktop (restored)"]
    assert not box.notice_label.isVisibleTo(panel)

    window = QMainWindow()
    qtbot.addWidget(window)
    actions = UndoActions(UndoService(library), window, None)
    assert actions.undo_action.text() == "&Undo Restore 63 % of “Leaves of Grass”"
    actions.undo()
    back = progress.latest_position("doc")
    assert (back.percentage, back.timestamp) == (0.02, kobo.timestamp)
    reload(qloop, box)
    assert box.notice_label.text() == "Kobo Clara jumped back from 63 % to 2 % — Restore 63 %?"
    actions.redo()
    again = progress.latest_position("doc")
    assert (again.percentage, again.timestamp) == (0.63, served.timestamp)


def test_restore_a_chosen_position(qloop, panel, book):
    panel, box = panel
    show(qloop, panel, box, book.id)
    box.tree.setCurrentItem(box.tree.topLevelItem(2))  # the phone's 30 %
    assert box.restore_button.isEnabled()
    restore_with(qloop, box, box.restore_button.click)
    assert progress.latest_position("doc").percentage == 0.30
    assert ReadingState.get_by_id(book.id).progress == pytest.approx(0.30)


def test_the_jump_back_line_shows_a_device_name_as_it_is(qtbot, qloop, library, panel):
    """A device calls itself what its owner typed: the line shows those characters, never
    markup drawn from them."""
    book = add_book("Song of Myself", ("Walt Whitman",))
    DocumentAlias.create(document="other", kind=ALIAS_CONTENT, book=book, created_at=NOW)
    name = "<b>Kobo</b> & <i>Clara</i>"
    for percentage, device, device_id, when in (
        (0.63, "Phone", "P1", NOW - 86_400),
        (0.02, name, "K1", NOW - 3_600),
    ):
        progress.record_push(
            Push("other", "/body/DocFragment[3]/body/p", percentage, device, device_id),
            timestamp=when,
        )
    panel_widget, box = panel
    show(qloop, panel_widget, box, book.id)
    label = box.notice_label
    assert name in label.text()
    assert label.textFormat() == Qt.TextFormat.PlainText


def test_a_long_device_name_never_hides_the_percentage(qtbot, qloop, library, panel):
    """The device column gives way (elided, whole in its tooltip); the percentage shows whole
    at the panel's width."""
    book = add_book("Leaves of Grass", ("Walt Whitman",))
    DocumentAlias.create(document="leaves", kind=ALIAS_CONTENT, book=book, created_at=NOW)
    name = "Kobo Clara 2E of the living room, the one with the cracked corner " * 2
    progress.record_push(
        Push("leaves", "/body/DocFragment[3]/body/p", 0.634, name, "K1"), timestamp=NOW
    )
    panel_widget, box = panel
    panel_widget.resize(360, 700)
    show(qloop, panel_widget, box, book.id)
    box.tree.show()
    QApplication.processEvents()
    item = box.tree.topLevelItem(0)
    needed = box.tree.fontMetrics().horizontalAdvance(item.text(0))
    assert box.tree.columnWidth(0) >= needed  # "63 %" whole
    assert box.tree.header().length() <= box.tree.viewport().width() + 1  # nothing off the side
    assert name.strip() in item.toolTip(DEVICE)
