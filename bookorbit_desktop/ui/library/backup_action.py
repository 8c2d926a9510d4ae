"""File ▸ Back Up Library…: the whole library (books, reading state, settings, Hardcover links
and covers) in one .zip the user names, as `bookorbit-desktop backup` writes it. The chooser
starts in the Documents folder with a dated name; the backup is written off the window's
thread (`services.library.backups`), and a message says what it holds and how to put it
back (File ▸ Restore Library from Backup…, `restore_action`), or why nothing was written.
Replacing a file is offered by the chooser and done only over an earlier backup, once the new
one is complete.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QStandardPaths
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from bookorbit_desktop.config import Paths
from bookorbit_desktop.services.library import backups
from bookorbit_desktop.ui.actions import menu_action
from bookorbit_desktop.ui.asyncqt import open_box, show_error, spawn
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.text import counted, show_plain

STATUS_MS = 8000
SI = QLocale.DataSizeFormat.DataSizeSIFormat  # "45.3 MB", as file managers show it


def start_folder() -> Path:
    """Where the chooser opens: the user's Documents folder, else the home folder."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def said(summary: backups.BackupSummary) -> str:
    """What a finished backup holds, and how to put it back."""
    covers = counted("%n cover(s)", summary.covers)
    text = (
        f"{counted('%n book(s)', summary.books)} and {covers} were backed up to "
        f"{summary.archive} ({QLocale().formattedDataSize(summary.size, 1, SI)})."
    )
    if summary.missing_covers:
        text += " " + counted(
            "%n cover(s) named by the library were not in its covers folder; each is made "
            "again from its book when it is shown.",
            summary.missing_covers,
        )
    return (
        f"{text}\n\nTo put this library back, choose File ▸ Restore Library from Backup… and "
        "this file."
    )


class BackupAction:
    """The menu entry, its chooser and the backup it starts (one at a time)."""

    def __init__(self, paths: Paths, window: MainWindow) -> None:
        self.paths, self.window = paths, window
        self.action: QAction = menu_action(
            window,
            "&Back Up Library…",
            self.choose,
            tip="Save the whole library (books, reading, settings, covers) to one .zip file",
        )
        self.message: QMessageBox | None = None
        # The entries that are off while a backup or a restore runs: this one, and Restore.
        self.busy_with: list[QAction] = [self.action]

    def set_busy(self, busy: bool) -> None:
        for action in self.busy_with:
            action.setEnabled(not busy)

    def choose(self) -> QFileDialog:
        """The save chooser; a choice starts the backup."""
        chooser = QFileDialog(
            self.window,
            "Back Up Library",
            str(start_folder() / backups.backup_name()),
            "BookOrbit backups (*.zip)",
        )
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setDefaultSuffix("zip")
        chooser.fileSelected.connect(lambda name: spawn(self.back_up(Path(name)), self.window))
        chooser.finished.connect(chooser.deleteLater)
        chooser.open()
        return chooser

    async def back_up(self, target: Path) -> None:
        """Write the backup to `target`; the chooser asked before naming an existing file, so
        an earlier backup there is replaced (anything else is refused)."""
        status = self.window.statusBar()
        self.set_busy(True)
        status.showMessage("Backing up the library…")
        try:
            summary = await backups.back_up(self.paths, target, replace=True)
        except backups.BackupError as error:
            status.showMessage("The library was not backed up.", STATUS_MS)
            self.message = show_error(self.window, error)
            return
        finally:
            self.set_busy(False)
        status.showMessage(f"Library backed up to {summary.archive}.", STATUS_MS)
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Library backed up",
            said(summary),
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        self.message = open_box(show_plain(box))


def add_backup_action(paths: Paths, window: MainWindow) -> BackupAction:
    """File ▸ Back Up Library…, before Settings."""
    backup = BackupAction(paths, window)
    window.add_file_action(backup.action)
    return backup
