"""Unlinked KOReader documents: listed from real pushes, linked to a real book."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.store import queries
from bookorbit_desktop.library.store.models import ProgressEvent
from bookorbit_desktop.services.library import unlinked
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.library.unlinked_view import UnlinkedView
from tests.factories import add_book
from tests.ui.shown import tooltip_text

DOCUMENT = "0123456789abcdef0123456789abcdef"


def push(document=DOCUMENT, percentage=0.31, title=None, timestamp=1_763_750_000):
    metadata = progress.DocumentMetadata(title=title) if title else None
    progress.record_push(
        progress.Push(document, "/body/DocFragment[3]", percentage, "Kobo Libra", "dev1", metadata),
        timestamp=timestamp,
    )


@pytest.fixture
def books(library):
    return [add_book("Dune", ["Frank Herbert"]), add_book("Piranesi", ["Susanna Clarke"])]


@pytest.fixture
def view(qtbot, library, books):
    linked_books = []
    service = LibraryService(library)
    view = UnlinkedView(
        unlinked.list_unlinked,
        lambda document, book_id: unlinked.link(
            document, book_id, on_reading_changed=linked_books.append
        ),
        service.list_books,
    )
    view.reading_changes = linked_books
    qtbot.addWidget(view)
    return view


def test_empty_state(view):
    view.refresh()
    assert view.count == 0
    assert view._stack.currentWidget() is view.empty_label
    assert not view.link_button.isEnabled()


def test_lists_pushes_of_unknown_documents(view):
    push()
    push("ffffffffffffffffffffffffffffffff", 0.5, title="Piranesi")
    view.refresh()
    assert view.count == 2
    texts = [view.tree.topLevelItem(i).text(0) for i in range(2)]
    assert texts == ["Piranesi", "Document 0123456789ab…"]
    item = view.tree.topLevelItem(1)
    assert [item.text(c) for c in range(1, 5)][:2] == ["Kobo Libra", "31 %"]
    assert tooltip_text(item.toolTip(0)).endswith(DOCUMENT)
    assert not view.link_button.isEnabled()
    view.tree.setCurrentItem(item)
    assert view.link_button.isEnabled()


def test_linking_moves_the_history_to_the_chosen_book(view, books, qloop, qtbot):
    push(percentage=0.2, timestamp=1_763_750_000)
    push(percentage=0.31, timestamp=1_763_760_000)
    view.refresh()
    view.tree.setCurrentItem(view.tree.topLevelItem(0))
    piranesi = books[1]

    async def scenario():
        opened = signal_future(view.chooser_opened)
        task = view.link_selected()
        (chooser,) = await opened
        assert view.link_selected() is None  # one link at a time
        qtbot.keyClicks(chooser.filter_edit, "piranesi")
        assert chooser.model.rowCount() == 1
        chooser.table.selectRow(0)
        assert chooser.ok_button.isEnabled()
        with qtbot.waitSignal(view.message) as message:
            qtbot.mouseClick(chooser.ok_button, Qt.MouseButton.LeftButton)
            await task
        return message.args[0]

    text = qloop.run_until_complete(scenario())
    assert text == "Linked “Document 0123456789ab…” to “Piranesi”; 2 syncs moved to it."
    assert view.count == 0
    events = ProgressEvent.select().where(ProgressEvent.document == DOCUMENT)
    assert {event.book_id for event in events} == {piranesi.id}
    reading = queries.get_book(piranesi.id)["reading"]
    assert reading["status"] == "reading"
    assert reading["progress"] == pytest.approx(0.31)
    assert view.reading_changes == [piranesi.id]
    assert view.link_button.isEnabled() is False  # nothing left to link


def test_cancelling_the_chooser_links_nothing(view, qloop):
    push(title="Dune")  # no metadata match: "Dune" alone has no author to confirm it
    view.refresh()
    view.tree.setCurrentItem(view.tree.topLevelItem(0))

    async def scenario():
        opened = signal_future(view.chooser_opened)
        task = view.link_selected()
        (chooser,) = await opened
        assert chooser.filter_edit.text() == "Dune"  # the title KOReader sent
        chooser.reject()
        await task

    qloop.run_until_complete(scenario())
    assert view.count == 1
    assert ProgressEvent.get().book_id is None
    assert view.link_button.isEnabled()


def test_a_link_that_fails_shows_why(view, books, qloop, qtbot):
    push()
    view.refresh()
    view.tree.setCurrentItem(view.tree.topLevelItem(0))
    books[0].delete_instance()  # the book disappears while the dialog is open

    async def scenario():
        opened = signal_future(view.chooser_opened)
        task = view.link_selected()
        (chooser,) = await opened
        chooser.model.set_books(
            [{"id": books[0].id, "title": "Dune", "authors": [], "status": "unread"}]
        )
        chooser.table.selectRow(0)
        chooser.accept()
        await task

    qloop.run_until_complete(scenario())
    (box,) = view.findChildren(QMessageBox)
    assert box.windowTitle() == "Not found"
    assert "no book with id" in box.text()
    assert view.count == 1  # still unlinked, nothing lost
    assert ProgressEvent.get().book_id is None


def test_the_link_prompt_shows_what_a_device_sent_as_plain_text(qtbot, library):
    """A title or device name such as `<img src=…>` is text, never drawn as HTML."""
    progress.record_push(
        progress.Push(
            DOCUMENT,
            "/body/DocFragment[3]",
            0.31,
            "<b>Kobo</b>",
            "dev1",
            progress.DocumentMetadata(title="<img src=x>"),
        ),
        timestamp=1_763_750_000,
    )
    view = UnlinkedView(unlinked.list_unlinked, lambda document, book_id: None, lambda: [])
    qtbot.addWidget(view)
    view.refresh()
    (row,) = unlinked.list_unlinked()
    chooser = view.make_chooser(row)
    qtbot.addWidget(chooser)
    assert chooser.prompt_label.textFormat() is Qt.TextFormat.PlainText
    assert "<b>Kobo</b>" in chooser.prompt_label.text()
