"""What the Settings dialog is opened with: the settings functions, injected so tests use the
real ones, and the sections beyond the stored values built on the real services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from bookorbit_desktop.services import autostart
from bookorbit_desktop.services import settings as settings_service
from bookorbit_desktop.services.hardcover.service import HardcoverService
from bookorbit_desktop.services.library import cell_edits
from bookorbit_desktop.services.library import inbox as inbox_service
from bookorbit_desktop.services.library import watched_folders as folders_service
from bookorbit_desktop.services.metadata.service import GoogleBooksKey
from bookorbit_desktop.services.reachability import check_reachability
from bookorbit_desktop.services.server import DesktopServer
from bookorbit_desktop.services.settings import DesktopSettings
from bookorbit_desktop.ui.settings.contact_box import ContactAccess
from bookorbit_desktop.ui.settings.device_password_box import DevicePasswordAccess
from bookorbit_desktop.ui.settings.dialog import SaveSettings, SettingsSections, StartAtLogin
from bookorbit_desktop.ui.settings.folders_box import FolderAccess
from bookorbit_desktop.ui.settings.hardcover_tab import HardcoverAccess
from bookorbit_desktop.ui.settings.inbox_box import InboxAccess
from bookorbit_desktop.ui.settings.metadata_tab import GoogleKeyAccess
from bookorbit_desktop.ui.settings.table_box import TableAccess


@dataclass
class SettingsAccess:
    """The settings functions the dialog needs, injected so tests use the real ones."""

    load: Callable[[], DesktopSettings]
    save: SaveSettings
    addresses: Callable[[], list[str]]
    start_at_login: Callable[[], StartAtLogin | None] = lambda: None
    log_dir: str = ""
    base_sections: Callable[[], SettingsSections] = SettingsSections
    # Set by the Devices part of the window once it is mounted.
    device_password: DevicePasswordAccess | None = None

    def sections(self) -> SettingsSections:
        sections = self.base_sections()
        if self.device_password is not None:
            sections = replace(sections, device_password=self.device_password)
        return sections


def settings_sections(
    server: DesktopServer, hardcover: HardcoverService, google_key: GoogleBooksKey | None = None
) -> SettingsSections:
    """The Settings sections beyond the stored values, on the real services (the Google Books
    key in the keyring as `metadata google-key` keeps it)."""
    key = google_key or GoogleBooksKey()
    return SettingsSections(
        reachability=lambda: check_reachability(server.info),
        folders=FolderAccess(
            folders_service.watched_folders,
            folders_service.add_watched_folder,
            folders_service.remove_watched_folder,
        ),
        inbox=InboxAccess(inbox_service.enabled, inbox_service.set_enabled),
        table=TableAccess(cell_edits.double_click_edits, cell_edits.set_double_click_edits),
        hardcover=HardcoverAccess(
            lambda: hardcover.status().username if hardcover.status().connected else None,
            partial(connect_hardcover, hardcover),
            hardcover.disconnect,
            settings_service.load_sync_settings,
            settings_service.save_sync_settings,
        ),
        certificate=server.certificate_fingerprint,
        google_key=GoogleKeyAccess(lambda: key.load() is not None, key.save, key.delete),
        contact_email=ContactAccess(
            settings_service.load_contact_email, settings_service.save_contact_email
        ),
    )


async def connect_hardcover(hardcover: HardcoverService, token: str, expires: str) -> str:
    """Connect the token (checked with Hardcover) with the expiry typed beside it, if any;
    the account's name."""
    user = await hardcover.account.connect(token, expires=expires or None)
    return user.username if user is not None else ""


def start_at_login() -> StartAtLogin | None:
    """Start at login where this desktop supports it (None elsewhere)."""
    if not autostart.supported():
        return None
    return StartAtLogin(autostart.is_enabled(), lambda enabled: autostart.set_enabled(enabled))
