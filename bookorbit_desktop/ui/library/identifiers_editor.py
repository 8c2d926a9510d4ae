"""The Edit dialog's identifiers: a row each (kind and value, both editable), Add and Remove,
and beside each identifier a source has a page for, a link to the book there (opened in the
desktop's browser). The rows are given to the save as "kind:value" lines, checked there
(`services.library.edits`); the ISBN is one of them."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.library.identifier_links import identifier_link
from bookorbit_desktop.ui.opening import Opener, desktop_opener, open_or_show
from bookorbit_desktop.ui.text import plain_tooltip
from bookorbit_desktop.ui.widgets import push_button

KIND, VALUE, LINK = range(3)


class IdentifiersEditor(QWidget):
    edited = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.opener: Opener = desktop_opener
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Identifiers")
        self.table.setHorizontalHeaderLabels(["Kind", "Value", "Source"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(LINK, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(110)
        for line in text.splitlines():
            kind, _colon, value = line.partition(":")
            self.add_row(kind, value)
        self.opened = self.text()
        self.table.itemChanged.connect(self._changed)
        buttons = QHBoxLayout()
        buttons.addWidget(push_button("A&dd", self.add_new_row, tip="Add an identifier"))
        buttons.addWidget(
            push_button("Re&move", self.remove_selected, tip="Remove the selected identifier")
        )
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self, kind: str = "", value: str = "") -> int:
        row = self.table.rowCount()
        blocked = self.table.blockSignals(True)  # the row is whole before it counts as edited
        self.table.insertRow(row)
        self.table.setItem(row, KIND, QTableWidgetItem(kind.strip()))
        self.table.setItem(row, VALUE, QTableWidgetItem(value.strip()))
        source = QTableWidgetItem()  # under the link, which is not typed into
        source.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.table.setItem(row, LINK, source)
        self.table.blockSignals(blocked)
        link = QLabel()
        link.setTextFormat(Qt.TextFormat.RichText)  # our own link; its address a plain code
        link.linkActivated.connect(lambda address: self.open_link(address))
        self.table.setCellWidget(row, LINK, link)
        self._show_link(row)
        return row

    def add_new_row(self) -> None:
        """An empty row, its kind being typed."""
        row = self.add_row()
        self.table.setCurrentCell(row, KIND)
        self.table.editItem(self.table.currentItem())
        self.edited.emit()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows or ([self.table.currentRow()] if self.table.currentRow() >= 0 else []):
            self.table.removeRow(row)
        self.edited.emit()

    def text(self) -> str:
        """The rows as "kind:value" lines (rows left empty are left out)."""
        lines = []
        for row in range(self.table.rowCount()):
            kind, value = (self._cell(row, column) for column in (KIND, VALUE))
            if kind or value:
                lines.append(f"{kind}:{value}")
        return "\n".join(lines)

    def link(self, row: int) -> QLabel:
        label = self.table.cellWidget(row, LINK)
        assert isinstance(label, QLabel)
        return label

    def open_link(self, address: str) -> None:
        open_or_show(self, QUrl(address), self.opener)

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def _show_link(self, row: int) -> None:
        found = identifier_link(self._cell(row, KIND), self._cell(row, VALUE))
        label = self.link(row)
        label.setText(
            f"<a href='{html.escape(found[1], quote=True)}'>{html.escape(found[0])}</a>"
            if found
            else ""
        )
        label.setToolTip(plain_tooltip(found[1]) if found else "")

    def _changed(self, item: QTableWidgetItem) -> None:
        if item.column() == LINK:
            return
        self._show_link(item.row())
        self.edited.emit()
