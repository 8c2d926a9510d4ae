"""The Edit dialog's fields for several books beyond authors, series and language: publisher,
series numbers from N (in the order the table shows the books) or kept as they are, reading
status (Want to read among them) with, for a read, the finish date of the books whose history
has none, and rating; and the confirmation that names the count.

Each field starts as "unchanged" (the publisher as the shared fields do: the books' own when
they agree, empty when they differ) and is given to the books only when the user sets it. The
first Save shows what the edit will do, worked out by the same save rolled back
(`services.library.bulk_edits`): the fields, how many books change, those that already have the
values and those a rule leaves as they are, with why; the Save button then reads "Apply to 12
Books". Editing any field again asks again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
)

from bookorbit_desktop.services.library.bulk_edits import FINISHED, NUMBER_FROM_MAX, BulkOutcome
from bookorbit_desktop.services.library.edits import EditForm
from bookorbit_desktop.services.library.service import FINISHED as FINISHED_STATUSES
from bookorbit_desktop.services.library.service import NO_DATE, STATUS_LABELS, rating_choice
from bookorbit_desktop.ui.metadata.screen_fit import available_area
from bookorbit_desktop.ui.widgets import FRAME_ALLOWANCE

UNCHANGED = "(unchanged)"
_RATINGS = [("No rating", "none")] + [
    (rating_choice(n / 2), f"{n / 2:g}") for n in range(10, 0, -1)
]  # five stars first, in half steps


def _combo(name: str, items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.addItem(UNCHANGED, None)
    for text, value in items:
        combo.addItem(text, value)
    return combo


class BulkFields:
    def __init__(self, fields: QFormLayout, form: EditForm, on_edited: Callable[[], None]) -> None:
        # As the shared fields: the books' publisher when they agree, else empty and kept.
        self._publisher = form.texts.get("publisher", "")
        self.publisher = QLineEdit(self._publisher)
        self.publisher.setAccessibleName("Publisher")
        if "publisher" in form.mixed:
            self.publisher.setPlaceholderText("(several values)")
        fields.addRow("&Publisher:", self.publisher)
        self.number = QCheckBox("&Number them from")
        self.number.setToolTip("Number the series in the order the table shows the books")
        self.number_from = QDoubleSpinBox()
        self.number_from.setAccessibleName("First number")
        self.number_from.setRange(0, NUMBER_FROM_MAX)
        self.number_from.setDecimals(1)
        self.number_from.setValue(1)
        self.number_from.setEnabled(False)
        self.number.toggled.connect(self.number_from.setEnabled)
        numbers = QHBoxLayout()
        numbers.addWidget(self.number)
        numbers.addWidget(self.number_from)
        numbers.addWidget(QLabel("in the order shown (unticked: keep their numbers)"), 1)
        fields.addRow("Series numbers:", numbers)
        self.status = _combo("Status", list((label, key) for key, label in STATUS_LABELS.items()))
        fields.addRow("S&tatus:", self.status)
        self.finish = FinishDateRow(fields, self.status)
        self.rating = _combo("Rating", _RATINGS)
        fields.addRow("&Rating:", self.rating)
        self.publisher.textEdited.connect(on_edited)
        self.number.toggled.connect(on_edited)
        self.number_from.valueChanged.connect(on_edited)
        self.status.currentIndexChanged.connect(on_edited)
        self.rating.currentIndexChanged.connect(on_edited)
        self.finish.date.dateChanged.connect(on_edited)
        self.finish.no_date.toggled.connect(on_edited)

    def changed(self) -> dict[str, str]:
        """The fields the user set, as the bulk edit takes them."""
        typed: dict[str, str] = {}
        if self.publisher.text() != self._publisher:  # emptied: the publisher is removed
            typed["publisher"] = self.publisher.text()
        if self.number.isChecked():
            typed["number_from"] = f"{self.number_from.value():g}"
        for name, combo in (("status", self.status), ("rating", self.rating)):
            if combo.currentData() is not None:
                typed[name] = combo.currentData()
        return typed | self.finish.changed()


class FinishDateRow:
    """With a finished status (read, skimmed): the finish date for the books whose reading
    history gives none, asked once for all of them as Mark Read asks for one book
    (`finish_date`): a date prefilled with today, or No date. The books the history dates keep
    their own; the confirmation says how many take this one."""

    def __init__(self, fields: QFormLayout, status: QComboBox) -> None:
        self._status = status
        today = QDate.currentDate()
        self.date = QDateEdit(today)
        self.date.setAccessibleName("Finish date for books without one")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(today)
        self.no_date = QCheckBox("No &date")
        self.no_date.setToolTip("Mark them finished without a finish date")
        self.no_date.toggled.connect(lambda checked: self.date.setEnabled(not checked))
        row = QHBoxLayout()
        row.addWidget(self.date)
        row.addWidget(self.no_date, 1)
        self._fields, self._row = fields, row
        label = QLabel("&Finish date for books without one:")
        label.setBuddy(self.date)  # a row of two widgets has no buddy of its own
        fields.addRow(label, row)
        status.currentIndexChanged.connect(self._show)
        self._show()

    def _asked(self) -> bool:
        return self._status.currentData() in FINISHED_STATUSES

    def _show(self) -> None:
        self._fields.setRowVisible(self._row, self._asked())

    def changed(self) -> dict[str, str]:
        if not self._asked():
            return {}
        return {
            FINISHED: NO_DATE
            if self.no_date.isChecked()
            else self.date.date().toString("yyyy-MM-dd")
        }


def ask(outcome: BulkOutcome, label: QLabel, button: QPushButton) -> None:
    """Show what the save will do and name the count on the button (none: nothing to apply)."""
    count = len(outcome.changed)
    if count:
        label.setText(f"{outcome.summary()}\nEdit ▸ Undo takes it back.")
        button.setText("Apply to 1 Book" if count == 1 else f"Apply to {count} Books")
    else:
        label.setText(f"{outcome.summary()}\nNothing to apply.")
    button.setEnabled(count > 0)
    label.show()
    _grow_to_show(label)


def _grow_to_show(label: QLabel) -> None:
    """Make the dialog tall enough for the summary to show whole (the books left as they are
    can fill ten lines or more), within its screen's free area, moved up if its buttons would
    fall below it."""
    window = label.window()
    layout = window.layout()
    if layout is None:
        return
    area = available_area(window)
    needed = min(
        layout.totalHeightForWidth(window.width()), area.height() - FRAME_ALLOWANCE.height()
    )
    if needed <= window.height():
        return
    window.resize(window.width(), needed)
    overflow = window.frameGeometry().bottom() - area.bottom()
    if overflow > 0:
        window.move(window.x(), max(area.top(), window.y() - overflow))
