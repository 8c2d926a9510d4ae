"""What the app is doing right now, shared by the tray, the status bar and the settings.

`AppStatus` is a plain value; the rules that turn it into a tray state and texts are pure
functions so they can be tested without a screen. `StatusHub` holds the current value and
tells every view when it changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from bookorbit_desktop import APP_DISPLAY_NAME
from bookorbit_desktop.ui.icons import TrayState

KOSYNC_PATH = "/kosync"
OPDS_PATH = "/opds"
# The server waits on loopback until a KOReader account exists (`server/exposure.py`).
LOOPBACK_SUMMARY = (
    "KOReader sync server: this computer only until a KOReader account exists; create it in "
    "Settings (Ctrl+,) and the server opens to your network"
)


@dataclass(frozen=True)
class AppStatus:
    server_running: bool = False
    server_starting: bool = True
    base_urls: tuple[str, ...] = ()  # "http://192.168.1.20:8765", best address first
    opds_enabled: bool = True
    server_problem: str | None = None  # why the server is not running, in the user's words
    server_notice: str | None = None  # running on loopback only: why, and how to open it
    sync_available: bool = False  # a Hardcover account is connected
    sync_paused: bool = False
    syncing: bool = False
    sync_problem: str | None = None

    @property
    def kosync_urls(self) -> tuple[str, ...]:
        return tuple(url + KOSYNC_PATH for url in self.base_urls)

    @property
    def opds_urls(self) -> tuple[str, ...]:
        return tuple(url + OPDS_PATH for url in self.base_urls) if self.opds_enabled else ()


def tray_state(status: AppStatus) -> TrayState:
    """The icon to show: problems first, then activity, then pauses."""
    if status.server_problem or status.sync_problem:
        return TrayState.ERROR
    if not status.server_running:
        return TrayState.OFFLINE
    if status.syncing:
        return TrayState.SYNCING
    if status.sync_available and status.sync_paused:
        return TrayState.PAUSED
    return TrayState.IDLE


def server_summary(status: AppStatus) -> str:
    """One line for the status bar and the tray tooltip."""
    if status.server_running:
        if status.server_notice:
            return LOOPBACK_SUMMARY
        if status.kosync_urls:
            return f"KOReader sync server: {status.kosync_urls[0]}"
        return "KOReader sync server running"
    if status.server_problem:
        return f"Server stopped: {status.server_problem}"
    if status.server_starting:
        return "Starting the KOReader sync server…"
    return "KOReader sync server stopped"


def can_sync_now(status: AppStatus) -> bool:
    """ "Sync Now" is offered with an account, while no run is going and sync is not paused."""
    return status.sync_available and not status.syncing and not status.sync_paused


def sync_summary(status: AppStatus) -> str:
    if not status.sync_available:
        return "Hardcover: not connected"
    if status.sync_problem:
        if status.sync_problem.startswith("Hardcover"):
            return status.sync_problem  # error titles such as "Hardcover rate limit reached"
        return f"Hardcover: {status.sync_problem}"
    if status.syncing:
        return "Hardcover: syncing…"
    if status.sync_paused:
        return "Hardcover: sync paused"
    return "Hardcover: connected"


def tooltip(status: AppStatus) -> str:
    return "\n".join((APP_DISPLAY_NAME, server_summary(status), sync_summary(status)))


class StatusHub(QObject):
    """Holds the current `AppStatus` and emits `changed` with the new value."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status = AppStatus()

    @property
    def status(self) -> AppStatus:
        return self._status

    def update(self, **changes: Any) -> AppStatus:
        new = replace(self._status, **changes)
        if new != self._status:
            self._status = new
            self.changed.emit(new)
        return new
