"""Add Read / Edit Read: a read's start, whether it was finished (or is still open, or was
abandoned) and its finish date, which may stay empty for a finished read ("no date").

The values are saved by the caller's `save` when OK is pressed: a value the library refuses
(a finish before the start, a date in the future) is shown under the form and the dialog stays
open with what the user typed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.reads import ABANDONED, DONE, OPEN, STATE_LABELS
from bookorbit_desktop.ui.widgets import form_with_buttons, message_label, say_wrong

DATE_HINT = "YYYY-MM-DD"
STATES = (DONE, OPEN, ABANDONED)

# What the dialog returns: the read's start, finish and state.
Values = dict[str, str | None]


class ReadDialog(QDialog):
    def __init__(
        self,
        title: str,
        values: Values,
        save: Callable[[Values], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._save = save
        self.started_edit = QLineEdit(values.get("started") or "")
        self.started_edit.setPlaceholderText(DATE_HINT)
        self.state_box = QComboBox()
        for state in STATES:
            self.state_box.addItem(STATE_LABELS[state].capitalize(), state)
        self.state_box.setCurrentIndex(STATES.index(values.get("state") or DONE))
        self.finished_edit = QLineEdit(values.get("finished") or "")
        self.finished_edit.setPlaceholderText(f"{DATE_HINT}; empty: no date")
        self.state_box.currentIndexChanged.connect(self._state_changed)
        self.error = message_label("readError")
        form = QFormLayout()
        form.addRow("&Started:", self.started_edit)
        form.addRow("S&tate:", self.state_box)
        form.addRow("&Finished:", self.finished_edit)
        form_with_buttons(self, form, self.error)
        self._state_changed()

    def _state_changed(self) -> None:
        """An open read has no finish date: the field is off while it is open (what was typed
        in it stays, for a turn back to finished)."""
        self.finished_edit.setEnabled(self.state_box.currentData() != OPEN)

    def values(self) -> Values:
        finished = self.finished_edit.text().strip() if self.finished_edit.isEnabled() else ""
        return {
            "started": self.started_edit.text().strip() or None,
            "finished": finished or None,
            "state": str(self.state_box.currentData()),
        }

    def accept(self) -> None:
        try:
            self._save(self.values())
        except BookOrbitError as error:
            say_wrong(self, self.error, error.message)
            return
        super().accept()
