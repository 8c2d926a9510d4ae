"""The library page's sidebar, left of the table: sections one above the other, each under
its heading (the saved searches, `saved_searches`)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

MIN_WIDTH = 160


class LibrarySidebar(QWidget):
    """Sections added in order with `add_section`; each takes the height it needs, the last
    the rest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("librarySidebar")
        self.setMinimumWidth(MIN_WIDTH)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 4, 0)
        self.sections: dict[str, QWidget] = {}

    def add_section(self, title: str, widget: QWidget) -> None:
        heading = QLabel(f"<b>{title}</b>")
        heading.setBuddy(widget)
        self._layout.addWidget(heading)
        self._layout.addWidget(widget, 1)
        self.sections[title] = widget
