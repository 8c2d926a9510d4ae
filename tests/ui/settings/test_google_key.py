"""Settings ▸ Metadata: the optional Google Books API key is saved into the keyring (a
file-backed one here), never shown back, refused when malformed, and cleared; the metadata
fetch reads the same entry."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QLabel

from bookorbit_desktop.hardcover.api.credentials import SERVICE
from bookorbit_desktop.metadata_sources.keys import GOOGLE_BOOKS_ACCOUNT, GoogleBooksKey
from bookorbit_desktop.services.metadata.service import MetadataService
from bookorbit_desktop.services.settings import load_settings, save_settings
from bookorbit_desktop.ui.settings.access import settings_sections
from bookorbit_desktop.ui.settings.dialog import SettingsDialog
from bookorbit_desktop.ui.settings.metadata_tab import NONE, SAVED
from tests.fakes.file_keyring import FileKeyring

KEY = "AIzaSyExampleKey0123456789"


def test_the_key_is_saved_refused_when_malformed_and_cleared(
    qtbot, qloop, library, server, hardcover, tmp_path
):
    backend = FileKeyring(tmp_path / "keys.json")
    sections = settings_sections(server, hardcover, GoogleBooksKey(backend))
    dialog = SettingsDialog(load_settings(), save_settings, sections=sections)
    qtbot.addWidget(dialog)
    names = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert names.index("Metadata") == names.index("Hardcover") + 1
    # Every field label with a key (API &key:) names its field; none shows a bare &.
    unbound = [
        label.text()
        for label in dialog.findChildren(QLabel)
        if re.search(r"&\w", label.text()) and label.text().endswith(":") and label.buddy() is None
    ]
    assert unbound == []
    tab = dialog.metadata
    about = " ".join(label.text() for label in tab.findChildren(type(tab.state_label)))
    assert "Optional" in about and "quota" in about and "keyring" in about

    def act(do=None):
        async def run():
            if do is None:
                tab.refresh()  # what showing the tab does
            else:
                do()
            await tab.task

        qloop.run_until_complete(run())

    act()
    assert tab.state_label.text() == NONE
    assert not tab.save_button.isEnabled() and not tab.clear_button.isEnabled()
    tab.key_edit.setText(f"  {KEY} ")
    assert tab.save_button.isEnabled()
    act(tab.save_button.click)
    assert backend.get_password(SERVICE, GOOGLE_BOOKS_ACCOUNT) == KEY
    assert tab.key_edit.text() == ""  # never kept in, nor read back into, the field
    assert (tab.state_label.text(), tab.message_label.text()) == (SAVED, "Key saved.")
    fetches = MetadataService(library, google_key=GoogleBooksKey(backend))
    assert fetches.has_google_key()

    tab.key_edit.setText("not a key")
    act(tab.save_button.click)
    assert "not a Google Books API key" in tab.message_label.text()
    assert backend.get_password(SERVICE, GOOGLE_BOOKS_ACCOUNT) == KEY

    act(tab.clear_button.click)
    assert backend.get_password(SERVICE, GOOGLE_BOOKS_ACCOUNT) is None
    assert (tab.state_label.text(), tab.message_label.text()) == (NONE, "Key removed.")
    assert not tab.clear_button.isEnabled() and not fetches.has_google_key()
