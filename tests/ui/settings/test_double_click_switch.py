"""Settings ▸ Library ▸ Library Table, as the app builds its sections: the double-click switch
shows the stored setting, off to start, and applies at once."""

from __future__ import annotations

from bookorbit_desktop.app import settings_sections
from bookorbit_desktop.services.library.cell_edits import double_click_edits
from bookorbit_desktop.services.settings import load_settings, save_settings
from bookorbit_desktop.ui.settings.dialog import SettingsDialog


def test_the_double_click_switch_is_off_and_applies_at_once(qtbot, server, hardcover):
    def opened() -> SettingsDialog:
        dialog = SettingsDialog(
            load_settings(), save_settings, sections=settings_sections(server, hardcover)
        )
        qtbot.addWidget(dialog)
        return dialog

    dialog = opened()
    tabs = [dialog.tabs.tabText(n) for n in range(dialog.tabs.count())]
    library_tab = dialog.tabs.widget(tabs.index("Library"))
    assert dialog.table_box is not None and library_tab.isAncestorOf(dialog.table_box)
    assert not dialog.table_box.check.isChecked()
    dialog.table_box.check.click()
    assert double_click_edits() is True
    again = opened()
    assert again.table_box is not None and again.table_box.check.isChecked()
    again.table_box.check.click()
    assert double_click_edits() is False
