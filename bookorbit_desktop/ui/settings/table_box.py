"""Settings ▸ Library: whether a double-click in the library table edits the cell (F2 always
does; off, a double-click opens the book), applied at once like the Inbox switch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QGroupBox, QVBoxLayout, QWidget

from bookorbit_desktop.ui.widgets import wrapped_label


@dataclass
class TableAccess:
    """Whether a double-click edits a cell, and changing that (services.library.cell_edits)."""

    double_click_edits: Callable[[], bool]
    set_double_click_edits: Callable[[bool], None]


class TableBox(QGroupBox):
    def __init__(self, access: TableAccess, parent: QWidget | None = None) -> None:
        super().__init__("Library Table", parent)
        layout = QVBoxLayout(self)
        self.check = QCheckBox("Double-&click a cell to edit it")
        self.check.setChecked(access.double_click_edits())
        self.check.toggled.connect(access.set_double_click_edits)
        layout.addWidget(self.check)
        layout.addWidget(
            wrapped_label(
                "F2 edits the title, authors, series, tags, rating, publisher or pages of the "
                "selected book in the table. With this on, a double-click on those columns does "
                "too; elsewhere, and with this off, a double-click opens the book."
            )
        )
