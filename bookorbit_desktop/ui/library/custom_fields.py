"""The Edit dialog's Custom Columns section: a field per custom column, as its kind is typed (a
fixed list and a yes/no chosen from their values, a long text in several lines (calibre's HTML
comments shown formatted, never as tags), the others typed: a tag-like column's values
separated by commas), in a box that scrolls past a few rows so the dialog keeps its size.

One book: a value is saved only when changed. Several books: each field starts "(unchanged)"
(a line keeps the books' value where they agree, so it can be corrected) and is given to every
book only when something is chosen or typed; its Clear box takes the value away from all of
them, even where they differ. The library checks a value by the column's kind when the dialog
saves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

from bookorbit_desktop.descriptions import is_html
from bookorbit_desktop.services.library.custom_columns import YES_NO, Column
from bookorbit_desktop.services.library.edits import EditForm
from bookorbit_desktop.ui.library.cell_editors import NONE, RATINGS, RichLines, hint
from bookorbit_desktop.ui.library.model import COLUMNS
from bookorbit_desktop.ui.text import plain_label, plain_tooltip, without_shortcuts
from bookorbit_desktop.ui.widgets import wide_row

BUILT_IN = [title for _key, title in COLUMNS]  # the library's own fields' names

MAX_HEIGHT = 150  # the rows shown before the box scrolls, more where the screen has room
LONG_TEXT_LINES = 3  # a long text's field shows this many lines
UNCHANGED = "(unchanged)"


Field = QLineEdit | QComboBox | QPlainTextEdit | RichLines


def _box(column: Column, text: str, many: bool) -> QComboBox:
    box = QComboBox()
    # As wide as the row gives, not as the longest value: the Clear box stays in sight.
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(8)
    if column.kind_name == "list":
        choices = [(choice, choice) for choice in column.choices]
    elif column.kind_name == "rating":  # stars, as the table's cell editor offers them
        choices = list(RATINGS[1:])
    else:
        choices = [(value, value) for value in YES_NO]
    shown = dict((value, label) for label, value in choices).get(text, text)
    if many:  # nothing chosen: each book keeps its own
        box.addItem(f"(unchanged: {shown})" if text else UNCHANGED, None)
    else:
        choices.insert(0, RATINGS[0] if column.kind_name == "rating" else (NONE, ""))
        if text not in (value for _label, value in choices):
            choices.append((text, text))  # a value from before the list had it: kept as it is
    for label, value in choices:
        box.addItem(label, value)
    if not many:
        box.setCurrentIndex(box.findData(text))
    return box


def _field(column: Column, text: str, many: bool) -> Field:
    if column.kind_name in ("list", "yes-no", "rating"):
        return _box(column, text, many)
    shown = UNCHANGED if many else hint(column)
    if column.kind_name == "long-text":
        lines = QPlainTextEdit(text) if many or not is_html(text) else RichLines(text)
        lines.setTabChangesFocus(True)
        lines.setPlaceholderText(shown)
        lines.setFixedHeight(
            lines.fontMetrics().lineSpacing() * LONG_TEXT_LINES + 2 * lines.frameWidth() + 8
        )
        return lines
    line = QLineEdit(text)
    line.setPlaceholderText(shown)
    return line


def _text(field: Field) -> str | None:
    """What the field holds, as typed (None: "(unchanged)" chosen)."""
    if isinstance(field, QLineEdit | RichLines):
        return field.text()
    if isinstance(field, QPlainTextEdit):
        return field.toPlainText()
    chosen = field.currentData()
    return None if chosen is None else str(chosen)


class CustomFields:
    """The section's fields, by the columns' field names (`Column.key`); with several books,
    their Clear boxes (`clear`)."""

    def __init__(self, form: EditForm, edited: Callable[[], None]) -> None:
        self._form = form
        many = len(form.book_ids) > 1
        self.fields: dict[str, Field] = {}
        self.clear: dict[str, QCheckBox] = {}
        inner = QWidget()
        rows = QFormLayout(inner)
        for column in form.custom:
            field = _field(column, form.texts.get(column.key, ""), many)
            heading = column.heading(BUILT_IN)
            field.setAccessibleName(column.name)
            if isinstance(field, QLineEdit):
                field.textEdited.connect(lambda _text: edited())
            elif isinstance(field, QPlainTextEdit | RichLines):
                field.textChanged.connect(edited)
            else:
                field.activated.connect(lambda _index: edited())
            # a column's name may come from a calibre library: shown as typed, never as markup
            label = plain_label(without_shortcuts(f"{heading}:"))
            label.setBuddy(field)
            if many:
                rows.addRow(label, wide_row(field, self._clear_box(column.key, heading, edited)))
            else:
                rows.addRow(label, field)
            self.fields[column.key] = field
        self.box = QScrollArea()
        self.box.setWidget(inner)
        self.box.setWidgetResizable(True)
        self.box.setMaximumHeight(MAX_HEIGHT)
        self.box.setAccessibleName("Custom columns")

    def _clear_box(self, key: str, heading: str, edited: Callable[[], None]) -> QCheckBox:
        clear = QCheckBox("Clear")
        clear.setAccessibleName(f"Clear {heading}")
        clear.setToolTip(plain_tooltip(f"Remove {heading} from every selected book"))
        clear.toggled.connect(lambda on: self.fields[key].setEnabled(not on))
        clear.toggled.connect(lambda _on: edited())
        self.clear[key] = clear
        return clear

    def fit_in(self, excess: Callable[[], int]) -> None:
        """Every field in view when the screen has room: the box as tall as its fields, less
        what the dialog then overflows its screen by (`excess()`, pixels), never lower than
        `MAX_HEIGHT`."""
        inner = self.box.widget()
        whole = 0 if inner is None else inner.sizeHint().height() + 2 * self.box.frameWidth()
        if whole <= MAX_HEIGHT:
            return
        self.box.setFixedHeight(whole)
        over = excess()
        if over > 0:
            self.box.setFixedHeight(max(MAX_HEIGHT, whole - over))

    def give_way(self) -> None:
        """Once the dialog has its size: the box gives up height (down to `MAX_HEIGHT`) to a
        message shown below it, rather than the dialog's rows overlapping on a full screen."""
        self.box.setMinimumHeight(min(MAX_HEIGHT, self.box.maximumHeight()))

    def add_to(self, layout: QFormLayout) -> None:
        """The section as a row of `layout` (nothing without a custom column)."""
        if self.fields:
            layout.addRow("C&ustom columns:", self.box)
            label = layout.labelForField(self.box)
            if label is not None and hasattr(label, "setBuddy"):
                label.setBuddy(next(iter(self.fields.values())))

    def changed(self) -> dict[str, str]:
        """The values changed, as typed, by field name ("" clears)."""
        opened, mixed = self._form.texts, self._form.mixed
        found: dict[str, str] = {}
        for key, field in self.fields.items():
            clear = self.clear.get(key)
            if clear is not None and clear.isChecked():
                found[key] = ""  # taken from every book, where they differ too
                continue
            text = _text(field)
            if text is None:  # "(unchanged)" chosen
                continue
            # where the books differ, an empty field leaves each its own
            if text.strip() if key in mixed else text != opened.get(key, ""):
                found[key] = text
        return found
