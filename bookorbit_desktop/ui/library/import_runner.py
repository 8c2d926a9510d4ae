"""Importing files off the GUI thread, with a progress dialog that can cancel between files.

The importer commits one transaction per file, so Cancel (or closing the dialog) always
leaves the library consistent: the files done so far are in, the rest are not touched.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from bookorbit_desktop.services.library import ImportStep, ImportSummary
from bookorbit_desktop.ui.asyncqt import open_box
from bookorbit_desktop.ui.text import counted

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


class ImportRunner(QObject):
    """Runs one import at a time; `finished(report)` after each."""

    finished = Signal(object)
    progressed = Signal(int, int)  # done, total

    def __init__(self, run: ImportFunction, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._run = run
        self._parent = parent_widget
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
            self._show_summary(report)
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

    def _show_summary(self, report: ImportSummary) -> None:
        title, message, details = summary_text(report)
        icon = QMessageBox.Icon.Warning if report.failures else QMessageBox.Icon.Information
        box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, self._parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        if details:
            box.setDetailedText(details)
        self.summary_box = box
        box.destroyed.connect(lambda *_: setattr(self, "summary_box", None))
        open_box(box)
