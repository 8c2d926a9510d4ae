"""File ▸ Back Up Library… in the real window: the chooser, a backup a restore takes back, and
a refusal that writes nothing."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.backup import backup_library
from bookorbit_desktop.library.store.restore import restore_library
from bookorbit_desktop.services.library import backups
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.library.backup_action import start_folder
from tests.factories import add_book
from tests.library.store.test_backup import titles
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)


def chooser_of(desktop) -> QFileDialog:  # noqa: F811
    [action] = [a for a in desktop.window.file_menu.actions() if a.text() == "&Back Up Library…"]
    action.trigger()
    chooser = desktop.window.findChild(QFileDialog)
    assert chooser is not None and chooser.isVisible()
    return chooser


def message_of(desktop, qloop) -> QMessageBox:  # noqa: F811
    run_until(qloop, lambda: desktop.controller.backup.message is not None)
    box = desktop.controller.backup.message
    assert box is not None and box.isVisible()
    return box


def test_a_backup_chosen_in_the_window_is_one_a_restore_takes_back(desktop, qloop, tmp_path):  # noqa: F811
    show_all(desktop, start_hidden=False)
    add_book("Dune", ["Frank Herbert"])
    add_book("Emma", ["Jane Austen"])
    chooser = chooser_of(desktop)
    assert chooser.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert chooser.directory().absolutePath() == str(start_folder())
    [offered] = chooser.selectedFiles()
    assert Path(offered).name.startswith("bookorbit-backup-") and offered.endswith(".zip")

    target = tmp_path / "saved" / "my library"
    target.parent.mkdir()
    chooser.selectFile(str(target))
    chooser.accept()
    box = message_of(desktop, qloop)
    archive = target.with_suffix(".zip")  # the chooser adds the suffix
    assert box.windowTitle() == "Library backed up"
    assert box.text().startswith(f"2 books and 0 covers were backed up to {archive} (")
    assert box.text().endswith("choose File ▸ Restore Library from Backup… and this file.")
    assert desktop.window.statusBar().currentMessage() == f"Library backed up to {archive}."

    elsewhere = resolve_paths(tmp_path / "elsewhere")
    assert restore_library(elsewhere, archive).books == 2
    assert titles(elsewhere.db_file) == ["Dune", "Emma"]


def test_a_refused_backup_says_why_and_writes_nothing(desktop, qloop, tmp_path):  # noqa: F811
    show_all(desktop, start_hidden=False)
    add_book("Dune", ["Frank Herbert"])
    own = tmp_path / "own.zip"
    own.write_bytes(b"the user's own file")
    backup = desktop.controller.backup
    qloop.run_until_complete(backup.back_up(own))  # as after the chooser's "Replace?"
    box = message_of(desktop, qloop)
    assert box.text().startswith(f"{own} is not a BookOrbit backup, so it was not replaced")
    assert own.read_bytes() == b"the user's own file"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["own.zip"]
    assert backup.action.isEnabled()
    assert desktop.window.statusBar().currentMessage() == "The library was not backed up."


def a_backup_running(desktop, qloop, target, monkeypatch) -> threading.Event:  # noqa: F811
    """The window's backup to `target` started and held running (the snapshot and the zip of
    a large library take a while) until the event returned is set."""
    release = threading.Event()

    def held(*args, **kwargs):
        assert release.wait(10)
        return backup_library(*args, **kwargs)

    monkeypatch.setattr(backups, "backup_library", held)
    backup = desktop.controller.backup
    spawn(backup.back_up(target), desktop.window)
    run_until(qloop, lambda: not backup.action.isEnabled())
    return release


def test_the_action_is_off_while_a_backup_runs(desktop, qloop, tmp_path, monkeypatch):  # noqa: F811
    show_all(desktop, start_hidden=False)
    add_book("Dune", ["Frank Herbert"])
    release = a_backup_running(desktop, qloop, tmp_path / "first.zip", monkeypatch)
    backup = desktop.controller.backup
    backup.action.trigger()  # the menu entry while the backup runs
    assert desktop.window.findChild(QFileDialog) is None
    assert desktop.window.statusBar().currentMessage() == "Backing up the library…"
    release.set()
    assert message_of(desktop, qloop).windowTitle() == "Library backed up"
    assert backup.action.isEnabled()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".zip"] == ["first.zip"]
