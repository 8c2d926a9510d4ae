"""The "History" section of the book panel: the changes the change journal keeps for the book
it shows, latest first ("2026-11-26 09:30  Edit “Emma”: title: Emma → Emma."), an undone one
marked. Mounted below the description by `mount_history`, without a change to the panel; it
follows the book the panel shows and reads again whenever Edit ▸ Undo's names do (`refresh`),
and is hidden while the book has no change kept.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGroupBox, QVBoxLayout, QWidget

from bookorbit_desktop.services.undo import HistoryLine
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.widgets import wrapped_label

SHOWN = 20  # changes listed at most


def history_text(lines: list[HistoryLine]) -> str:
    """One line per change of the book, latest first."""
    rows = []
    for line in lines:
        changes = "; ".join(text for _, text in line.changes)
        undone = " (undone)" if line.undone else ""
        rows.append(f"{line.when}  {line.label}{undone}" + (f": {changes}" if changes else ""))
    return "\n".join(rows)


class BookHistory(QGroupBox):
    def __init__(
        self, history: Callable[[int], list[HistoryLine]], parent: QWidget | None = None
    ) -> None:
        super().__init__("History", parent)
        self.setObjectName("bookHistory")
        self._history = history
        self.book_id: int | None = None
        self.text = wrapped_label()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self).addWidget(self.text)
        self.hide()

    def show_book(self, book_id: int | None) -> None:
        self.book_id = book_id
        self.refresh()

    def refresh(self) -> None:
        lines = self._history(self.book_id) if self.book_id is not None else []
        self.text.setText(history_text(lines))
        self.setVisible(bool(lines))


def mount_history(panel: BookPanel, history: Callable[[int], list[HistoryLine]]) -> BookHistory:
    """Put the section below the panel's description, following the book it shows."""
    box = BookHistory(history)
    anchor = panel.description_box
    body = anchor.parentWidget()
    layout = body.layout() if body is not None else None
    assert isinstance(layout, QBoxLayout)  # the panel's body column
    layout.insertWidget(layout.indexOf(anchor) + 1, box)
    panel.book_shown.connect(box.show_book)
    panel.saved.connect(lambda _book_id: box.refresh())
    box.show_book(panel.book_id)
    return box
