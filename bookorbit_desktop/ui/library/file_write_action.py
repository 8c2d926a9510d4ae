""" "Write Metadata into File…" and "Restore File from Backup…" for the selected books, in the
Edit menu and the context menus of the table and the cover grid. Each asks first (what is
written, where the old file is kept, that KOReader keeps syncing), then works off the window's
thread through `services.library.file_metadata` and says what it did in the status bar; books that
could not be written (not EPUB, damaged, no backup) are listed in one message box.
`on_written(book_id)` refreshes a book in the table and the book panel.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from bookorbit_desktop.config import Paths
from bookorbit_desktop.services.library import file_metadata
from bookorbit_desktop.services.library.file_metadata import WriteReport
from bookorbit_desktop.ui.actions import menu_action
from bookorbit_desktop.ui.asyncqt import open_box, run_dialog, spawn
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.text import counted, show_plain

STATUS_MS = 8000


class FileWriteActions(QObject):
    def __init__(
        self,
        paths: Paths,
        window: MainWindow,
        on_written: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(window)
        library = window.library_view
        self.paths, self.window, self.library, self.on_written = paths, window, library, on_written
        self.question: QMessageBox | None = None
        self.write_action = menu_action(
            window,
            "&Write Metadata into File…",
            lambda: self._start(write=True),
            tip=(
                "Write the library's metadata into the selected books' EPUB files, keeping a copy "
                "of each old file"
            ),
        )
        self.restore_action = menu_action(
            window,
            "Restore File from &Backup…",
            lambda: self._start(write=False),
            tip="Put back the selected books' files as they were before metadata was last written",
        )
        targets: list[QWidget] = [library.table, library.grid]  # their context menus
        for action in window.menuBar().actions():
            menu = action.menu()
            if action.text() == "&Edit" and isinstance(menu, QMenu):
                targets.append(menu)
        for target in targets:
            target.addAction(self.write_action)
            target.addAction(self.restore_action)

    def _start(self, *, write: bool) -> None:
        book_ids = self.library.selected_book_ids()
        if not book_ids:
            what = "write metadata into" if write else "restore"
            self.window.statusBar().showMessage(f"Select the books to {what} first.", STATUS_MS)
            return
        spawn(self.write(book_ids) if write else self.restore(book_ids), self.window)

    async def write(self, book_ids: Sequence[int]) -> WriteReport | None:
        """Ask, then write the books' metadata into their EPUB files; None when cancelled."""
        books = counted("%n book(s)", len(set(book_ids)))
        return await self._confirm_then(
            "Write Metadata into File",
            f"Write the library's metadata into the EPUB files of {books}?",
            "The title, subtitle, authors, series, description, publisher, publication date, "
            "language, ISBN and a cover you chose go into each EPUB file. A copy of each old "
            f"file is kept in {file_metadata.backup_folder(self.paths)}, and Restore File from "
            "Backup puts it back.\n\nKOReader keeps syncing progress and highlights of the "
            "copies already on your devices. Only EPUB files are written.",
            "&Write",
            lambda: file_metadata.write_metadata_async(self.paths, book_ids),
            "Wrote metadata into %n file(s).",
        )

    async def restore(self, book_ids: Sequence[int]) -> WriteReport | None:
        """Ask, then put back each book's file from before the last write; None when cancelled
        or when no selected book has a backup."""
        chosen = list(dict.fromkeys(book_ids))
        found = await file_metadata.backed_up_async(self.paths, chosen)
        backed = [b for b in chosen if b in found]
        if not backed:
            said = "No backup to put back: no metadata was written into these books' files."
            self.window.statusBar().showMessage(said, STATUS_MS)
            return None
        others = len(chosen) - len(backed)
        without = (
            f" Left as they are (no backup): {counted('%n book(s)', others)}." if others else ""
        )
        return await self._confirm_then(
            "Restore File from Backup",
            f"Put back the files of {counted('%n book(s)', len(backed))} as they were before "
            "metadata was last written?",
            "The backup replaces the file and is then removed. The library's own metadata "
            f"does not change.{without}",
            "&Restore",
            lambda: file_metadata.restore_files_async(self.paths, backed),
            "Put back %n file(s) from their backups.",
        )

    async def _confirm_then(
        self,
        title: str,
        text: str,
        detail: str,
        verb: str,
        work: Callable[[], Awaitable[WriteReport]],
        done: str,
    ) -> WriteReport | None:
        """Ask (the action's button named `verb`); once confirmed, run `work` and say what it
        did (`done`, with %n for the files changed). None when cancelled."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.window)
        box.setInformativeText(detail)
        show_plain(box)
        accept = box.addButton(verb, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(accept)
        self.question = box
        await run_dialog(box)
        self.question = None
        if box.clickedButton() is not accept:
            return None
        report = await work()
        self._done(report, done)
        return report

    def _done(self, report: WriteReport, done: str) -> None:
        """Say what `report` did: `done` with the files changed for %n in the status bar, the
        window told of each book written, the books not changed in a message box."""
        if report.written:
            files = sum(len(written) for written in report.written.values())
            self.window.statusBar().showMessage(counted(done, files), STATUS_MS)
        for book_id in report.written:
            if self.on_written is not None:
                self.on_written(book_id)
        if report.failed:
            reasons = "\n".join(report.failed.values())
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Some Files Not Changed",
                counted("%n book(s) not changed:", len(report.failed)) + f"\n{reasons}",
                QMessageBox.StandardButton.Ok,
                self.window,
            )
            open_box(show_plain(box))
