"""Checking and saving an edit of several books without holding up the window.

The Edit dialog's first Save for several books works out what the edit would do, the second
saves it (`bulk_fields.ask`); for hundreds of books either takes a while. Both run through the
service's async calls (`services.library.bulk_edits`: a worker thread on a connection of its own),
so the window keeps drawing and answering. Meanwhile Save is disabled and the dialog says what
runs ("Checking 500 books…", "Saving…").

Cancel works throughout. A check still running is dropped (it keeps nothing anyway), as it is
when a field is edited meanwhile (Save then asks again). A save already started completes, the
dialog closes, and the window's status bar says what was saved (`Apply` does that). The jobs
run one after another: a dropped check finishes its rolled-back work before the next starts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QDialog, QLabel, QPushButton

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.bulk_edits import BulkOutcome
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.library import bulk_fields

# What saving the fields (as typed) would do to the books; raises BookOrbitError.
Check = Callable[[tuple[int, ...], Mapping[str, str]], Awaitable[BulkOutcome]]
# Saves them, then tells the window (its status bar, the table); raises BookOrbitError.
Apply = Callable[[tuple[int, ...], Mapping[str, str]], Awaitable[None]]


@dataclass(frozen=True)
class BulkCalls:
    check: Check
    apply: Apply


class BulkRun:
    def __init__(
        self,
        dialog: QDialog,
        book_ids: tuple[int, ...],
        calls: BulkCalls,
        labels: tuple[QLabel, QLabel],  # the confirmation (and busy note), the error
        button: QPushButton,
    ) -> None:
        self._dialog, self._book_ids, self._calls = dialog, book_ids, calls
        self._label, self._error = labels
        self._button, self._save_text = button, button.text()
        self.asked: dict[str, str] | None = None  # the fields the confirmation shown is for
        self.task: asyncio.Task[Any] | None = None  # the last check or save started
        self.saving = False
        self._turn = 0  # a check whose turn has passed is dropped
        dialog.finished.connect(lambda _result: self.unask())  # closed: a check is dropped

    def save(self, typed: dict[str, str]) -> None:
        """Check the fields (the first Save), or save what the confirmation shown says."""
        if self.saving or self._busy():
            return
        previous = self.task
        if typed == self.asked:
            self.saving = True
            self._show_busy("Saving…")
            # Parented to the window: the save outlives a dialog closed meanwhile.
            self.task = spawn(self._apply(previous, typed), self._dialog.parentWidget())
            return
        count = len(self._book_ids)
        self._show_busy(f"Checking {count:,} books…")
        self.task = spawn(self._check(previous, typed, self._turn), self._dialog)

    def unask(self) -> None:
        """A field changed: the confirmation shown, or the check running, no longer holds."""
        if self.saving:
            return
        self._drop()
        self._label.hide()
        self._button.setText(self._save_text)
        self._button.setEnabled(True)

    def _busy(self) -> bool:
        return not self._button.isEnabled() and self.task is not None and not self.task.done()

    def _drop(self) -> None:
        self._turn += 1
        self.asked = None

    def _show_busy(self, note: str) -> None:
        self._button.setEnabled(False)
        self._error.hide()
        self._label.setText(note)
        self._label.show()

    async def _check(
        self, previous: asyncio.Task[Any] | None, typed: dict[str, str], turn: int
    ) -> None:
        await _after(previous)
        try:
            outcome = await self._calls.check(self._book_ids, typed)
        except BookOrbitError as error:
            if turn == self._turn:
                self._show_error(error)
            return
        if turn == self._turn:  # not dropped meanwhile
            self.asked = typed
            self._error.hide()
            bulk_fields.ask(outcome, self._label, self._button)

    async def _apply(self, previous: asyncio.Task[Any] | None, typed: dict[str, str]) -> None:
        await _after(previous)
        try:
            await self._calls.apply(self._book_ids, typed)
        except BookOrbitError as error:
            self.saving = False
            if not self._dialog.isVisible():
                raise  # shown over the window
            self._show_error(error)
            return
        self.saving = False
        if self._dialog.isVisible():
            self._dialog.accept()

    def _show_error(self, error: BookOrbitError) -> None:
        self._label.hide()
        self._error.setText(error.message)
        self._error.show()
        self._button.setText(self._save_text)
        self._button.setEnabled(True)


async def _after(previous: asyncio.Task[Any] | None) -> None:
    """Wait for the job started before (its thread holds the library's write lock)."""
    if previous is not None and not previous.done():
        await asyncio.wait([previous])
