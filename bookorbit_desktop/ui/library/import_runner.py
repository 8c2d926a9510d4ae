"""Importing files off the GUI thread, with a progress dialog that can cancel between files.

The importer commits one transaction per file, so Cancel (or closing the dialog) always
leaves the library consistent: the files done so far are in, the rest are not touched.

Files of books the user removed are left out and the summary says so; when the change journal
still keeps those books, the summary names them and offers to restore them as they were
(`services.undo`), and `restored` tells the window to read the library again.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.service import ImportStep, ImportSummary
from bookorbit_desktop.services.undo import RemovedBook, UndoService
from bookorbit_desktop.ui.asyncqt import open_box, show_error
from bookorbit_desktop.ui.text import counted, show_plain

# (sources, progress callback, cancel flag) -> report; runs on a worker thread.
ImportFunction = Callable[
    [Sequence[str], Callable[[ImportStep], None], threading.Event], ImportSummary
]
# Quick imports finish before the dialog would appear, so nothing flashes on screen.
SHOW_AFTER_MS = 500
_MAX_LISTED_FAILURES = 200


def summary_text(report: ImportSummary) -> tuple[str, str, str]:
    """(title, message, details) describing a finished import."""
    parts = []
    if report.imported:
        parts.append(counted("%n new book(s) added", report.imported))
    if report.copies:
        parts.append(counted("%n copy(ies) of known books added", report.copies))
    if report.moved:
        parts.append(counted("%n moved file(s) found again", report.moved))
    if report.updated:
        parts.append(counted("%n changed file(s) updated", report.updated))
    if report.unchanged:
        parts.append(counted("%n file(s) already in the library", report.unchanged))
    if report.left_out:
        left_out = "%n file(s) left out: their books were removed from the library"
        parts.append(counted(left_out, report.left_out))
    message = "; ".join(parts) + "." if parts else "No ebook files were found there."
    if report.ignored:
        message += " " + counted("%n file(s) that are not ebooks were skipped.", report.ignored)
    if report.collisions:
        message += " " + counted(
            "%n file(s) share a KOReader document id with another file; if a device syncs one "
            "of them, link it under Unlinked Documents.",
            len(report.collisions),
        )
    if report.adopted:
        message += " " + counted("Earlier KOReader progress linked to %n book(s).", report.adopted)
    details = ""
    if report.failures:
        message += "\n\n" + counted(
            "%n file(s) could not be imported; the details say why. Nothing else was affected.",
            len(report.failures),
        )
        listed = [f"{f.path}: {f.reason}" for f in report.failures[:_MAX_LISTED_FAILURES]]
        if len(report.failures) > _MAX_LISTED_FAILURES:
            listed.append(f"… and {len(report.failures) - _MAX_LISTED_FAILURES} more (see the log)")
        details = "\n".join(listed)
    if report.cancelled:
        title = "Import cancelled"
        message = "The import was cancelled; the files handled before that are in the library. "
        message += "\n\n" + summary_text(replace(report, cancelled=False))[1]
    elif report.failures:
        title = "Import finished with problems"
    else:
        title = "Import finished"
    return title, message, details


def restore_text(books: Sequence[RemovedBook]) -> str:
    """The summary's offer to restore the removed books whose files were left out."""
    names = ", ".join(f"“{book.title}”" for book in books[:3])
    if len(books) > 3:
        names += f" and {len(books) - 3} more"
    return (
        f"You removed {names} from the library. Restore brings "
        f"{'it' if len(books) == 1 else 'them'} back as before: reading state, rating, dates, "
        "Hardcover link, files and cover."
    )


class ImportRunner(QObject):
    """Runs one import at a time; `finished(report)` after each, `restored()` after removed
    books were restored from the summary."""

    finished = Signal(object)
    progressed = Signal(int, int)  # done, total
    restored = Signal()

    def __init__(
        self, run: ImportFunction, parent_widget: QWidget, undo: UndoService | None = None
    ) -> None:
        super().__init__(parent_widget)
        self._run = run
        self._parent = parent_widget
        self.undo = undo
        self.busy = False
        self.dialog: QProgressDialog | None = None
        self.summary_box: QMessageBox | None = None

    async def run(self, sources: Sequence[str]) -> ImportSummary | None:
        """Import `sources` behind a progress dialog, then show a summary; None when an
        import is already running."""
        if self.busy:
            return None
        cancel = threading.Event()
        dialog = QProgressDialog("Looking for ebooks…", "Cancel", 0, 0, self._parent)
        dialog.setWindowTitle("Importing")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.setMinimumWidth(420)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        # The Cancel button emits `canceled`; Escape rejects the dialog: both stop the import.
        dialog.canceled.connect(cancel.set)
        dialog.rejected.connect(cancel.set)
        dialog.setValue(0)
        self.dialog = dialog

        def show(step: ImportStep) -> None:
            if dialog.wasCanceled():
                return
            dialog.setMaximum(step.total)
            dialog.setValue(step.done)
            dialog.setLabelText(f"{step.done:,} of {step.total:,}: {step.name}")

        try:
            report = await self.run_quietly(sources, show, cancel)
        finally:
            dialog.canceled.disconnect(cancel.set)
            dialog.rejected.disconnect(cancel.set)
            dialog.close()
            dialog.deleteLater()
            self.dialog = None
        if report is not None:
            self._show_summary(report, sources)
        return report

    async def run_quietly(
        self, sources: Sequence[str], show: Callable[[ImportStep], None], cancel: threading.Event
    ) -> ImportSummary | None:
        """Import `sources`, calling `show(step)` on the window's thread after each file and
        stopping before the next file once `cancel` is set; no dialog, no summary (the caller
        shows both). None when an import is already running."""
        if self.busy:
            return None
        self.busy = True
        loop = asyncio.get_running_loop()

        def shown(step: ImportStep) -> None:
            show(step)
            self.progressed.emit(step.done, step.total)

        def progress(step: ImportStep) -> None:  # on the worker thread
            loop.call_soon_threadsafe(shown, step)

        try:
            report = await asyncio.to_thread(self._run, list(sources), progress, cancel)
        except asyncio.CancelledError:
            cancel.set()  # the worker stops before its next file
            raise
        finally:
            self.busy = False
        self.finished.emit(report)
        return report

    def _show_summary(self, report: ImportSummary, sources: Sequence[str] = ()) -> None:
        title, message, details = summary_text(report)
        removed = self.undo.removed_books(sources) if self.undo and report.left_out else []
        if removed:
            message += "\n\n" + restore_text(removed)
        icon = QMessageBox.Icon.Warning if report.failures else QMessageBox.Icon.Information
        box = show_plain(
            QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, self._parent)
        )
        if details:
            box.setDetailedText(details)
        if removed:
            restore = box.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole)
            restore.clicked.connect(lambda: self._restore(removed))
        self.summary_box = box
        box.destroyed.connect(lambda *_: setattr(self, "summary_box", None))
        open_box(box)

    def _restore(self, books: Sequence[RemovedBook]) -> None:
        assert self.undo is not None  # only offered with it
        lines = []
        try:
            for book in books:
                lines += self.undo.restore(book).text().splitlines()
        except BookOrbitError as error:
            show_error(self._parent, error)
        finally:
            self.restored.emit()
        if lines:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "Books Restored",
                "\n".join(lines),
                QMessageBox.StandardButton.Ok,
                self._parent,
            )
            self.summary_box = show_plain(box)
            open_box(box)
