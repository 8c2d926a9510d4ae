"""Conflicts with hardcover.app, found from the Hardcover page: a line with their count
("2 conflicts with hardcover.app") and Review Conflicts…, a dialog with every conflict and the
book panel's Keep mine / Keep Hardcover's for each. Nothing is sent for a field in conflict
until the user chooses. Reads and choices go through `services` off the window's thread.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.hardcover import pulled
from bookorbit_desktop.services.hardcover.conflicts import OpenConflict, open_conflicts_later
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.keep_choice import both_values, keep_buttons
from bookorbit_desktop.ui.widgets import bare, clear_layout, push_button, wrapped_label

Loader = Callable[[], Awaitable[list[OpenConflict]]]
Resolver = Callable[[int, str, str], Awaitable[Any]]


def count_text(count: int) -> str:
    return f"{count} conflict{'s' if count != 1 else ''} with hardcover.app"


class ConflictsDialog(QDialog):
    """Every open conflict, each with Keep mine / Keep Hardcover's; the list is read again
    after each choice."""

    resolved = Signal(int, str, str)  # book id, field, "local" | "hardcover"

    def __init__(self, load: Loader, resolve: Resolver, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Conflicts with hardcover.app")
        self.setMinimumWidth(520)
        self._load, self._resolve = load, resolve
        self.task: asyncio.Task[None] | None = None
        self.buttons: dict[tuple[int, str, str], QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                "These fields changed both in the library and on hardcover.app since the last "
                "sync. Nothing is sent for them until you choose whose value stays."
            )
        )
        self.rows, self._rows = bare(QVBoxLayout)
        layout.addWidget(self.rows)
        self.empty_label = wrapped_label("No conflicts left: every change is settled.")
        self.empty_label.hide()
        layout.addWidget(self.empty_label)
        layout.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

    async def reload(self) -> None:
        self.show_conflicts(await self._load())

    def show_conflicts(self, conflicts: list[OpenConflict]) -> None:
        clear_layout(self._rows)
        self.buttons = {}
        for conflict in conflicts:
            self._rows.addWidget(self._row(conflict))
        self.empty_label.setVisible(not conflicts)

    def _row(self, conflict: OpenConflict) -> QWidget:
        choice = conflict.choice
        row, layout = bare(QHBoxLayout)
        text = wrapped_label(
            f"<b>{html.escape(conflict.title)}</b>: {html.escape(choice.label)}<br>"
            + both_values(choice)
        )
        layout.addWidget(text, 1)
        about = f"{conflict.title}, {choice.label}"
        for keep, button in keep_buttons(choice, about, self.choose).items():
            layout.addWidget(button)
            self.buttons[(choice.book_id, choice.field, keep)] = button
        return row

    def choose(self, choice: pulled.Choice, keep: str) -> None:
        for button in self.buttons.values():
            button.setEnabled(False)
        self.task = spawn(self._choose(choice, keep), self)

    async def _choose(self, choice: pulled.Choice, keep: str) -> None:
        try:
            await self._resolve(choice.book_id, choice.field, keep)
        finally:
            await self.reload()  # settled, or still open: the list says which
        self.resolved.emit(choice.book_id, choice.field, keep)


class ConflictsLine(QWidget):
    """The count of open conflicts and Review Conflicts…; hidden while there are none."""

    dialog_opened = Signal(object)  # the dialog, once on screen
    resolved = Signal(int, str, str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        load: Loader = open_conflicts_later,
        resolve: Resolver = pulled.resolve_async,
    ) -> None:
        super().__init__(parent)
        self._load, self._resolve = load, resolve
        self.task: asyncio.Task[None] | None = None
        self.dialog: ConflictsDialog | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("hardcoverConflicts")
        self.review_button = push_button(
            "Review &Conflicts…",
            self.open_dialog,
            tip="Fields changed both here and on hardcover.app: choose whose value stays",
        )
        layout.addWidget(self.label, 1)
        layout.addWidget(self.review_button)
        self.hide()

    def refresh(self) -> None:
        """Count the open conflicts again (off the window's thread); without a running event
        loop there is nothing to read them with yet."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        self.task = spawn(self._refresh(), self)

    async def _refresh(self) -> None:
        self.show_count(len(await self._load()))

    def show_count(self, count: int) -> None:
        self.label.setText(count_text(count))
        self.setVisible(count > 0)

    def open_dialog(self) -> ConflictsDialog:
        if self.dialog is None:
            self.dialog = ConflictsDialog(self._load, self._resolve, self.window())
            self.dialog.resolved.connect(self.resolved)
            self.dialog.resolved.connect(lambda *_: self.refresh())
        self.task = spawn(self._open(self.dialog), self)
        return self.dialog

    async def _open(self, dialog: ConflictsDialog) -> None:
        await dialog.reload()
        dialog.show()
        dialog.raise_()
        self.dialog_opened.emit(dialog)
