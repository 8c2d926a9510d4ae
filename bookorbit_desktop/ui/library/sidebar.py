"""The library page's sidebar, left of the table: sections one above the other, each under
its heading (the library browser, `browser`, and the saved searches, `saved_searches`)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

MIN_WIDTH = 160


class LibrarySidebar(QWidget):
    """Sections added in order with `add_section`, sharing the height by their `stretch`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("librarySidebar")
        self.setMinimumWidth(MIN_WIDTH)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 4, 0)
        self.sections: dict[str, QWidget] = {}

    def add_section(self, title: str, widget: QWidget, stretch: int = 1) -> None:
        heading = QLabel(f"<b>{title}</b>")
        heading.setBuddy(widget)
        self._layout.addWidget(heading)
        self._layout.addWidget(widget, stretch)
        self.sections[title] = widget
