"""Settings ▸ Library: the Inbox switch (new imports wait for approval), applied at once like
the watched folders above it, and the Library tab that holds both."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QGroupBox, QVBoxLayout, QWidget

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.ui.text import show_plain
from bookorbit_desktop.ui.widgets import bare, wrapped_label


@dataclass
class InboxAccess:
    """Whether the Inbox is on, and turning it on or off (services.library.inbox in the app)."""

    enabled: Callable[[], bool]
    set_enabled: Callable[[bool], None]


class InboxBox(QGroupBox):
    def __init__(self, access: InboxAccess, parent: QWidget | None = None) -> None:
        super().__init__("Inbox", parent)
        self._access = access
        layout = QVBoxLayout(self)
        self.check = QCheckBox("&Hold new imports in the Inbox until I approve them")
        self.check.setChecked(access.enabled())
        self.check.toggled.connect(self._toggled)
        layout.addWidget(self.check)
        layout.addWidget(
            wrapped_label(
                "Imported books then wait on the Inbox page: they join the library, the "
                "catalog and Hardcover sync once approved. KOReader progress for them is kept "
                "meanwhile. Turning this off leaves the books already waiting there."
            )
        )
        self.error_label = show_plain(wrapped_label())
        layout.addWidget(self.error_label)

    def _toggled(self, on: bool) -> None:
        try:
            self._access.set_enabled(on)
        except BookOrbitError as error:
            self.error_label.setText(error.message)
            return
        self.error_label.clear()


def library_page(*boxes: QWidget | None) -> QWidget:
    """The Library tab: its boxes one above the other."""
    page, layout = bare(QVBoxLayout)
    for box in boxes:
        if box is not None:
            layout.addWidget(box)
    layout.addStretch(1)
    return page
