"""The Hardcover page's sync log: what each pass sent or why it could not, newest first.

Shows the selected book's lines, or every book's when none is selected. Display only.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QGroupBox, QTreeWidgetItem, QVBoxLayout, QWidget

from bookorbit_desktop.services.hardcover.sync import outcome_label
from bookorbit_desktop.ui.text import plain_tooltip, without_shortcuts
from bookorbit_desktop.ui.widgets import flat_list

HEADERS = ("When", "Book", "Result", "Details")


def log_details(entry: dict[str, Any]) -> str:
    if entry.get("error"):
        return str(entry["error"])
    changes = [" · ".join(action.get("changes", ())) for action in entry.get("actions") or ()]
    return "; ".join(text for text in changes if text)


def when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


class SyncLogPanel(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Sync log", parent)
        self.setObjectName("syncLog")
        self.tree = flat_list(HEADERS, fit_to_contents=False)
        self.tree.setAccessibleName("Sync log")
        self.tree.setColumnWidth(0, 130)
        self.tree.setColumnWidth(1, 200)
        self.tree.setColumnWidth(2, 100)
        self.tree.header().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)

    def show_entries(self, entries: Sequence[dict[str, Any]], title: str | None = None) -> None:
        """The log lines (newest first); `title`: the book they belong to, if only one."""
        self.setTitle(without_shortcuts(f"Sync log — {title}") if title else "Sync log")
        self.tree.clear()
        for entry in entries:
            outcome = str(entry.get("outcome") or "")
            item = QTreeWidgetItem(
                [
                    when(float(entry["at"])),
                    str(entry.get("title") or ""),
                    outcome_label(outcome),
                    log_details(entry),
                ]
            )
            item.setToolTip(3, plain_tooltip(log_details(entry)))
            self.tree.addTopLevelItem(item)
