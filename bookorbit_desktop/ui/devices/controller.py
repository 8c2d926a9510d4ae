"""Mounts the Devices page and "Send to device" in the main window and runs their requests.

"Send to device" (Devices menu, and the context menu of the library's table and cover grid)
queues the selected books and sends them at once when a device is connected; otherwise they
wait for the next connection and the status bar says so. The book panel says which devices
hold its book (`on_device`). The wireless server starts with the window when it is switched
on, and again when the user switches it on or sets the password (on the Devices page or in
Settings). Switched on without a password, it cannot start: the page says so and the password
is asked for at once. Requests to start again that come before the last one has begun (the
password set and the switch turned on in one go) are one restart: it reads the settings and
the password when it begins, so the page never shows a server about to be replaced.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.devices import service
from bookorbit_desktop.services.devices.service import DeviceService, DeviceState
from bookorbit_desktop.services.settings import load_settings
from bookorbit_desktop.ui.actions import in_context_menus, menu_action
from bookorbit_desktop.ui.asyncqt import show_error, spawn
from bookorbit_desktop.ui.controller import DesktopController
from bookorbit_desktop.ui.devices import on_device
from bookorbit_desktop.ui.devices.page import DevicesPage
from bookorbit_desktop.ui.devices.shelf_addresses import ShelfAddressesDialog, catalog_origin
from bookorbit_desktop.ui.library.view import LibraryView
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.settings.device_password_box import DevicePasswordAccess
from bookorbit_desktop.ui.status import AppStatus

STATUS_SECONDS = 6000


class DevicesController(QObject):
    def __init__(
        self,
        devices: DeviceService,
        page: DevicesPage,
        window: MainWindow,
        library: LibraryView,
        host: Callable[[], str],
        on_device_label: on_device.OnDeviceLabel,
        status: Callable[[], AppStatus],
    ) -> None:
        super().__init__(window)
        self.devices, self.page, self.window, self.library = devices, page, window, library
        self.on_device = on_device_label
        page.tree.setAccessibleName("Devices and the books on them")
        self._host, self._status = host, status
        self._restarting: asyncio.Task[None] | None = None
        self._restart_wanted = False  # asked for since the running restart read the settings
        self.send_action = menu_action(
            window,
            "Send to &device",
            self.send_selected,
            shortcut=QKeySequence("Ctrl+Shift+D"),
            tip="Send the selected books to KOReader over Wi-Fi",
        )
        self.shelves_action = menu_action(
            window,
            "Your shelves on &KOReader…",
            self.show_shelf_addresses,
            tip="The catalog address of each saved search, tag and series, to sync in KOReader",
        )
        menu = window.add_menu("&Devices")
        menu.addAction(self.send_action)
        menu.addAction(self.shelves_action)
        in_context_menus((library.table, library.grid), self.send_action)
        page.wireless_toggled.connect(self._toggle_wireless)
        page.password_requested.connect(self.ask_password)
        page.send_now_requested.connect(self.devices.send_now)
        page.want_to_read_requested.connect(lambda: spawn(self.send_want_to_read(), window))
        page.unqueue_requested.connect(self._unqueue)
        page.delete_requested.connect(lambda lpaths: spawn(self._delete(lpaths), window))
        page.eject_requested.connect(lambda: spawn(self.devices.eject(), window))

    @classmethod
    def mount(cls, paths: Paths, desktop: DesktopController) -> DevicesController:
        """The service, the page (a new tab), the actions, the book panel's line and the
        password in Settings, wired into the main window. The device server listens where the
        user wants the sync server (its password guards it) and names the sync server's port
        in its discovery answer."""
        window, server = desktop.window, desktop.server
        controller: DevicesController | None = None
        devices = DeviceService(
            paths,
            content_port=lambda: server.info.port,
            on_change=lambda: controller.refresh() if controller is not None else None,
        )

        def host() -> str:
            return load_settings().host

        label = on_device.mount(window.book_panel, service.devices_holding)

        def status() -> AppStatus:
            return desktop.hub.status

        controller = cls(devices, DevicesPage(), window, window.library_view, host, label, status)
        window.add_page(controller.page, "&Devices")
        desktop.settings.device_password = DevicePasswordAccess(
            devices.has_password, controller.set_password
        )
        return controller

    async def stop(self) -> None:
        await self.devices.stop()

    def refresh(self) -> None:
        listing = service.device_list()
        state = self.devices.state(queued=len(listing.queued))
        self.page.show_state(state, needs_password=self._needs_password(state))
        self.page.show_devices(listing)
        self.on_device.refresh()

    def send_selected(self) -> None:
        ids = self.library.selected_book_ids()
        if not ids:
            self.window.statusBar().showMessage("Select a book to send first.", STATUS_SECONDS)
            return
        self.send_books(ids)

    def send_books(self, ids: list[int]) -> str:
        """Queue the books and send them at once when a device is connected; what happened
        (on the status bar too)."""
        service.queue_books(ids)
        books = f"{len(ids)} book{'s' if len(ids) != 1 else ''}"
        if self.devices.send_now():
            message = f"Sending {books} to {self.devices.state().device}."
        elif self.devices.state().running:
            message = f"{books} queued: they go when KOReader connects (Calibre > Connect)."
        else:
            message = f"{books} queued: switch on the wireless connection on the Devices page."
        self.window.statusBar().showMessage(message, STATUS_SECONDS)
        self.refresh()
        return message

    def show_shelf_addresses(self) -> ShelfAddressesDialog:
        """Your shelves' catalog addresses, each with Copy, a QR code and Send to device."""

        def origin() -> str | None:
            return catalog_origin(self._status())

        dialog = ShelfAddressesDialog(origin, self.send_books, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    async def send_want_to_read(self) -> None:
        """Queue the Want to Read books the device lacks (sent at once while it is connected)."""
        result = await self.devices.send_want_to_read()
        self.window.statusBar().showMessage(result.message, STATUS_SECONDS)
        self.refresh()

    async def start(self) -> None:
        await self.devices.start(self._host())
        self.refresh()

    def _ask_restart(self) -> None:
        """Start the connection again with the saved settings and password. Requests made
        before the restart has begun are that one restart; one made while it runs is followed
        by another."""
        self._restart_wanted = True
        if self._restarting is None or self._restarting.done():
            self._restarting = spawn(self._restart(), self.window)

    async def _restart(self) -> None:
        while self._restart_wanted:  # a request that came meanwhile may have changed them
            self._restart_wanted = False
            await self.devices.stop()
            await self.start()

    def _needs_password(self, state: DeviceState) -> bool:
        """Switched on but stopped, and no password saved (a keyring that cannot be read is
        the server's own problem to report)."""
        if not state.enabled or state.running:
            return False
        try:
            return not self.devices.has_password()
        except BookOrbitError:
            return False

    def _toggle_wireless(self, on: bool) -> None:
        service.set_wireless(on)
        self._ask_restart()
        if on and self._needs_password(self.devices.state()):
            self.ask_password()

    def _unqueue(self) -> None:
        service.unqueue_books()
        self.refresh()

    async def _delete(self, lpaths: list[str]) -> None:
        try:
            await self.devices.delete(lpaths)
        except Exception as error:
            show_error(self.window, error)
        self.refresh()

    def ask_password(self) -> QInputDialog:
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle("Device password")
        dialog.setLabelText(
            "The password KOReader gives (Calibre > Wireless settings > Set password):"
        )
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.textValueSelected.connect(self._password_chosen)
        dialog.open()
        return dialog

    def _password_chosen(self, password: str) -> None:
        try:
            self.set_password(password)
        except Exception as error:
            show_error(self.window, error)

    def set_password(self, password: str) -> None:
        """Store the password (raises when it is empty or the keyring refuses) and start the
        connection again with it."""
        self.devices.set_password(password)
        self._ask_restart()
