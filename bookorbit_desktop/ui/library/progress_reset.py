"""The confirmation before a book goes back to its start: for every device or for one.

It says what each device will show: KOReader compares the time of the position it pulls with
its own last page turn, so the start counts as "newer" there and its "Sync to a newer state"
setting decides (by default it asks "Sync to latest location 0% from device 'BookOrbit
Desktop'?"; set to Silently it jumps; set to Never it does nothing until the user pulls by
hand). The book's status, dates and Hardcover stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.library.device_positions import DeviceRow
from bookorbit_desktop.services.library.position_history import percent
from bookorbit_desktop.ui.text import plain_tooltip, show_plain, without_shortcuts
from bookorbit_desktop.ui.widgets import wrapped_label

EXPLANATION = (
    "Each device is offered the start (0 %) the next time it syncs this book. With KOReader's "
    "usual settings it asks “Sync to latest location 0% from device 'BookOrbit Desktop'?”; if "
    "its “Sync to a newer state” is set to Silently it goes there without asking; set to Never, "
    "nothing happens until you choose “Pull progress from other devices now”. A device that "
    "is open in the book and syncs before it pulls keeps its own place. A sync does not say "
    "which device asks, so choosing one device also sends back those reading the same copy "
    "of the book; the Devices list shows them afterwards.\n\n"
    "The book's status and dates stay as they are, and nothing is sent to Hardcover."
)


class ResetDialog(QDialog):
    """Asks which devices go back to the start of `title`; `chosen_device` after accept()."""

    def __init__(self, title: str, devices: Sequence[DeviceRow], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Reset Reading Progress")
        question = show_plain(wrapped_label(f"Send which devices back to the start of “{title}”?"))
        self.every_device = QRadioButton("&Every device")
        self.every_device.setChecked(True)
        self.group = QButtonGroup(self)
        self.group.addButton(self.every_device)
        self.device_buttons: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.every_device)
        for row in devices:
            button = QRadioButton(
                without_shortcuts(f"Only {row.device} ({percent(row.percentage)})")
            )
            button.setToolTip(plain_tooltip(f"Device id: {row.key}"))
            self.group.addButton(button)
            self.device_buttons[row.key] = button
            layout.addWidget(button)
        explanation = show_plain(wrapped_label(EXPLANATION))
        layout.addWidget(explanation)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Reset")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    @property
    def chosen_device(self) -> str | None:
        """The device key chosen, or None for every device."""
        return next((key for key, b in self.device_buttons.items() if b.isChecked()), None)
