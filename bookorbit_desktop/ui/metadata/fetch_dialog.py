"""Fetch Metadata… for one book: the sources are asked in the background, and each source's
status line and values appear as soon as that source answers (a slow source never holds back
the others; Stop gives up on those still asking), beside the book's own (`diff_pane`); Apply
saves the ticked ones as the user's edit, also while a slow source is still asking.

The dialog never blocks the window: the fetch is a task on the event loop (the service runs the
database in worker threads), and Stop cancels it; what was stored before stays.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QVBoxLayout, QWidget

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library import titles as book_titles
from bookorbit_desktop.services.metadata.service import FetchAnswer, MetadataService
from bookorbit_desktop.services.metadata.values import PENDING
from bookorbit_desktop.ui.asyncqt import error_text, spawn
from bookorbit_desktop.ui.metadata.diff_pane import DiffPane
from bookorbit_desktop.ui.metadata.screen_fit import fit_on_screen
from bookorbit_desktop.ui.metadata.texts import ASKING, source_label, status_line
from bookorbit_desktop.ui.text import show_plain
from bookorbit_desktop.ui.widgets import push_button, wrapped_label


class FetchDialog(QDialog):
    """`fetched(book_id)` once the answers are shown; `saved(book_id, text)` after Apply."""

    fetched = Signal(int)
    saved = Signal(int, str)

    def __init__(
        self, service: MetadataService, book_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.book_id = book_id
        self.task: asyncio.Task[None] | None = None
        self.answered: set[str] = set()  # the sources that answered the fetch under way
        self.setWindowTitle("Fetch Metadata")
        self.intro = wrapped_label(
            "Tick, in each row, the value the book should take. A “≠” marks a value that "
            "differs from the book's, “case” one that differs in capitals only. Only the "
            "library changes; the book's file is not rewritten."
        )
        self.pane = DiffPane(service, self)
        self.pane.applied.connect(self._applied)
        self.message = show_plain(wrapped_label())
        self.message.setAccessibleName("Result")
        self.buttons = QDialogButtonBox()
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setDefault(True)
        self.apply_button.setToolTip("Save the ticked values as your own edit")
        self.apply_button.clicked.connect(self.apply)
        self.again_button = push_button("Fetch A&gain", self.fetch)
        self.stop_button = push_button(
            "&Stop", self.stop, tip="Stop asking the sources (what they already sent is kept)"
        )
        self.buttons.addButton(self.again_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.stop_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.pane, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for other in self.findChildren(QPushButton):
            if other is not self.apply_button:
                other.setAutoDefault(False)  # Enter applies, whichever button had the focus
        fit_on_screen(self, QSize(900, 720))
        self._busy(False)

    def _busy(self, fetching: bool) -> None:
        self.pane.asking = fetching
        self.stop_button.setEnabled(fetching)
        self.again_button.setEnabled(not fetching)
        self.apply_button.setEnabled(self.pane.shown is not None)

    def fetch(self) -> asyncio.Task[None]:
        """Ask every source again (off the window's thread); the task."""
        if self.task is not None and not self.task.done():
            return self.task
        self.task = spawn(self._fetch(), self)
        return self.task

    async def _fetch(self) -> None:
        self._busy(True)
        self.answered = set()
        self.message.setText("Asking the sources…")
        self.pane.show_statuses((s, f"{source_label(s)}: {ASKING}") for s in self.service.sources)
        try:
            title = (await book_titles.titles([self.book_id])).get(self.book_id)
            if title:
                self.setWindowTitle(f"Fetch Metadata for “{title}”")
            await self.service.fetch([self.book_id], answered=self._answered)
            await self.pane.load(self.book_id, keep_picks=True)
        except asyncio.CancelledError:
            self.message.setText("Stopped. Nothing was changed; Fetch Again asks once more.")
            self.pane.show_statuses(
                (s, status_line(s, PENDING, ""))
                for s in self.service.sources
                if s not in self.answered
            )
            raise
        except BookOrbitError as error:
            title, text = error_text(error)
            self.message.setText(f"{title}. {text}")
        else:
            self.message.setText("")
            self.fetched.emit(self.book_id)
        finally:
            self._busy(False)

    def _answered(self, answer: FetchAnswer) -> None:
        """One source answered: its status line now, and its values in the table as soon as
        it has any (the other sources keep asking)."""
        r = answer.result
        self.answered.add(r.source)
        line = status_line(r.source, r.status, r.message, len(r.candidates))
        self.pane.show_statuses([(r.source, line)])
        if r.candidates:
            spawn(self._show_answer(), self)

    async def _show_answer(self) -> None:
        await self.pane.load(self.book_id, keep_picks=True)
        self.apply_button.setEnabled(True)

    def stop(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()

    def apply(self) -> asyncio.Task[str | None]:
        return spawn(self._apply(), self)

    async def _apply(self) -> str | None:
        self.apply_button.setEnabled(False)
        try:
            text = await self.pane.apply()
        finally:
            self._busy(self.task is not None and not self.task.done())
        if text is None and not self.pane.error_label.isVisible():
            self.message.setText("Nothing is ticked: every row keeps the book's own value.")
        return text

    def _applied(self, book_id: int, text: str) -> None:
        if text:
            self.message.setText(text)
        self.saved.emit(book_id, text)

    def reject(self) -> None:
        self.stop()
        super().reject()
