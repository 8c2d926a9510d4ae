"""File ▸ Restore Library from Backup… in the real window, up to where the app quits to
restore: the chooser, the check that refuses a bad file, the question, a library another
process owns, and the entries that are off while a backup or a restore runs. The restore and
the restart themselves: tests/ui/test_restore_in_app.py."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.backup import backup_library
from bookorbit_desktop.services.library import backups
from bookorbit_desktop.ui.library.backup_action import start_folder
from bookorbit_desktop.ui.library.restore_action import RESTORE_BUTTON, TITLE, question
from tests.factories import add_book
from tests.library.store.test_backup import fingerprint, titles
from tests.ui.library.test_backup_action import a_backup_running
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)

ENTRY = "&Restore Library from Backup…"


def entry_of(desktop):  # noqa: F811
    [action] = [a for a in desktop.window.file_menu.actions() if a.text() == ENTRY]
    return action


def shown(desktop, qloop, kind):  # noqa: F811
    """What the restore shows next (the chooser or a message), once it is showing."""
    restore = desktop.restore
    run_until(qloop, lambda: restore.asking is not None and isinstance(restore.asking.shown, kind))
    dialog = restore.asking.shown
    run_until(qloop, dialog.isVisible)
    return dialog


def type_and_open(chooser: QFileDialog, path: Path) -> None:
    """Type `path` in the chooser's file name field and press Open, as a user does (a file
    selected by `selectFile` in another folder is chosen only once that folder has loaded)."""
    [name] = [e for e in chooser.findChildren(QLineEdit) if e.objectName() == "fileNameEdit"]
    name.setText(str(path))
    chooser.accept()


def choose(desktop, qloop, archive: Path) -> None:  # noqa: F811
    entry_of(desktop).trigger()
    chooser = shown(desktop, qloop, QFileDialog)
    assert chooser.acceptMode() == QFileDialog.AcceptMode.AcceptOpen
    assert chooser.fileMode() == QFileDialog.FileMode.ExistingFile
    assert chooser.directory().absolutePath() == str(start_folder())
    type_and_open(chooser, archive)


def a_backup_then_one_book_more(desktop, tmp_path) -> Path:  # noqa: F811
    show_all(desktop, start_hidden=False)
    add_book("Dune", ["Frank Herbert"])
    add_book("Emma", ["Jane Austen"])
    archive = backup_library(desktop.paths, tmp_path / "saved.zip").archive
    add_book("Added after the backup", ["Someone"])
    return archive


def test_the_question_says_what_will_happen_and_cancel_changes_nothing(desktop, qloop, tmp_path):  # noqa: F811
    archive = a_backup_then_one_book_more(desktop, tmp_path)
    choose(desktop, qloop, archive)
    box = shown(desktop, qloop, QMessageBox)
    assert box.windowTitle() == TITLE
    assert box.text().startswith("Replace the library with the backup made on ")
    text = box.informativeText()
    assert text.startswith("The backup saved.zip holds 2 books; the library here holds 3 books.")
    assert "kept, not deleted: as library.sqlite3.before-restore-" in text
    assert f"in the data folder {desktop.paths.data_dir}." in text
    assert "server stops for a moment, and BookOrbit restarts" in text
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert not entry_of(desktop).isEnabled()
    assert not desktop.controller.backup.action.isEnabled()
    box.button(QMessageBox.StandardButton.Cancel).click()
    run_until(qloop, entry_of(desktop).isEnabled)
    assert desktop.controller.backup.action.isEnabled()
    assert desktop.restorer.chosen is None and not desktop._quit.is_set()
    assert titles(desktop.paths.db_file) == ["Added after the backup", "Dune", "Emma"]


def test_the_question_promises_to_keep_covers_only_when_the_restore_keeps_them(qapp, tmp_path):
    paths = resolve_paths(tmp_path / "data")
    paths.covers_dir.mkdir(parents=True)  # a new library's covers folder: empty
    facts = backups.BackupFacts(books=2, covers=1, schema=1, created="2026-11-26T15:30:00+0100")
    stamp = "20261126-180000"
    _text, details = question(paths, tmp_path / "saved.zip", facts, 0, stamp)
    assert "as library.sqlite3.before-restore-20261126-180000.bak, in the data folder" in details
    assert "its covers" not in details
    (paths.covers_dir / "1.jpg").write_bytes(b"\xff\xd8\xff\xe0 a cover")
    _text, details = question(paths, tmp_path / "saved.zip", facts, 0, stamp)
    assert "(its covers as covers.before-restore-20261126-180000)" in details


def test_a_refused_file_says_why_and_changes_nothing(desktop, qloop, tmp_path):  # noqa: F811
    archive = a_backup_then_one_book_more(desktop, tmp_path)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    before = fingerprint(desktop.paths.data_dir)
    choose(desktop, qloop, cut)
    box = shown(desktop, qloop, QMessageBox)
    assert box.windowTitle() == "Restore refused"
    assert box.text().startswith(f"{cut} is not a BookOrbit backup")
    status = desktop.window.statusBar().currentMessage()
    assert status == "The backup was not restored; nothing was changed."
    box.button(QMessageBox.StandardButton.Ok).click()
    run_until(qloop, entry_of(desktop).isEnabled)
    assert fingerprint(desktop.paths.data_dir) == before
    assert desktop.restorer.chosen is None and not desktop._quit.is_set()


HOLD = """
import sys
from pathlib import Path
from bookorbit_desktop.library.store.owner import LibraryLock
lock = LibraryLock(Path(sys.argv[1]), "serve")
lock.acquire()
print("held", flush=True)
sys.stdin.read()
"""

USING = """
import sys
from pathlib import Path
from bookorbit_desktop.library.store.sharing import LibraryUse
use = LibraryUse(Path(sys.argv[1]), "import")
use.acquire()
print("held", flush=True)
sys.stdin.read()
"""


@contextmanager
def held(script: str, data_dir: Path) -> Iterator[int]:
    """Another process holding the library by `script` (HOLD: owning it as `serve` does;
    USING: sharing it as a command does) while the block runs; its pid."""
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield holder.pid
    finally:
        holder.communicate("")


def refused_after_agreeing(desktop, qloop, box: QMessageBox) -> QMessageBox:  # noqa: F811
    """Restore and Restart clicked on the question `box`: the refusal shown over the window."""
    [restore] = [b for b in box.buttons() if b.text() == RESTORE_BUTTON]
    restore.click()
    run_until(qloop, lambda: desktop.restore.message is not None)
    return desktop.restore.message


def assert_not_restored(desktop) -> None:  # noqa: F811
    """The app goes on with its library as it was: no restart, its entries on."""
    assert desktop.restorer.chosen is None and not desktop._quit.is_set()
    assert desktop.window.statusBar().currentMessage() == "The library was not restored."
    assert entry_of(desktop).isEnabled() and desktop.controller.backup.action.isEnabled()
    assert titles(desktop.paths.db_file) == ["Added after the backup", "Dune", "Emma"]


def test_a_library_another_process_owns_is_not_restored_and_the_window_goes_on(
    desktop,  # noqa: F811
    qloop,
    tmp_path,
):
    archive = a_backup_then_one_book_more(desktop, tmp_path)
    with held(HOLD, desktop.paths.data_dir) as pid:
        choose(desktop, qloop, archive)
        refusal = refused_after_agreeing(desktop, qloop, shown(desktop, qloop, QMessageBox))
        assert refusal.windowTitle() == "Library in use"
        assert f"in use by `serve` (pid {pid})" in refusal.text()
    assert_not_restored(desktop)
    desktop.controller.refresh()  # the window still reads its library
    assert desktop.window.library_view.count_label.text() == "3 books"


def test_a_library_a_command_uses_is_not_restored_and_nothing_stops(desktop, qloop, tmp_path):  # noqa: F811
    """An import running beside the window: the restore is refused before the question, so
    the server and the window go on."""
    archive = a_backup_then_one_book_more(desktop, tmp_path)
    with held(USING, desktop.paths.data_dir) as pid:
        before = fingerprint(desktop.paths.data_dir)
        choose(desktop, qloop, archive)
        box = shown(desktop, qloop, QMessageBox)
        assert box.windowTitle() == "Restore refused"
        assert box.text() == (
            f"The library in {desktop.paths.data_dir} is in use by `import` (pid "
            f"{pid}): a restore needs it to itself. Let it finish (or stop it), then "
            "restore again. Nothing was changed."
        )
        box.button(QMessageBox.StandardButton.Ok).click()
        run_until(qloop, entry_of(desktop).isEnabled)
        assert fingerprint(desktop.paths.data_dir) == before
    assert desktop.restorer.chosen is None and not desktop._quit.is_set()


def test_a_command_begun_during_the_question_refuses_before_anything_stops(
    desktop,  # noqa: F811
    qloop,
    tmp_path,
):
    """An import started while the question is open: Restore and Restart is refused there,
    the window and the server go on (the app does not quit to find it out)."""
    archive = a_backup_then_one_book_more(desktop, tmp_path)
    choose(desktop, qloop, archive)
    box = shown(desktop, qloop, QMessageBox)
    with held(USING, desktop.paths.data_dir) as pid:
        refusal = refused_after_agreeing(desktop, qloop, box)
        assert refusal.windowTitle() == "Restore refused"
        assert f"in use by `import` (pid {pid}): a restore needs it" in refusal.text()
    assert_not_restored(desktop)


def test_the_entries_are_off_while_a_backup_runs(desktop, qloop, tmp_path, monkeypatch):  # noqa: F811
    show_all(desktop, start_hidden=False)
    add_book("Dune", ["Frank Herbert"])
    release = a_backup_running(desktop, qloop, tmp_path / "first.zip", monkeypatch)
    assert not entry_of(desktop).isEnabled()
    entry_of(desktop).trigger()  # the menu entry while the backup runs
    assert desktop.restore.asking is None
    release.set()
    run_until(qloop, entry_of(desktop).isEnabled)
