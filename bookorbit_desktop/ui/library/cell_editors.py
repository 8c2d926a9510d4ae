"""The editor of a custom column's value in the library table, by its kind: a line for text and
a number, stars from a list for a rating (none, then five stars down in half steps), a date typed or
picked from a calendar (an impossible date refused, not corrected) with No Date to clear it,
Yes / No / none for a yes/no, the column's values for a fixed list, a line of comma-separated
values completed from the column's others (as tags are: `tag_editor.complete_tags`) for a
tag-like one, and several lines for a long text (Ctrl+Enter or leaving the cell saves it; Enter
starts a new line).

Each editor gives and takes the value as the Edit dialog types it (`kinds.shown`, "" for none:
`set_text`, `text_of`, which the built-in columns' lines and rating list go through too), so
the library checks it by the one rule of its kind (`kinds.parse`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from bookorbit_desktop.descriptions import display_html
from bookorbit_desktop.services.library.custom_columns import YES_NO, Column
from bookorbit_desktop.services.library.service import rating_choice
from bookorbit_desktop.ui.library.description_editor import document_markup
from bookorbit_desktop.ui.library.tag_editor import complete_tags
from bookorbit_desktop.ui.text_browser import OfflineBrowser

# The rating's choices, as the bulk edit's: none, then five stars down in half steps.
RATINGS = [("No rating", "")] + [(rating_choice(n / 2), f"{n / 2:g}") for n in range(10, 0, -1)]
NONE = "(none)"  # a list's or a yes/no's choice of no value
_ISO = "yyyy-MM-dd"
LONG_TEXT_LINES = 6  # a long text's editor is this many lines high, over the rows below
LONG_TEXT_KEYS = "Ctrl+Enter saves, Enter starts a new line, Esc leaves it as it was"
# What a kind's line says while it is empty (the Edit dialog's fields too); short, so that it
# shows whole in a narrow field.
HINTS = {
    "number": "A number, such as 3.5",
    "date": "A date, such as 2024-05-31",
    "tags": "Separated by commas",
    "series": "Such as Dune [2]",
}
_WHOLE = "A whole number"  # a number column of calibre's whole numbers ("int")


def hint(column: Column) -> str:
    """What the line of `column`'s value says while it is empty ("" for none)."""
    return _WHOLE if column.kind == "int" else HINTS.get(column.kind_name, "")


class DateField(QWidget):
    """A date typed as it is written (2024-05-31), or picked from a calendar, and No Date to
    clear it; `text()` is what was typed ("" for none), read by the date's one rule when saved,
    so an impossible date ("2020-13-45") is refused, not corrected. Up and Down step a day
    (from today when there is none)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit()
        self.line.setAccessibleName(name)
        self.line.setPlaceholderText("No date")
        self.line.setToolTip(HINTS["date"])
        self.line.installEventFilter(self)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        menu = QMenu(self)
        shown = QWidgetAction(menu)
        shown.setDefaultWidget(self.calendar)
        menu.addAction(shown)
        menu.aboutToShow.connect(self._open_calendar)
        self.calendar_button = QToolButton()
        self.calendar_button.setText("Calendar")
        self.calendar_button.setAccessibleName(f"Pick {name} from a calendar")
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # Its text says what it opens: no menu arrow squeezed beside it.
        self.calendar_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.calendar_button.setMenu(menu)
        self.clear_button = QToolButton()
        self.clear_button.setText("No date")
        self.clear_button.setAccessibleName(f"Clear {name}")
        self.clear_button.setToolTip("Leave the book without a date")
        self.clear_button.clicked.connect(lambda: self.setText(""))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.line, 1)
        row.addWidget(self.calendar_button)
        row.addWidget(self.clear_button)
        self.setFocusProxy(self.line)
        self.setAutoFillBackground(True)

    def _day(self) -> QDate:
        """The date typed (an invalid QDate when there is none, or it is no date)."""
        return QDate.fromString(self.text(), _ISO)

    def _open_calendar(self) -> None:
        day = self._day()
        self.calendar.setSelectedDate(day if day.isValid() else QDate.currentDate())

    def _picked(self, day: QDate) -> None:
        self.setText(day.toString(_ISO))
        menu = self.calendar_button.menu()
        if menu is not None:
            menu.hide()
        self.line.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.line and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}.get(Qt.Key(event.key()))
            if step is not None and event.type() == QEvent.Type.KeyPress:
                day = self._day()
                if day.isValid() or not self.text():
                    start = day.addDays(step) if day.isValid() else QDate.currentDate()
                    self.setText(start.toString(_ISO))
                return True  # (not passed on: the table would move to another row)
        return super().eventFilter(watched, event)

    def setText(self, text: str) -> None:
        self.line.setText(text[:10] if QDate.fromString(text[:10], _ISO).isValid() else text)

    def text(self) -> str:
        return self.line.text().strip()


class RichLines(OfflineBrowser):
    """A long text in HTML (calibre's comments), shown formatted as the book panel's
    description is, never as its tags; `text()` is the stored text (`setText`) while the words
    and their formatting are unchanged, else the HTML the description rule keeps
    (`document_markup`)."""

    def __init__(self, stored: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(False)
        self.setTabChangesFocus(True)
        self.setText(stored)

    def setText(self, stored: str) -> None:
        self.setHtml(display_html(stored))
        self._stored, self._opened = stored, document_markup(self)

    def text(self) -> str:
        markup = document_markup(self)
        return self._stored if markup == self._opened else markup


def _combo(name: str, items: Sequence[tuple[str, str]], parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    box.setAccessibleName(name)
    for text, value in items:
        box.addItem(text, value)
    return box


def rating_editor(name: str, parent: QWidget) -> QComboBox:
    return _combo(name, RATINGS, parent)


def editor(
    column: Column, name: str, known: Sequence[str], parent: QWidget, html: bool = False
) -> QWidget:
    """The editor of `column`'s value, named `name` (its heading); `known`: the values a
    tag-like column holds already, to complete from; `html`: a long text's value is HTML."""
    kind = column.kind_name
    if kind == "rating":
        return rating_editor(name, parent)
    if kind == "yes-no":
        return _combo(name, [(NONE, ""), *((value, value) for value in YES_NO)], parent)
    if kind == "list":
        return _combo(name, [(NONE, ""), *((choice, choice) for choice in column.choices)], parent)
    if kind == "date":
        return DateField(name, parent)
    if kind == "long-text":
        lines: QPlainTextEdit | RichLines = (
            RichLines(parent=parent) if html else QPlainTextEdit(parent)
        )
        lines.setAccessibleName(name)
        lines.setTabChangesFocus(True)
        lines.setPlaceholderText(LONG_TEXT_KEYS)
        lines.setToolTip(LONG_TEXT_KEYS)
        return lines
    line = QLineEdit(parent)
    line.setAccessibleName(name)
    line.setPlaceholderText(hint(column))
    if kind == "tags":
        complete_tags(line, sorted(known, key=str.casefold))
    elif kind == "series":  # the series there are, by the name's start
        names = QCompleter(list(known), line)
        names.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        line.setCompleter(names)
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
    elif isinstance(widget, QLineEdit | DateField | RichLines):
        widget.setText(text)


def text_of(widget: QWidget) -> str | None:
    """The text an editor of `editor` holds (None for another widget)."""
    if isinstance(widget, QComboBox):
        return str(widget.currentData())
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit | DateField | RichLines):
        return widget.text()
    return None
