"""The Remove dialog through real widgets at 1366x768 on a real library: Delete in the table
asks first and names what goes, Cancel keeps the book, Remove drops the record and keeps the
file unless the box is ticked, and then the file goes to the trash."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from bookorbit_desktop.library.editing.trash import trash_supported
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.store.models import Book
from tests.factories import make_epub
from tests.ui.library.test_edit_dialog import window_with_books


@pytest.fixture
def dune(library, tmp_path):
    make_epub(tmp_path / "books" / "dune.epub", "Dune", ("Frank Herbert",))
    make_epub(tmp_path / "books" / "emma.epub", "Emma", ("Jane Austen",))
    import_paths([tmp_path / "books"], library, workers=0)
    return Book.get(Book.title == "Dune")


def press_delete(qtbot, window, view, book_id):
    view.select_book(book_id)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)


def test_delete_asks_and_cancel_keeps_the_book(qtbot, library, dune, tmp_path):
    window, view, actions = window_with_books(qtbot, library)
    press_delete(qtbot, window, view, dune.id)
    qtbot.waitUntil(lambda: actions.remove_dialog is not None and actions.remove_dialog.isVisible())
    dialog = actions.remove_dialog
    assert dialog.windowTitle() == "Remove Book"
    assert dialog.listing.toPlainText() == f"Dune\n    {tmp_path / 'books' / 'dune.epub'}"
    assert "KOReader progress, reading history and highlights stay" in dialog.kept_note.text()
    assert not dialog.trash_box.isChecked()
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible()
    assert Book.get_or_none(Book.id == dune.id) is not None


def test_remove_keeps_the_file_unless_ticked(qtbot, library, dune, tmp_path):
    removed = []
    window, view, actions = window_with_books(qtbot, library)
    actions.on_removed = lambda: removed.append(True)
    view.select_book(dune.id)
    actions.remove_action.trigger()
    dialog = actions.remove_dialog
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert Book.get_or_none(Book.id == dune.id) is None
    assert (tmp_path / "books" / "dune.epub").is_file()
    assert removed == [True]
    assert window.statusBar().currentMessage() == "Removed the book."


@pytest.mark.skipif(not trash_supported(), reason="the freedesktop trash is for Linux")
def test_ticking_the_box_moves_the_file_to_the_trash(qtbot, library, dune, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    _window, view, actions = window_with_books(qtbot, library)
    view.select_book(dune.id)
    actions.remove_action.trigger()
    dialog = actions.remove_dialog
    assert dialog.trash_box.isEnabled()
    assert dialog.trash_box.text() == "Also move the file to the trash"
    dialog.trash_box.setChecked(True)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert not (tmp_path / "books" / "dune.epub").exists()
    assert (tmp_path / "share" / "Trash" / "files" / "dune.epub").is_file()
