"""Two copies of one book side by side: one row per field with a choice of the kept book's
value or the other copy's (the merge's own choice ticked), the reading state each has with the
merged state the reading rules give, and each copy's files and tags (the merged book keeps all
of both: nothing to choose)."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QRadioButton,
    QWidget,
)

from bookorbit_desktop.services.library.merge import KEEP, OTHER, SideBySide
from bookorbit_desktop.services.library.tags import joined
from bookorbit_desktop.ui.mnemonic import no_mnemonic
from bookorbit_desktop.ui.widgets import clear_layout

_WIDTH = 52  # characters of a value shown; the whole value is in its tooltip


def _short(text: str) -> str:
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def _name(label: str) -> QLabel:
    """A field's name as a row's heading: "ISBN:", "Series number:"."""
    return QLabel(f"{label[:1].upper()}{label[1:]}:")


def _bold(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    return label


class SideBySideView(QWidget):
    """One pair of copies at a time (`show_pair`); `choices` reads the radio buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        self.groups: dict[str, QButtonGroup] = {}
        self.radios: dict[str, tuple[QRadioButton, QRadioButton]] = {}

    def show_pair(self, seen: SideBySide) -> None:
        clear_layout(self.grid)
        self.groups.clear()
        self.radios.clear()
        row = 0
        self.grid.addWidget(_bold(f"Keep (book {seen.keep})"), row, 1)
        self.grid.addWidget(_bold(f"Merge in (book {seen.other})"), row, 2)
        for field in seen.rows:
            row += 1
            self.grid.addWidget(_name(field.label), row, 0)
            group = QButtonGroup(self)
            pair = []
            for column, (text, choice) in enumerate(((field.keep, KEEP), (field.other, OTHER)), 1):
                radio = QRadioButton(no_mnemonic(_short(text)))
                radio.setToolTip(f"<p>{html.escape(text)}</p>")  # rich text wraps
                radio.setAccessibleName(f"{field.label}: {text}")
                radio.setChecked(field.choice == choice)
                radio.setEnabled(not field.same)
                group.addButton(radio)
                self.grid.addWidget(radio, row, column)
                pair.append(radio)
            self.groups[field.name] = group
            self.radios[field.name] = (pair[0], pair[1])
        for column, files in enumerate(seen.files, 1):
            label = QLabel("\n".join(files) or "(no file)")
            label.setWordWrap(True)
            self.grid.addWidget(label, row + 1, column)
        self.grid.addWidget(QLabel("Files (all kept):"), row + 1, 0)
        self.grid.addWidget(QLabel("Tags (all kept):"), row + 2, 0)
        for column, tags in enumerate(seen.tags, 1):
            label = QLabel(joined(tags) or "(no tags)")
            label.setWordWrap(True)
            self.grid.addWidget(label, row + 2, column)
        row += 3
        self.grid.addWidget(_bold("Reading (the furthest state wins)"), row, 0, 1, 3)
        for field in seen.reading:
            row += 1
            self.grid.addWidget(_name(field.label), row, 0)
            self.grid.addWidget(QLabel(field.keep), row, 1)
            self.grid.addWidget(QLabel(f"{field.other}   → merged: {field.choice}"), row, 2)

    def choices(self) -> dict[str, str]:
        """The user's choice per field: KEEP or OTHER."""
        return {name: KEEP if pair[0].isChecked() else OTHER for name, pair in self.radios.items()}
