"""Edit ▸ Undo and Redo in the whole desktop app (its real window, menus and table): named for
their step, enabled only when there is one, on the platform's keys, and a field changed since
named in a message."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from bookorbit_desktop.library.store.models import Book
from tests.factories import add_book
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)


def edit_menu(desktop):  # noqa: F811
    menu = desktop.window.menuBar().actions()[1].menu()
    menu.aboutToShow.emit()  # what opening it does
    return {action.text(): action for action in menu.actions()}


def edited(desktop, book, title):  # noqa: F811
    view = desktop.window.library_view
    assert view.select_book(book.id)
    dialog = desktop.book_actions.edit_selected()
    dialog.lines["title"].setText(title)
    dialog.save()


def test_undo_and_redo_are_named_for_their_step_and_take_the_keys(desktop, qtbot, qloop):  # noqa: F811
    show_all(desktop, start_hidden=False)
    dnue = add_book("Dnue", ["Frank Herbert"])
    desktop.controller.refresh()
    actions = edit_menu(desktop)
    assert not actions["&Undo"].isEnabled() and not actions["&Redo"].isEnabled()
    assert actions["&Undo"].shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert actions["&Redo"].shortcut() == QKeySequence(QKeySequence.StandardKey.Redo)

    edited(desktop, dnue, "Dune")
    actions = edit_menu(desktop)
    assert actions["&Undo Edit “Dnue”"].isEnabled()
    assert not actions["&Redo"].isEnabled()

    window = desktop.window
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    view = window.library_view
    view.table.setFocus()
    undo_keys = QKeySequence(QKeySequence.StandardKey.Undo)[0]
    qtbot.keyClick(view.table, undo_keys.key(), undo_keys.keyboardModifiers())
    assert Book.get_by_id(dnue.id).title == "Dnue"
    assert window.statusBar().currentMessage() == "Undid Edit “Dnue”."
    run_until(qloop, lambda: view.model.book_at(view.model.row_of(dnue.id)).title == "Dnue")
    actions = edit_menu(desktop)
    assert not actions["&Undo"].isEnabled()
    assert actions["&Redo Edit “Dnue”"].isEnabled()

    redo_keys = QKeySequence(QKeySequence.StandardKey.Redo)[0]
    qtbot.keyClick(view.table, redo_keys.key(), redo_keys.keyboardModifiers())
    assert Book.get_by_id(dnue.id).title == "Dune"
    assert edit_menu(desktop)["&Undo Edit “Dnue”"].isEnabled()


def test_a_field_changed_since_is_named_in_a_message(desktop, qtbot):  # noqa: F811
    show_all(desktop, start_hidden=False)
    emma = add_book("Emma", ["Jane Austen"])
    desktop.controller.refresh()
    edited(desktop, emma, "Emma.")
    Book.update(title="Emma, a Novel").where(Book.id == emma.id).execute()  # an import, say
    undo = desktop.book_actions.undo
    undo.refresh()
    undo.undo_action.trigger()
    qtbot.waitUntil(lambda: undo.box is not None and undo.box.isVisible())
    assert undo.box.text() == (
        "Undid Edit “Emma”.\nLeft as it is: “Emma, a Novel”: title left as it is (changed since)."
    )
    assert Book.get_by_id(emma.id).title == "Emma, a Novel"
    undo.box.button(undo.box.StandardButton.Ok).click()


def test_a_title_with_an_ampersand_is_shown_as_written(desktop):  # noqa: F811
    show_all(desktop, start_hidden=False)
    book = add_book("Pride & Prejudice", ["Jane Austen"])
    desktop.controller.refresh()
    edited(desktop, book, "Pride and Prejudice")
    assert "&Undo Edit “Pride && Prejudice”" in edit_menu(desktop)


def test_the_book_panel_lists_the_books_changes(desktop, qtbot):  # noqa: F811
    show_all(desktop, start_hidden=False)
    dnue = add_book("Dnue", ["Frank Herbert"])
    other = add_book("Emma", ["Jane Austen"])
    desktop.controller.refresh()
    history = desktop.book_actions.history
    view = desktop.window.library_view
    assert view.select_book(other.id)
    qtbot.waitUntil(lambda: desktop.window.book_panel.book_id == other.id)
    assert history.isHidden()  # nothing kept for this book

    edited(desktop, dnue, "Dune")
    qtbot.waitUntil(lambda: desktop.window.book_panel.book_id == dnue.id)
    qtbot.waitUntil(lambda: not history.isHidden())
    assert history.text.text().endswith("  Edit “Dnue”: title: Dnue → Dune")
    desktop.book_actions.undo.undo_action.trigger()
    assert history.text.text().endswith("  Edit “Dnue” (undone): title: Dnue → Dune")


def test_undo_of_a_tidy_moves_the_files_back_off_the_window_s_thread(
    library, qtbot, qloop, tmp_path
):
    """A tidy is undone in a worker thread; both keys wait until it is done."""
    from pathlib import Path

    from PySide6.QtWidgets import QMainWindow

    from bookorbit_desktop.library.files import mover
    from bookorbit_desktop.library.store.models import BookFile
    from bookorbit_desktop.library.store.settings import set_setting
    from bookorbit_desktop.services.undo import UndoService
    from bookorbit_desktop.ui.library.undo_actions import UndoActions
    from tests.factories import make_epub

    set_setting("library.tidy_folder", str(tmp_path / "Library"))
    old = make_epub(tmp_path / "in" / "e.epub", "Emma")
    book = add_book("Emma", ["Jane Austen"], file=old)
    mover.tidy(mover.preview())
    window = QMainWindow()
    qtbot.addWidget(window)
    actions = UndoActions(UndoService(library), window, None)
    assert actions.undo_action.text() == "&Undo Tidy File Names (1 file)"
    assert actions.undo() is None  # started, not done on this thread
    assert actions.moving is not None and not actions.undo_action.isEnabled()
    qloop.run_until_complete(actions.moving)
    assert BookFile.get(BookFile.book == book.id).path == str(old) and Path(old).is_file()
    assert window.statusBar().currentMessage() == "Undid Tidy File Names (1 file)."
    assert actions.redo_action.isEnabled() and actions.moving is None
