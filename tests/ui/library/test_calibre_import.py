"""File ▸ Add calibre Library… in the real window: the dialog offers the library's own columns
for the reading status, and the books come in with calibre's fields."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox

from bookorbit_desktop.library.store.models import Book, ReadingState
from bookorbit_desktop.ui.library.calibre_import import NO_STATUS, CalibreDialog
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)

DATA = Path(__file__).parents[2] / "data" / "calibre"


def test_a_calibre_library_added_from_the_file_menu(desktop, qloop, tmp_path):  # noqa: F811
    show_all(desktop, start_hidden=False)
    calibre = shutil.copytree(DATA / "library", tmp_path / "calibre")
    [action] = [
        a for a in desktop.window.file_menu.actions() if a.text() == "Add &calibre Library…"
    ]
    action.trigger()
    run_until(qloop, lambda: desktop.window.findChild(CalibreDialog) is not None)
    dialog = desktop.window.findChild(CalibreDialog)
    add = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not add.isEnabled() and not dialog.status.isEnabled()

    dialog.folder.setText(str(calibre))
    offered = [dialog.status.itemText(i) for i in range(dialog.status.count())]
    assert offered[:3] == [NO_STATUS, "#read", "#status"]
    dialog.status.setCurrentText("#read")
    add.click()
    run_until(qloop, lambda: desktop.controller.calibre.message is not None)

    box = desktop.controller.calibre.message
    assert box.windowTitle() == "calibre library added"
    assert box.text() == (
        "3 books in the calibre library; 3 new here, 3 given calibre's fields "
        "(Edit ▸ Undo takes them back in one step)."
    )
    dune = Book.get(Book.title == "Dune")
    assert dune.publisher == "Chilton"
    assert ReadingState.get(ReadingState.book == dune.id).status == "read"
