"""File ▸ Add calibre Library… in the real window: the dialog offers the library's own columns
for the reading status and its date columns for the finish date, shows the import's progress,
stops it on Cancel, and the books come in with calibre's fields."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox

from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.store.models import Book, ReadingState
from bookorbit_desktop.services.library.service import IMPORT_LOCK
from bookorbit_desktop.ui.library.calibre_import import NO_FINISH, NO_STATUS, CalibreDialog
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)

DATA = Path(__file__).parents[2] / "data" / "calibre"


def open_dialog(desktop, qloop, tmp_path) -> CalibreDialog:  # noqa: F811
    """The dialog opened from the File menu, on a copy of the calibre-made library."""
    show_all(desktop, start_hidden=False)
    calibre = shutil.copytree(DATA / "library", tmp_path / "calibre")
    [action] = [
        a for a in desktop.window.file_menu.actions() if a.text() == "Add &calibre Library…"
    ]
    action.trigger()
    run_until(qloop, lambda: desktop.window.findChild(CalibreDialog) is not None)
    dialog = desktop.window.findChild(CalibreDialog)
    assert not dialog.add.isEnabled() and not dialog.status.isEnabled()
    dialog.folder.setText(str(calibre))
    return dialog


def test_a_calibre_library_added_from_the_file_menu(desktop, qloop, tmp_path):  # noqa: F811
    dialog = open_dialog(desktop, qloop, tmp_path)
    offered = [dialog.status.itemText(i) for i in range(dialog.status.count())]
    # name and label; only the columns that can say it: a yes/no, a fixed list, a text
    assert offered == [NO_STATUS, "Read (#read)", "Status (#status)", "Shelf (#shelf)"]
    dates = [dialog.finish.itemText(i) for i in range(dialog.finish.count())]
    assert dates == [NO_FINISH, "Bought (#bought)", "Date read (#date_read)"]  # dates only
    assert not dialog.finish.isEnabled()  # it dates what the status column marks read
    dialog.status.setCurrentText("Read (#read)")
    assert dialog.finish.isEnabled()
    dialog.finish.setCurrentText("Date read (#date_read)")
    assert (dialog.status_column(), dialog.finished_column()) == ("#read", "#date_read")
    shown: list[tuple[int, int, str]] = []  # the bar and its words after each step shown
    show_step = dialog.show_step

    def seen(step) -> None:
        show_step(step)
        shown.append((dialog.bar.value(), dialog.bar.maximum(), dialog.step.text()))

    dialog.show_step = seen
    dialog.add.click()
    run_until(qloop, lambda: desktop.controller.calibre.message is not None)

    assert shown[-1] == (3, 3, "Books given calibre's fields: 3 of 3")
    assert (3, 3, "Files imported: 3 of 3") in shown
    box = desktop.controller.calibre.message
    assert box.windowTitle() == "calibre library added"
    assert box.text() == (
        "3 books in the calibre library; 3 new here, 3 given calibre's fields "
        "(Edit ▸ Undo takes them back in one step)."
    )
    assert desktop.window.findChild(CalibreDialog) is None or not dialog.isVisible()
    dune = Book.get(Book.title == "Dune")
    assert dune.publisher == "Chilton"
    state = ReadingState.get(ReadingState.book == dune.id)
    assert (state.status, state.finished) == ("read", "2021-05-06")

    # Added again (what changed in calibre since): the same library and columns offered.
    box.close()
    [action] = [
        a for a in desktop.window.file_menu.actions() if a.text() == "Add &calibre Library…"
    ]
    run_until(qloop, action.isEnabled)
    action.trigger()
    run_until(
        qloop,
        lambda: any(d.isVisible() for d in desktop.window.findChildren(CalibreDialog)),
    )
    [again] = [d for d in desktop.window.findChildren(CalibreDialog) if d.isVisible()]
    assert again.folder.text() == str(tmp_path / "calibre")
    assert (again.status_column(), again.finished_column()) == ("#read", "#date_read")
    again.reject()


def test_cancel_stops_the_import_and_the_dialog_closes_once_it_has(
    desktop,  # noqa: F811
    qloop,
    tmp_path,
):
    dialog = open_dialog(desktop, qloop, tmp_path)
    dialog.status.setCurrentText("Read (#read)")
    with IMPORT_LOCK:  # another import runs: this one waits for it, its dialog showing
        dialog.add.click()
        run_until(qloop, lambda: dialog.bar.isVisible())
        assert dialog.step.text() == "Starting…"
        assert not dialog.folder.isEnabled() and not dialog.add.isEnabled()
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
        dialog.close()  # closing waits for the import to stop, too
        assert dialog.isVisible()
        assert dialog.step.text() == "Stopping…"
        assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).isEnabled()
    run_until(qloop, lambda: desktop.controller.calibre.message is not None)

    box = desktop.controller.calibre.message
    assert box.windowTitle() == "calibre import cancelled"
    assert box.text() == (
        "Cancelled while the files were imported: 0 new here, no book given calibre's fields. "
        "Add the library again to go on."
    )
    assert Book.select().count() == 0
    assert steps.next_undo() is None
    assert desktop.controller.calibre.action.isEnabled()  # it may be added again


def test_the_library_row_has_its_shortcut_and_room_for_its_hint(qtbot):
    """The folder's label shows "Library:" with Alt+L moving to the field (not a literal
    "&Library:"), and the field shows its hint whole."""
    dialog = CalibreDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    form = dialog.layout()
    label = form.labelForField(form.itemAt(0, form.ItemRole.FieldRole).layout())
    assert label.text() == "&Library:" and label.buddy() is dialog.folder
    hint = dialog.folder.fontMetrics().horizontalAdvance(dialog.folder.placeholderText())
    assert dialog.folder.width() > hint
