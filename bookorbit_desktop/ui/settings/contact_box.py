"""Settings ▸ Metadata: the e-mail address Open Library and Google Books may reach the user
at. Open Library asks its API users to name a contact in the User-Agent (and lets an
identified client ask faster); BookOrbit names its web page there, and this address beside it
when the user gives one. Checked as an e-mail address and saved at once (Save E-mail), like
the Google Books key below it; every fetch, in the window and on the command line, uses it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.ui.text import show_plain
from bookorbit_desktop.ui.widgets import push_button, wide_row, wrapped_label

ABOUT_EMAIL = (
    "Optional. Open Library and Google Books see BookOrbit's web page with every request, and "
    "this address beside it, so that they can write to you rather than block your requests "
    "if something goes wrong. Nothing else is sent with it."
)


@dataclass
class ContactAccess:
    """The stored address (services.settings in the app): load it, and check and save one
    (InvalidValueError for what is not an e-mail address; "" removes it)."""

    load: Callable[[], str | None]
    save: Callable[[str], str | None]


class ContactBox(QGroupBox):
    def __init__(self, access: ContactAccess, parent: QWidget | None = None) -> None:
        super().__init__("Open Library and Google Books", parent)
        self._access = access
        form = QFormLayout(self)
        form.addRow(wrapped_label(ABOUT_EMAIL))
        self.email_edit = QLineEdit(access.load() or "")
        self.email_edit.setAccessibleName("Your e-mail address for the metadata sources")
        self.email_edit.setPlaceholderText("you@example.org")
        self.save_button = push_button("Save E-&mail", self.save)
        label = QLabel("&E-mail:")
        label.setBuddy(self.email_edit)
        form.addRow(label, wide_row(self.email_edit, self.save_button))
        self.message_label = show_plain(wrapped_label())
        self.message_label.setObjectName("contactMessage")
        form.addRow(self.message_label)

    def save(self) -> None:
        try:
            saved = self._access.save(self.email_edit.text())
        except BookOrbitError as error:
            self.message_label.setText(error.message)
            return
        self.email_edit.setText(saved or "")
        self.message_label.setText(
            f"Saved: the metadata sources see {saved}." if saved else "No address is sent."
        )
