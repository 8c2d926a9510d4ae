"""Mark Read's question when nothing says when the book was finished: a small dialog with a
date field prefilled with today, so that today is a date the user chooses, never a silent
default (the reading history's last session is used without asking when it has one). "No date"
is the user's answer too: the book is read with no finish date (`marking.NO_DATE`)."""

from __future__ import annotations

import datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QWidget

from bookorbit_desktop.services.library.service import NO_DATE
from bookorbit_desktop.ui.text import plain_label


class FinishDateDialog(QDialog):
    def __init__(self, title: str, today: datetime.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("When did you finish it?")
        layout = QFormLayout(self)
        note = plain_label(
            f"The reading history does not say when you finished “{title}”. Choose the date "
            "to record (and send to Hardcover), or No date if you do not know it:"
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
        # An action of its own (not AcceptRole), so the answer is set before the dialog closes.
        self.no_date_button = buttons.addButton("&No date", QDialogButtonBox.ButtonRole.ActionRole)
        self.no_date_button.setToolTip("Mark it read without a finish date")
        self._no_date = False
        self.no_date_button.clicked.connect(self._choose_no_date)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _choose_no_date(self) -> None:
        self._no_date = True
        self.accept()

    def chosen(self) -> str:
        """The date chosen, as ISO text, or `NO_DATE` when the user does not know it."""
        return NO_DATE if self._no_date else self.date_edit.date().toString("yyyy-MM-dd")
