"""The system tray icon: what the app is doing at a glance, and the few actions used daily.

The menu is rebuilt every time it opens, so it always shows the current server addresses and
sync state. Clicking an address copies it, ready to paste or type into KOReader; while the
server listens on this computer only (no KOReader account yet) the menu says why instead of
offering an address no device could reach. Everything in
the menu is also reachable from the main window, because some desktops have no tray at all.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QFont, QGuiApplication
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from bookorbit_desktop import APP_DISPLAY_NAME
from bookorbit_desktop.ui.icons import tray_icon
from bookorbit_desktop.ui.status import (
    SYNC_NOW_TIP,
    AppStatus,
    StatusHub,
    new_attention,
    new_pick_notice,
    new_review_notice,
    sync_unavailable_reason,
    tooltip,
    tray_state,
    where_to_create_account,
)
from bookorbit_desktop.ui.token_notice import TokenExpiryNotice

LOOPBACK_STATE = "KOReader sync: this computer only for now"


class Tray(QObject):
    """Owns the tray icon and its menu; reports the user's choices through signals."""

    open_requested = Signal()
    sync_requested = Signal()
    pause_requested = Signal(bool)  # True: pause Hardcover sync, False: resume
    settings_requested = Signal()
    quit_requested = Signal()
    url_copied = Signal(str)

    def __init__(self, hub: StatusHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hub = hub
        self._actions: dict[str, QAction] = {}
        self.menu = QMenu()
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self.rebuild_menu)
        self.icon = QSystemTrayIcon(self)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self._problem: str | None = None  # the sync problem already announced
        self._awaiting_review = 0  # the new books already announced as waiting for review
        self._to_pick = 0  # the books already announced as waiting for a pick
        hub.changed.connect(self._show_status)
        self._show_status(hub.status)
        self.token_notice = TokenExpiryNotice(self.notify, self)  # a week before expiry
        self.rebuild_menu()

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def notify(self, title: str, message: str) -> None:
        """A desktop notification; desktops may drop it, so never the only place we say it."""
        if self.icon.isVisible() and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(title, message, tray_icon(tray_state(self._hub.status)), 8000)

    def _show_status(self, status: AppStatus) -> None:
        self.icon.setIcon(tray_icon(tray_state(status)))
        self.icon.setToolTip(tooltip(status))
        message = new_attention(self._problem, status)
        self._problem = status.sync_problem
        if message is not None:  # once per new problem, never a stream
            self.notify("Hardcover needs attention", message)
        review = new_review_notice(self._awaiting_review, status)
        self._awaiting_review = status.awaiting_review
        if review is not None:  # once per new batch waiting for the user
            self.notify("Books ready for Hardcover", review)
        pick = new_pick_notice(self._to_pick, status)
        self._to_pick = status.to_pick
        if pick is not None:
            self.notify("Hardcover needs your choice", pick)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_requested.emit()

    def action(self, name: str) -> QAction:
        """The menu action called `name` (tests and the main window use the same actions)."""
        return self._actions[name]

    def rebuild_menu(self) -> None:
        status = self._hub.status
        self.menu.clear()  # deletes the old actions (the menu owns them)
        self._actions = {}
        open_action = self._add("open", f"Open {APP_DISPLAY_NAME}", self.open_requested.emit)
        bold = QFont(open_action.font())
        bold.setBold(True)
        open_action.setFont(bold)
        self.menu.addSeparator()
        self._add_server_section(status)
        self.menu.addSeparator()
        if status.syncing:  # the run going on: its progress dialog
            sync = self._add("sync", "Show Sync Progress…", self.sync_requested.emit)
        else:
            sync = self._add("sync", "Sync Now", self.sync_requested.emit)
        why_not = None if status.syncing else sync_unavailable_reason(status)
        sync.setEnabled(why_not is None)
        sync.setToolTip(why_not or SYNC_NOW_TIP)
        if why_not is not None:
            # Menus hide tooltips on some desktops: say it in the menu too.
            self._add("sync-state", why_not, None).setEnabled(False)
        if status.sync_paused:
            pause = self._add("pause", "Resume Sync", lambda: self.pause_requested.emit(False))
        else:
            pause = self._add("pause", "Pause Sync", lambda: self.pause_requested.emit(True))
        pause.setEnabled(status.sync_available)
        self.menu.addSeparator()
        self._add("settings", "Settings…", self.settings_requested.emit)
        self._add("quit", f"Quit {APP_DISPLAY_NAME}", self.quit_requested.emit)

    def _add_server_section(self, status: AppStatus) -> None:
        if not status.server_running:
            text = "Server not running"
            if status.server_problem:
                text = f"Server not running: {status.server_problem}"
            elif status.server_starting:
                text = "Server starting…"
            self._add("server-state", text, None).setEnabled(False)
            return
        if status.server_notice:  # on 127.0.0.1 only: no address a device could use yet
            self._add("server-state", LOOPBACK_STATE, None).setEnabled(False)
            where = where_to_create_account(status)
            hint = f"Create the KOReader account {where} to open it to your network"
            self._add("server-hint", hint, None).setEnabled(False)
            return
        self._add("server-state", "KOReader sync — click to copy:", None).setEnabled(False)
        for index, url in enumerate(status.kosync_urls):
            self._add(f"copy-kosync-{index}", url, partial(self._copy, url))
        if status.opds_urls:
            self._add("opds-state", "OPDS catalog — click to copy:", None).setEnabled(False)
            for index, url in enumerate(status.opds_urls):
                self._add(f"copy-opds-{index}", url, partial(self._copy, url))

    def _add(self, name: str, text: str, slot: Callable[[], object] | None) -> QAction:
        action = QAction(text, self.menu)
        action.setObjectName(name)
        self._actions[name] = action
        if slot is not None:
            # `triggered` carries a `checked` flag the slots do not want.
            action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        return action

    def _copy(self, url: str) -> None:
        QGuiApplication.clipboard().setText(url)
        self.url_copied.emit(url)
