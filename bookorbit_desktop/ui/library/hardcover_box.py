"""The book panel's Hardcover section: how the book is matched, with Pick, Re-match and
Exclude / Include while a Hardcover account is connected."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from bookorbit_desktop.services.library.records import BookDetails
from bookorbit_desktop.services.library.service import (
    HARDCOVER_LABELS,
    hardcover_state,
    progress_text,
)
from bookorbit_desktop.ui.library.hardcover_changes import HardcoverChanges
from bookorbit_desktop.ui.widgets import bare


class HardcoverBox(QGroupBox):
    """Shows one book's match; the signals carry that book's id."""

    pick_requested = Signal(int)
    rematch_requested = Signal(int)
    exclude_requested = Signal(int, bool)  # book id, True to exclude / False to include

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Hardcover", parent)
        self._book_id: int | None = None
        self._excluded = False
        layout = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setObjectName("hardcoverState")
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        self.pick_button = QPushButton("Pic&k…")
        self.pick_button.setToolTip("Search Hardcover and choose the book and edition yourself")
        self.rematch_button = QPushButton("Re-mat&ch")
        self.rematch_button.setToolTip("Forget the current link and match this book again")
        self.exclude_button = QPushButton("E&xclude")
        self.pick_button.clicked.connect(lambda: self._emit(self.pick_requested))
        self.rematch_button.clicked.connect(lambda: self._emit(self.rematch_requested))
        self.exclude_button.clicked.connect(self._toggle_exclude)
        self.buttons, buttons = bare(QHBoxLayout)
        for button in (self.pick_button, self.rematch_button, self.exclude_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.buttons.hide()
        layout.addWidget(self.buttons)
        self.changes = HardcoverChanges()  # values from hardcover.app, conflicts to settle
        layout.addWidget(self.changes)

    def set_actions(self, enabled: bool) -> None:
        """Show Pick / Re-match / Exclude (only when a Hardcover account is connected)."""
        self.buttons.setVisible(enabled)

    def show_book(self, book: BookDetails) -> None:
        """Show how `book` is matched; hidden for a book the matcher has not seen."""
        match = book.get("hardcover_match")
        self.setVisible(match is not None)
        self._book_id = book["id"]
        if match is None:
            return
        reading = book.get("reading")
        status = reading["status"] if reading else "unread"
        progress = float(reading["progress"] or 0.0) if reading else 0.0
        state = hardcover_state(match.get("state") or "unmatched", status)
        parts = [f"<b>{html.escape(HARDCOVER_LABELS.get(state, state))}</b>"]
        if match.get("summary"):
            parts.append(html.escape(str(match["summary"])))
        if state == "linked" and match.get("edition_pages"):
            pages = progress_text(progress, match["edition_pages"], status)
            parts.append(f"Progress: {pages}")
        if match.get("reason"):
            parts.append(f"<i>{html.escape(str(match['reason']))}</i>")
        self.label.setText("<br>".join(parts))
        if state == "linked":
            self.changes.show_book(book["id"])
        else:
            self.changes.hide()
        self._excluded = match.get("state") == "excluded"
        excluded = state == "excluded"
        self.exclude_button.setText("Inc&lude" if excluded else "E&xclude")
        self.pick_button.setEnabled(not excluded)
        self.rematch_button.setEnabled(not excluded and state not in ("unmatched", "unread"))

    def _emit(self, signal: SignalInstance) -> None:
        if self._book_id is not None:
            signal.emit(self._book_id)

    def _toggle_exclude(self) -> None:
        if self._book_id is not None:
            self.exclude_requested.emit(self._book_id, not self._excluded)
