"""The Edit dialog through real widgets at 1366x768 on a real library: Ctrl+E and the context
menu open it for the selected books, a wrong value is shown and nothing is saved, the saved
values and cover reach the library with the user's marks, and several books share authors."""

from __future__ import annotations

import asyncio

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMainWindow

from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.user_edits import edited_fields
from bookorbit_desktop.services.library.edits import BookEditService
from bookorbit_desktop.ui.library.edit_actions import BookActions
from bookorbit_desktop.ui.library.view import LibraryView
from tests.factories import add_book
from tests.ui.library.shelf import show_library


def window_with_books(
    qtbot, library, saved: list[int] | None = None
) -> tuple[QMainWindow, LibraryView, BookActions]:
    window = QMainWindow()
    view = LibraryView()
    window.setCentralWidget(view)
    on_saved = saved.append if saved is not None else None
    actions = BookActions(BookEditService(library), window, view, on_saved)
    show_library(view, library)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window, view, actions


def save_button(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def click_save(qtbot, qloop, dialog) -> None:
    """Press Save; for several books, turn the app's loop until the check or the save it
    started (off the window's thread) is done."""
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    if dialog.run is not None and dialog.run.task is not None:
        qloop.run_until_complete(asyncio.wait([dialog.run.task]))


def test_ctrl_e_edits_the_selected_book_and_a_wrong_value_is_shown(qtbot, library, tmp_path):
    dune = add_book("Dnue", ("Frank Hebert",))
    add_book("Emma", ("Jane Austen",))
    window, view, actions = window_with_books(qtbot, library)
    view.select_book(dune.id)
    window.windowHandle().requestActivate()  # offscreen, activateWindow alone may not
    qtbot.waitUntil(window.isActiveWindow)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible())
    dialog = actions.dialog
    assert dialog.windowTitle() == "Edit “Dnue”"
    assert dialog.lines["authors"].text() == "Frank Hebert"
    dialog.lines["title"].setText("Dune")
    dialog.lines["language"].setText("klingonese")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "is not a language" in dialog.error_label.text()
    assert Book.get_by_id(dune.id).title == "Dnue"  # nothing saved

    dialog.lines["language"].setText("en")
    dialog.lines["authors"].setText("Frank Herbert")
    dialog.identifiers.add_row("isbn", "978-0-441-01359-3")
    cover = tmp_path / "cover.png"
    Image.new("RGB", (200, 300), (0, 0, 200)).save(cover)
    dialog.set_cover_file(str(cover))
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    stored = Book.get_by_id(dune.id)
    assert (stored.title, stored.author_names(), stored.isbn13) == (
        "Dune",
        ["Frank Herbert"],
        "9780441013593",
    )
    assert (library.data_dir / stored.cover_path).is_file()
    # Only the fields the user changed are the user's (the language was "en" already).
    assert edited_fields(dune.id) == {"title", "authors", "isbn", "identifiers", "cover"}
    assert window.statusBar().currentMessage() == "Saved the book."


def test_an_edit_of_several_books_asks_with_the_count_before_it_saves(qtbot, qloop, library):
    books = [add_book(f"Book {n}", ("X",)) for n in range(4)]
    window, view, actions = window_with_books(qtbot, library)
    view.table.selectAll()
    actions.edit_action.trigger()
    dialog = actions.dialog
    dialog.lines["authors"].setText("Ann Leckie")
    dialog.lines["language"].setText("fr")
    click_save(qtbot, qloop, dialog)
    assert dialog.isVisible() and not dialog.confirm_label.isHidden()
    assert dialog.confirm_label.text() == (
        "This changes the authors and languages of 4 books.\nEdit ▸ Undo takes it back."
    )
    assert save_button(dialog).text() == "Apply to 4 Books"
    assert {Book.get_by_id(b.id).language for b in books} == {"en"}  # nothing saved yet
    dialog.lines["language"].setText("de")  # other values: asked again
    qtbot.keyClick(dialog.lines["language"], Qt.Key.Key_Backspace)  # typed: "d"
    assert dialog.confirm_label.isHidden() and save_button(dialog).text() != "Apply to 4 Books"
    dialog.lines["language"].setText("de")
    click_save(qtbot, qloop, dialog)
    assert dialog.isVisible()
    assert {Book.get_by_id(b.id).language for b in books} == {"en"}
    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    assert {Book.get_by_id(b.id).language for b in books} == {"de"}
    assert window.statusBar().currentMessage() == "Saved 4 books."


def test_the_context_menu_edits_several_books_authors(qtbot, qloop, library):
    first = add_book("One", ("X",), series="Old", series_index=1.0)
    second = add_book("Two", ("Y",), series="Old", series_index=2.0)
    saved: list[int] = []
    window, view, actions = window_with_books(qtbot, library, saved)
    assert actions.edit_action in view.table.actions()
    assert view.table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    view.table.selectAll()
    actions.edit_action.trigger()
    dialog = actions.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Edit 2 Books"
    assert set(dialog.lines) == {"authors", "series", "language"}
    assert dialog.lines["authors"].text() == ""
    assert dialog.lines["authors"].placeholderText() == "(several values)"
    assert dialog.lines["series"].text() == "Old"
    dialog.lines["authors"].setText("Ann Leckie")
    click_save(qtbot, qloop, dialog)
    assert save_button(dialog).text() == "Apply to 2 Books"
    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    for book in (first, second):
        stored = Book.get_by_id(book.id)
        assert stored.author_names() == ["Ann Leckie"]
        assert (stored.series, edited_fields(book.id)) == ("Old", {"authors"})
    assert window.statusBar().currentMessage() == "Saved 2 books."
    assert sorted(saved) == sorted([first.id, second.id])  # the table refreshes these


def test_without_a_selection_the_status_bar_says_what_to_do(qtbot, library):
    add_book("One")
    window, view, actions = window_with_books(qtbot, library)
    view.clear_selection()
    view.table.setCurrentIndex(view.model.index(-1, -1))
    assert actions.edit_selected() is None
    assert window.statusBar().currentMessage() == "Select the books to edit first."


def test_esc_closes_an_untouched_edit_at_once_and_asks_once_a_field_changed(qtbot, library):
    dune = add_book("Dune", ("Frank Herbert",))
    Book.update(description="Arrakis.\r\nA desert planet.").where(Book.id == dune.id).execute()
    _window, view, actions = window_with_books(qtbot, library)
    view.select_book(dune.id)
    actions.edit_action.trigger()
    dialog = actions.dialog
    assert dialog.changed() == {}  # its line breaks as the box shows them are no change
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.question is None

    actions.edit_action.trigger()
    dialog = actions.dialog
    dialog.lines["title"].setText("Dune (1965)")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.question.text() == "Discard your changes?"
    [discard] = [b for b in dialog.question.buttons() if b.text() == "&Discard"]
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and Book.get_by_id(dune.id).title == "Dune"
