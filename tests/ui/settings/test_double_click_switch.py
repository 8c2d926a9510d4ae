"""Settings ▸ Library ▸ Library Table: the double-click switch shows the stored setting, off to
start, and applies at once."""

from __future__ import annotations

from bookorbit_desktop.services.library import cell_edits
from bookorbit_desktop.services.library import watched_folders as folders
from bookorbit_desktop.services.settings import load_settings, save_settings
from bookorbit_desktop.ui.settings.dialog import SettingsDialog, SettingsSections
from bookorbit_desktop.ui.settings.folders_box import FolderAccess
from bookorbit_desktop.ui.settings.table_box import TableAccess


def test_the_double_click_switch_is_off_and_applies_at_once(library, qtbot):
    sections = SettingsSections(
        folders=FolderAccess(
            folders.watched_folders, folders.add_watched_folder, folders.remove_watched_folder
        ),
        table=TableAccess(cell_edits.double_click_edits, cell_edits.set_double_click_edits),
    )
    dialog = SettingsDialog(load_settings(), save_settings, sections=sections)
    qtbot.addWidget(dialog)
    tabs = [dialog.tabs.tabText(n) for n in range(dialog.tabs.count())]
    library_tab = dialog.tabs.widget(tabs.index("Library"))
    assert dialog.table_box is not None and library_tab.isAncestorOf(dialog.table_box)
    assert not dialog.table_box.check.isChecked()
    dialog.table_box.check.click()
    assert cell_edits.double_click_edits() is True
    again = SettingsDialog(load_settings(), save_settings, sections=sections)
    qtbot.addWidget(again)
    assert again.table_box is not None and again.table_box.check.isChecked()
    again.table_box.check.click()
    assert cell_edits.double_click_edits() is False
