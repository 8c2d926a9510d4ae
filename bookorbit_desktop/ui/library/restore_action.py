"""File ▸ Restore Library from Backup…: a backup made by Back Up Library… (or `bookorbit-desktop
backup`) put back in place of the library, as `bookorbit-desktop restore` does.

The chooser opens in the Documents folder. The chosen file is checked completely off the
window's thread, with the checks the restore itself makes: a damaged, truncated, foreign or
newer backup is refused with the reason, and nothing changes. Then a question says what will
happen (the backup's date and books against the library's, the file the current library is
kept as, the server's pause, the restart), Cancel its default. Once agreed, the app gives up
the library, restores it and starts again (`restore_at_quit`). The start-up message of a
damaged library asks the same questions, without a window (`RestoreAsk`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, QTime
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from bookorbit_desktop.config import Paths
from bookorbit_desktop.services.library import backups
from bookorbit_desktop.services.ownership import LibraryInUseError
from bookorbit_desktop.ui.actions import menu_action
from bookorbit_desktop.ui.asyncqt import run_dialog, show_error, spawn, wait_signal
from bookorbit_desktop.ui.library.backup_action import STATUS_MS, BackupAction, start_folder
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.questions import action_or_cancel
from bookorbit_desktop.ui.text import counted

TITLE = "Restore Library from Backup"
RESTORE_BUTTON = "&Restore and Restart"

# What restores the chosen backup once agreed (the app's): raises LibraryInUseError when
# another process owns the library, and nothing has changed then.
RestoreAtQuit = Callable[[Path, str], object]


def when_made(created: str) -> str:
    """The backup's date and time as the user's locale writes them, in local time."""
    made = backups.made_at(created)
    if made is None:
        return "at a time it does not say"
    local = made.astimezone()
    locale = QLocale()
    day = locale.toString(QDate(local.year, local.month, local.day), QLocale.FormatType.LongFormat)
    hour = locale.toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)
    return f"on {day} at {hour}"


def question(
    paths: Paths, source: Path, facts: backups.BackupFacts, current: int | None, stamp: str
) -> tuple[str, str]:
    """What a restore of `source` will do, in plain words: the question, and its details."""
    now = (
        f"the library here holds {counted('%n book(s)', current)}"
        if current is not None
        else "the library here cannot be read"
    )
    kept_db, kept_covers = backups.kept_names(paths, stamp)
    covers = f" (its covers as {kept_covers.name})" if backups.covers_kept(paths) else ""
    return (
        f"Replace the library with the backup made {when_made(facts.created)}?",
        f"The backup {source.name} holds {counted('%n book(s)', facts.books)}; {now}.\n\n"
        f"The library here is kept, not deleted: as {kept_db.name}{covers}, in the data "
        f"folder {paths.data_dir}.\n\n"
        "The KOReader sync server stops for a moment, and BookOrbit restarts with the "
        "restored library.",
    )


class RestoreAsk:
    """The chooser, the check and the question, over `parent` (None before any window);
    `say` puts a line in the status bar."""

    def __init__(
        self,
        paths: Paths,
        parent: QWidget | None,
        say: Callable[[str], object] = lambda _line: None,
    ) -> None:
        self.paths, self.parent, self.say = paths, parent, say
        self.shown: QFileDialog | QMessageBox | None = None  # what is asked or said now

    async def ask(self) -> tuple[Path, str] | None:
        """The backup to restore and the time its restore is named by (the kept files'
        names); None when the user chose none, or it was refused (and said why)."""
        source = await self._choose()
        if source is None:
            return None
        self.say("Checking the backup…")
        try:
            facts, current = await backups.check(self.paths, source)
        except backups.RestoreError as error:
            self.say("The backup was not restored; nothing was changed.")
            self.shown = show_error(self.parent, error)
            await wait_signal(self.shown.finished)
            return None
        self.say("")
        stamp = backups.restore_stamp()
        text, details = question(self.paths, source, facts, current, stamp)
        box, chosen = action_or_cancel(self.parent, TITLE, text, RESTORE_BUTTON)
        box.setInformativeText(details)
        self.shown = box
        await run_dialog(box)
        return (source, stamp) if box.clickedButton() is chosen else None

    async def _choose(self) -> Path | None:
        chooser = QFileDialog(self.parent, TITLE, str(start_folder()), "BookOrbit backups (*.zip)")
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        self.shown = chooser
        accepted = await run_dialog(chooser) == QFileDialog.DialogCode.Accepted
        chosen = chooser.selectedFiles()
        chooser.deleteLater()
        return Path(chosen[0]) if accepted and chosen else None


class RestoreAction:
    """The menu entry; off while a backup or a restore runs (as is Back Up Library…)."""

    def __init__(
        self, paths: Paths, window: MainWindow, backup: BackupAction, restore: RestoreAtQuit
    ) -> None:
        self.paths, self.window, self.backup, self.restore = paths, window, backup, restore
        self.action: QAction = menu_action(
            window,
            "&Restore Library from Backup…",
            lambda: spawn(self.run(), window),
            tip="Put a backup .zip back in place of the library (BookOrbit restarts)",
        )
        backup.busy_with.append(self.action)
        self.asking: RestoreAsk | None = None
        self.message: QMessageBox | None = None

    async def run(self) -> None:
        """Ask; once agreed, hand the backup to the app, which restores it and restarts."""
        status = self.window.statusBar()
        self.backup.set_busy(True)
        handed = False
        try:
            self.asking = RestoreAsk(self.paths, self.window, status.showMessage)
            chosen = await self.asking.ask()
            if chosen is None:
                return
            try:
                backups.refused_while_shared(self.paths)  # a command begun during the question
                self.restore(*chosen)
            except (LibraryInUseError, backups.RestoreError) as error:
                status.showMessage("The library was not restored.", STATUS_MS)
                self.message = show_error(self.window, error)
                return
            handed = True
            status.showMessage("Restoring the library; BookOrbit restarts in a moment…")
        finally:
            if not handed:  # else the app is quitting: the entries stay off
                self.backup.set_busy(False)


def add_restore_action(
    paths: Paths, window: MainWindow, backup: BackupAction, restore: RestoreAtQuit
) -> RestoreAction:
    """File ▸ Restore Library from Backup…, after Back Up Library…."""
    action = RestoreAction(paths, window, backup, restore)
    window.add_file_action(action.action)
    return action
