"""The editor of a custom column's value in the library table, by its kind: a line for text and
a number, stars from a list for a rating (none, then 5 ★ down in half steps), a date from a
calendar with No Date to clear it, Yes / No / none for a yes/no, the column's values for a fixed
list, a line of comma-separated values completed from the column's others (as tags are:
`tag_editor.complete_tags`) for a tag-like one, and several lines for a long text (Ctrl+Enter or
leaving the cell saves it; Enter starts a new line).

Each editor gives and takes the value as the Edit dialog types it (`kinds.shown`, "" for none:
`set_text`, `text_of`, which the built-in columns' lines and rating list go through too), so
the library checks it by the one rule of its kind (`kinds.parse`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from bookorbit_desktop.services.library.custom_columns import YES_NO, Column
from bookorbit_desktop.ui.library.tag_editor import complete_tags

# The rating's choices, as the bulk edit's: none, then 5 ★ down in half steps.
RATINGS = [("No rating", "")] + [(f"{n / 2:g} ★", f"{n / 2:g}") for n in range(10, 0, -1)]
_NO_DATE = QDate(100, 1, 1)  # the date edit's lowest date stands for none (shown "No date")
_ISO = "yyyy-MM-dd"
LONG_TEXT_LINES = 6  # a long text's editor is this many lines high, over the rows below
_HINTS = {"number": "A number, such as 3.5", "tags": "Separate values with commas"}


class _DateEdit(QDateEdit):
    """Without a date ("No date"): the calendar opens on this month, and typing or stepping
    starts from today, not from the lowest date."""

    def _none(self) -> bool:
        return self.date() == self.minimumDate()

    def _from_today(self) -> None:
        self.setDate(QDate.currentDate())
        self.setCurrentSection(QDateEdit.Section.YearSection)
        self.lineEdit().setSelection(0, 4)  # the year, replaced by what is typed

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        if self._none():
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._none() and event.text().isdigit():
            self._from_today()
        super().keyPressEvent(event)

    def stepBy(self, steps: int) -> None:
        if self._none():
            self._from_today()
            return
        super().stepBy(steps)


class DateField(QWidget):
    """A date from a calendar, and No Date to clear it; `text()` is the ISO date or ""."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date_edit = _DateEdit()
        self.date_edit.setAccessibleName(name)
        self.date_edit.setDisplayFormat(_ISO)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setMinimumDate(_NO_DATE)
        self.date_edit.setSpecialValueText("No date")
        self.clear_button = QToolButton()
        self.clear_button.setText("No date")
        self.clear_button.setAccessibleName(f"Clear {name}")
        self.clear_button.setToolTip("Leave the book without a date")
        self.clear_button.clicked.connect(lambda: self.setText(""))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.date_edit, 1)
        row.addWidget(self.clear_button)
        self.setFocusProxy(self.date_edit)
        self.setAutoFillBackground(True)

    def setText(self, text: str) -> None:
        day = QDate.fromString(text[:10], _ISO)
        if day.isValid():
            self.date_edit.setDate(day)
            return
        self.date_edit.setDate(_NO_DATE)

    def text(self) -> str:
        day = self.date_edit.date()
        return "" if day == _NO_DATE else day.toString(_ISO)


def _combo(name: str, items: Sequence[tuple[str, str]], parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    box.setAccessibleName(name)
    for text, value in items:
        box.addItem(text, value)
    return box


def rating_editor(name: str, parent: QWidget) -> QComboBox:
    return _combo(name, RATINGS, parent)


def editor(column: Column, name: str, known: Sequence[str], parent: QWidget) -> QWidget:
    """The editor of `column`'s value, named `name` (its heading); `known`: the values a
    tag-like column holds already, to complete from."""
    kind = column.kind_name
    if kind == "rating":
        return rating_editor(name, parent)
    if kind == "yes-no":
        return _combo(name, [("", ""), *((value, value) for value in YES_NO)], parent)
    if kind == "list":
        return _combo(name, [("", ""), *((choice, choice) for choice in column.choices)], parent)
    if kind == "date":
        return DateField(name, parent)
    if kind == "long-text":
        lines = QPlainTextEdit(parent)
        lines.setAccessibleName(name)
        lines.setTabChangesFocus(True)
        lines.setPlaceholderText("Ctrl+Enter saves, Esc leaves it as it was")
        return lines
    line = QLineEdit(parent)
    line.setAccessibleName(name)
    line.setPlaceholderText(_HINTS.get(kind, ""))
    if kind == "tags":
        complete_tags(line, sorted(known, key=str.casefold))
    return line


def set_text(widget: QWidget, text: str) -> None:
    """Show `text` (as `kinds.shown` writes a value) in an editor of `editor`."""
    if isinstance(widget, QComboBox):
        found = widget.findData(text)
        if found < 0:  # a value from before the list had it: kept as it is
            widget.addItem(text, text)
            found = widget.count() - 1
        widget.setCurrentIndex(found)
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
    elif isinstance(widget, QLineEdit | DateField):
        widget.setText(text)


def text_of(widget: QWidget) -> str | None:
    """The text an editor of `editor` holds (None for another widget)."""
    if isinstance(widget, QComboBox):
        return str(widget.currentData())
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit | DateField):
        return widget.text()
    return None
