"""Edit and Remove in the whole desktop app (its real window, table and book panel): an edit
shows in the table and the panel, a removal takes the row away and empties the panel."""

from __future__ import annotations

import asyncio
import time

from PySide6.QtCore import Qt

from tests.factories import add_book
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)


def test_an_edit_shows_in_the_table_and_the_panel(desktop, qtbot):  # noqa: F811
    show_all(desktop, start_hidden=False)
    desktop.window.resize(1366, 768)
    dnue = add_book("Dnue", ["Frank Herbert"])
    desktop.controller.refresh()
    view = desktop.window.library_view
    assert view.select_book(dnue.id)
    dialog = desktop.book_actions.edit_selected()
    assert dialog is not None
    dialog.lines["title"].setText("Dune")
    dialog.save()
    panel = desktop.window.book_panel
    qtbot.waitUntil(lambda: panel.title_label.text() == "Dune")
    row = view.model.row_of(dnue.id)
    assert view.model.book_at(row).title == "Dune"


def run_until(qloop, condition, timeout: float = 5.0) -> None:
    """Turn the app's loop (the reload runs on it, off the window's thread) until `condition`."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        qloop.run_until_complete(asyncio.sleep(0.02))


def test_a_removal_takes_the_row_away(desktop, qtbot, qloop):  # noqa: F811
    show_all(desktop, start_hidden=False)
    dune = add_book("Dune", ["Frank Herbert"])
    add_book("Emma", ["Jane Austen"])
    desktop.controller.refresh()
    view = desktop.window.library_view
    assert view.select_book(dune.id)
    dialog = desktop.book_actions.remove_selected()
    assert dialog is not None
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    run_until(qloop, lambda: view.count_label.text() == "1 book")
    assert desktop.window.book_panel.book_id is None


def test_the_edit_menu_follows_file(desktop):  # noqa: F811
    titles = [action.text() for action in desktop.window.menuBar().actions()]
    assert titles[:3] == ["&File", "&Edit", "&View"]
    edit = desktop.window.menuBar().actions()[1].menu()
    assert [action.text() for action in edit.actions()] == [
        "&Undo",
        "&Redo",
        "",
        "&Edit Metadata…",
        "&Remove from Library…",
        "&Authors…",
        "&Write Metadata into File…",
        "Restore File from &Backup…",
    ]
