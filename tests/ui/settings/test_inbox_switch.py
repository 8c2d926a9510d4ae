"""Settings ▸ Library ▸ Inbox: the switch shows the stored setting and applies at once."""

from __future__ import annotations

from bookorbit_desktop.library.store.settings import get_setting
from bookorbit_desktop.services.library import inbox
from bookorbit_desktop.services.settings import load_settings, save_settings
from bookorbit_desktop.ui.settings.dialog import SettingsDialog, SettingsSections
from bookorbit_desktop.ui.settings.inbox_box import InboxAccess


def test_the_inbox_switch_applies_at_once(library, qtbot):
    sections = SettingsSections(inbox=InboxAccess(inbox.enabled, inbox.set_enabled))
    dialog = SettingsDialog(load_settings(), save_settings, sections=sections)
    qtbot.addWidget(dialog)
    assert dialog.inbox is not None and not dialog.inbox.check.isChecked()
    dialog.inbox.check.click()
    assert get_setting("library.inbox") is True
    again = SettingsDialog(load_settings(), save_settings, sections=sections)
    qtbot.addWidget(again)
    assert again.inbox is not None and again.inbox.check.isChecked()
    dialog.inbox.check.click()
    assert get_setting("library.inbox") is False
