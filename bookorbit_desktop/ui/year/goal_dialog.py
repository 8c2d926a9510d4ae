"""Set a reading goal / Change the goal: how many books (or pages), between which two dates,
and what it is called. A goal the library refuses (it ends before it starts) is said under the
form and the dialog stays open with what the user typed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.goals.service import Goal, checked
from bookorbit_desktop.ui.widgets import form_with_buttons, message_label, say_wrong

METRICS = (("books", "Books"), ("pages", "Pages"))


def _date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class GoalDialog(QDialog):
    def __init__(self, title: str, goal: Goal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.count = QSpinBox()
        self.count.setRange(1, 1_000_000)
        self.count.setValue(goal.target)
        self.count.setAccessibleName("Books or pages to read")
        self.metric_box = QComboBox()
        for value, label in METRICS:
            self.metric_box.addItem(label, value)
        self.metric_box.setCurrentIndex([m for m, _ in METRICS].index(goal.metric))
        self.start = _date_edit(goal.start)
        self.end = _date_edit(goal.end)
        self.description = QLineEdit(goal.description)
        self.description.setPlaceholderText("for example: 2026")
        self.error = message_label("goalError")
        form = QFormLayout()
        form.addRow("&Read:", self.count)
        form.addRow("&Counting:", self.metric_box)
        form.addRow("&From:", self.start)
        form.addRow("&To:", self.end)
        form.addRow("&Name:", self.description)
        form_with_buttons(self, form, self.error)
        self.goal: Goal | None = None

    def accept(self) -> None:
        start, end = self.start.date(), self.end.date()
        try:
            self.goal = checked(
                Goal(
                    self.count.value(),
                    str(self.metric_box.currentData()),
                    dt.date(start.year(), start.month(), start.day()),
                    dt.date(end.year(), end.month(), end.day()),
                    self.description.text(),
                )
            )
        except BookOrbitError as error:
            say_wrong(self, self.error, error.message)
            return
        super().accept()
