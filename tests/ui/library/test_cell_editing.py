"""Editing the library table's cells in place, through real widgets at 1366x768 on a real
library: F2 opens the cell's editor with the value as the Edit dialog shows it, Enter saves it
through the dialog's checks as one step of Undo, a wrong value is shown and nothing saved, and
a double-click edits only when Settings says so (off, it opens the book)."""

from __future__ import annotations

import asyncio
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLineEdit, QMessageBox, QWidget

from bookorbit_desktop.library.editing.removal import remove_books
from bookorbit_desktop.library.store.models import Book, ReadingState
from bookorbit_desktop.library.tags.store import book_tags, set_book_tags
from bookorbit_desktop.services.library.cell_edits import (
    double_click_edits,
    set_double_click_edits,
)
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from tests.factories import add_book
from tests.ui.library.test_edit_dialog import window_with_books


def stored(book_id: int) -> dict:
    book = Book.get_by_id(book_id)
    return {
        "title": book.title,
        "authors": book.author_names(),
        "series": (book.series, book.series_index),
        "tags": book_tags([book_id])[book_id],
        "rating": ReadingState.get(ReadingState.book == book_id).rating,
        "publisher": book.publisher,
        "pages": book.pages,
    }


@pytest.fixture
def table(qtbot, library):
    book = add_book("Dnue", ("Frank Hebert",), series="Dune", series_index=1.0)
    set_book_tags(book.id, ["sf"], time.time())
    window, view, actions = window_with_books(qtbot, library)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.select_book(book.id)
    return book, window, view, actions


def cell_editor(view):
    children = view.table.viewport().findChildren(QWidget)
    editors = [w for w in children if isinstance(w, QLineEdit | QComboBox) and w.isVisible()]
    return editors[0] if editors else None


def commit(qtbot, qloop, view, editor) -> None:
    """Enter in the editor: the table closes it once its loop turns, and the save it started
    off the window's thread is awaited."""
    delegate = view.table.itemDelegate()
    started = delegate.saving
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.table.state() != QAbstractItemView.State.EditingState)
    if delegate.saving is not started:
        qloop.run_until_complete(asyncio.wait([delegate.saving]))


def press_f2(qtbot, view, key: str):
    index = view.model.index(0, COLUMN_KEYS.index(key))
    view.table.setCurrentIndex(index)
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    editor = cell_editor(view)
    assert editor is not None and view.table.state() == QAbstractItemView.State.EditingState
    return editor


@pytest.mark.parametrize(
    ("key", "shown", "typed", "saved"),
    [
        ("title", "Dnue", "Dune", "Dune"),
        ("authors", "Frank Hebert", "Frank Herbert & Brian Herbert",
         ["Frank Herbert", "Brian Herbert"]),
        ("series", "Dune #1", "Dune Chronicles #2.5", ("Dune Chronicles", 2.5)),
        ("tags", "sf", "sf, classics", ["classics", "sf"]),
        ("publisher", "", "Chilton Books", "Chilton Books"),
        ("pages", "", "412", 412),
    ],
)  # fmt: skip
def test_f2_edits_the_cell_as_one_step_of_undo(qtbot, qloop, table, key, shown, typed, saved):
    book, _window, view, actions = table
    before = stored(book.id)
    editor = press_f2(qtbot, view, key)
    assert isinstance(editor, QLineEdit) and editor.text() == shown
    editor.selectAll()
    qtbot.keyClicks(editor, typed)
    commit(qtbot, qloop, view, editor)
    after = stored(book.id)
    assert after[key] == saved
    assert {name for name in after if after[name] != before[name]} == {key}
    assert actions.undo.undo_action.text() in ("&Undo Edit “Dnue”", "&Undo Change Tags of “Dnue”")
    actions.undo.undo_action.trigger()
    assert stored(book.id) == before
    assert not actions.undo.undo_action.isEnabled()  # the edit was one step
    actions.undo.redo_action.trigger()
    assert stored(book.id) == after


def test_the_rating_is_chosen_from_a_list(qtbot, qloop, table):
    book, _window, view, actions = table
    editor = press_f2(qtbot, view, "rating")
    assert isinstance(editor, QComboBox) and editor.currentText() == "No rating"
    editor.setCurrentIndex(editor.findData("4.5"))
    commit(qtbot, qloop, view, editor)
    assert stored(book.id)["rating"] == 4.5
    actions.undo.undo_action.trigger()
    assert stored(book.id)["rating"] is None
    actions.undo.redo_action.trigger()
    assert stored(book.id)["rating"] == 4.5


def test_a_wrong_value_is_shown_and_nothing_saved(qtbot, qloop, table):
    book, window, view, actions = table
    before = stored(book.id)
    editor = press_f2(qtbot, view, "pages")
    qtbot.keyClicks(editor, "many")
    commit(qtbot, qloop, view, editor)
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 1 and "'many' is not a page count" in boxes[0].text()
    assert stored(book.id) == before
    assert not actions.undo.undo_action.isEnabled()


def test_a_book_removed_while_its_cell_is_edited_is_named(qtbot, qloop, table, library):
    book, window, view, _actions = table
    editor = press_f2(qtbot, view, "title")
    qtbot.keyClicks(editor, "Dune")
    remove_books([book.id], library, trash_files=False)
    commit(qtbot, qloop, view, editor)
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 1 and f"There is no book with id {book.id}" in boxes[0].text()


def test_esc_or_the_same_text_saves_nothing(qtbot, qloop, table):
    book, _window, view, actions = table
    editor = press_f2(qtbot, view, "title")
    qtbot.keyClicks(editor, "Other")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: cell_editor(view) is None)
    press_f2(qtbot, view, "series")
    commit(qtbot, qloop, view, cell_editor(view))  # "Dune #1" as it was
    assert stored(book.id)["title"] == "Dnue" and stored(book.id)["series"] == ("Dune", 1.0)
    assert not actions.undo.undo_action.isEnabled()


def test_a_repaint_of_the_row_keeps_what_is_typed(qtbot, qloop, table):
    book, _window, view, _actions = table
    editor = press_f2(qtbot, view, "title")
    editor.selectAll()
    qtbot.keyClicks(editor, "Dune")
    index = view.model.index(0, COLUMN_KEYS.index("title"))
    view.model.dataChanged.emit(index, index)  # what a reload of the row sends
    assert editor.text() == "Dune"
    commit(qtbot, qloop, view, editor)
    assert stored(book.id)["title"] == "Dune"


def test_a_double_click_edits_only_when_settings_say_so(qtbot, table):
    _book, _window, view, _actions = table
    title = view.model.index(0, COLUMN_KEYS.index("title"))
    status = view.model.index(0, COLUMN_KEYS.index("status"))  # a column never edited

    def double_click(index) -> None:
        centre = view.table.visualRect(index).center()
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)

    assert not double_click_edits()  # off to start: a double-click opens the book
    with qtbot.waitSignal(view.table.activated, timeout=1000):
        double_click(title)
    assert cell_editor(view) is None
    set_double_click_edits(True)
    with qtbot.assertNotEmitted(view.table.activated):
        double_click(title)
    editor = cell_editor(view)
    assert isinstance(editor, QLineEdit) and editor.text() == "Dnue"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: cell_editor(view) is None)
    with qtbot.waitSignal(view.table.activated, timeout=1000):
        double_click(status)
    assert cell_editor(view) is None
