"""Mark Read's question when nothing says when the book was finished: a small dialog with a
date field prefilled with today, so that today is a date the user chooses, never a silent
default (the reading history's last session is used without asking when it has one)."""

from __future__ import annotations

import datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget


class FinishDateDialog(QDialog):
    def __init__(self, title: str, today: datetime.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("When did you finish it?")
        layout = QFormLayout(self)
        note = QLabel(
            f"The reading history does not say when you finished “{title}”. Choose the date "
            "to record (and send to Hardcover):"
        )
        note.setWordWrap(True)
        layout.addRow(note)
        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        layout.addRow("&Finished:", self.date_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Mark Read")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def chosen(self) -> str:
        """The date chosen, as ISO text."""
        return self.date_edit.date().toString("yyyy-MM-dd")
