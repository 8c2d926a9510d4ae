"""Settings ▸ Metadata: the e-mail address named in the metadata sources' User-Agent is
checked as an e-mail address (a bad one is refused with what to type, and nothing stored),
saved at once, shown again when the dialog opens, and removed by emptying the field."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.metadata_sources.keys import GoogleBooksKey
from bookorbit_desktop.services.settings import (
    check_email,
    load_contact_email,
    load_settings,
    save_settings,
)
from bookorbit_desktop.ui.settings.access import settings_sections
from bookorbit_desktop.ui.settings.dialog import SettingsDialog
from tests.fakes.file_keyring import FileKeyring


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("reader@example.org", "reader@example.org"),
        ("  first.last+books@mail.example.co.uk ", "first.last+books@mail.example.co.uk"),
        ("", None),
        ("   ", None),
    ],
)
def test_an_email_address_is_kept_trimmed_and_an_empty_field_is_none(typed, kept):
    assert check_email(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "reader",
        "reader@localhost",
        "reader@@example.org",
        "two words@example.org",
        "reader@example.org)",  # would close the User-Agent's comment
        "reader@example.org; other",
        "reader@example.org\r\nX-Other: 1",  # a header of its own
        "lecteur@exemple.français",
        "a" * 250 + "@example.org",
    ],
)
def test_what_is_not_an_email_address_is_refused_with_what_to_type(typed):
    with pytest.raises(InvalidValueError, match=r"reader@example\.org"):
        check_email(typed)


def test_the_address_is_saved_refused_when_wrong_and_removed(
    qtbot, library, server, hardcover, tmp_path
):
    def dialog() -> SettingsDialog:
        sections = settings_sections(
            server, hardcover, GoogleBooksKey(FileKeyring(tmp_path / "keys.json"))
        )
        opened = SettingsDialog(load_settings(), save_settings, sections=sections)
        qtbot.addWidget(opened)
        return opened

    box = dialog().metadata.contact
    assert box.email_edit.text() == ""
    box.email_edit.setText("not an address")
    box.save_button.click()
    assert "is not an e-mail address" in box.message_label.text()
    assert load_contact_email() is None
    box.email_edit.setText(" reader@example.org ")
    box.save_button.click()
    assert load_contact_email() == "reader@example.org"
    assert box.message_label.text() == "Saved: the metadata sources see reader@example.org."
    again = dialog().metadata.contact
    assert again.email_edit.text() == "reader@example.org"
    again.email_edit.clear()
    again.save_button.click()
    assert load_contact_email() is None
    assert again.message_label.text() == "No address is sent."
