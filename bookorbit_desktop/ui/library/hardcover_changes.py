"""The book panel's "from Hardcover" lines and conflict choices.

Each value the library took from hardcover.app (the user changed it there) shows as "From
Hardcover: rating 4.5★ (2026-09-01)". A field changed on both sides since the last sync shows
both values with Keep mine / Keep Hardcover's; nothing is sent for it until one is chosen.
The book's changes are read off the event loop (`services.hardcover.pulled`).
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from bookorbit_desktop.services.hardcover import pulled
from bookorbit_desktop.services.hardcover.pulled import BookChanges, Choice
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.keep_choice import both_values, keep_buttons
from bookorbit_desktop.ui.widgets import bare, clear_layout, wrapped_label

Loader = Callable[[int], Awaitable[BookChanges]]
Resolver = Callable[[int, str, str], Awaitable[Any]]


class HardcoverChanges(QWidget):
    """Shows one book's values from Hardcover and its conflicts; hidden when it has none."""

    resolved = Signal(int, str, str)  # book id, field, "local" | "hardcover"

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        load: Loader = pulled.book_changes_async,
        resolve: Resolver = pulled.resolve_async,
    ) -> None:
        super().__init__(parent)
        self._load, self._resolve = load, resolve
        self._book_id: int | None = None
        self.task: asyncio.Task[None] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.marker = QLabel()
        self.marker.setObjectName("fromHardcover")
        self.marker.setWordWrap(True)
        layout.addWidget(self.marker)
        self.choices, self._choices = bare(QVBoxLayout)
        layout.addWidget(self.choices)
        self.buttons: dict[tuple[str, str], QPushButton] = {}
        self.hide()

    def show_book(self, book_id: int) -> None:
        """Read the book's changes (off the loop) and show them; without a running event loop
        (a panel shown before the app's loop starts) there is nothing to read them with."""
        self._book_id = book_id
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        self.task = spawn(self._refresh(book_id), self)

    async def _refresh(self, book_id: int) -> None:
        changes = await self._load(book_id)
        if book_id == self._book_id:  # the user may have moved on meanwhile
            self.set_changes(book_id, changes)

    def set_changes(self, book_id: int, changes: BookChanges) -> None:
        self._book_id = book_id
        self.marker.setText(
            "<br>".join(
                f"From Hardcover: {html.escape(f.label)} {html.escape(f.value)} ({f.day})"
                for f in changes.followed
            )
        )
        self.marker.setVisible(bool(changes.followed))
        clear_layout(self._choices)
        self.buttons = {}
        for choice in changes.conflicts:
            self._choices.addWidget(self._choice_row(choice))
        self.choices.setVisible(bool(changes.conflicts))
        self.setVisible(not changes.empty)

    def _choice_row(self, choice: Choice) -> QWidget:
        row, layout = bare(QVBoxLayout)
        text = wrapped_label(
            f"<b>Changed on both sides: {html.escape(choice.label)}</b><br>"
            + both_values(choice)
            + "<br><i>Not sent until you choose.</i>"
        )
        layout.addWidget(text)
        buttons = QHBoxLayout()
        for keep, button in keep_buttons(choice, choice.label, self.choose).items():
            buttons.addWidget(button)
            self.buttons[(choice.field, keep)] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return row

    def choose(self, choice: Choice, keep: str) -> None:
        for button in self.buttons.values():
            button.setEnabled(False)
        self.task = spawn(self._choose(choice, keep), self)

    async def _choose(self, choice: Choice, keep: str) -> None:
        await self._resolve(choice.book_id, choice.field, keep)
        self.resolved.emit(choice.book_id, choice.field, keep)
        await self._refresh(choice.book_id)
