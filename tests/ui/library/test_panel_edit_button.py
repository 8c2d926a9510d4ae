"""The book panel's Edit… button opens Edit Metadata for the book the panel shows, in the
whole desktop app (its real window, table and panel)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.factories import add_book
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)


def test_the_panels_edit_button_edits_the_shown_book(desktop, qtbot):  # noqa: F811
    show_all(desktop, start_hidden=False)
    desktop.window.resize(1366, 768)
    add_book("Emma", ["Jane Austen"])
    dnue = add_book("Dnue", ["Frank Herbert"])
    desktop.controller.refresh()
    assert desktop.window.library_view.select_book(dnue.id)
    panel = desktop.window.book_panel
    qtbot.waitUntil(lambda: panel.book_id == dnue.id)
    assert not panel.edit_button.isHidden() and "Ctrl+E" in panel.edit_button.toolTip()
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = desktop.book_actions.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Edit “Dnue”"
