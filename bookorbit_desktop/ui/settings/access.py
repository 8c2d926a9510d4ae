"""What the Settings dialog is opened with: the settings functions, injected so tests use the
real ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bookorbit_desktop.services.settings import DesktopSettings
from bookorbit_desktop.ui.settings.device_password_box import DevicePasswordAccess
from bookorbit_desktop.ui.settings.dialog import SaveSettings, SettingsSections, StartAtLogin


class SettingsAccess:
    """The settings functions the dialog needs, injected so tests use the real ones."""

    def __init__(
        self,
        load: Callable[[], DesktopSettings],
        save: SaveSettings,
        addresses: Callable[[], list[str]],
        start_at_login: Callable[[], StartAtLogin | None] = lambda: None,
        log_dir: str = "",
        sections: Callable[[], SettingsSections] = SettingsSections,
    ) -> None:
        self._sections = sections
        # Set by the Devices part of the window once it is mounted.
        self.device_password: DevicePasswordAccess | None = None
        self.load = load
        self.save = save
        self.addresses = addresses
        self.start_at_login = start_at_login
        self.log_dir = log_dir

    def sections(self) -> SettingsSections:
        sections = self._sections()
        if self.device_password is not None:
            sections = replace(sections, device_password=self.device_password)
        return sections
