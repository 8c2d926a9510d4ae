"""Sending books to e-readers, as the window and the command line ask for it.

The queue and the device lists are library rows (`library.store.devices`); the wireless server
(`devices.server`) runs on the caller's event loop and sends the queue whenever a device
connects. `DeviceService` answers with plain values: the addresses a user types into KOReader
where broadcast is blocked, who is connected, what each device holds. A failure to start is a
`DeviceState` with the problem in the user's words, never an exception, so the window keeps
running.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bookorbit_desktop.config import Paths
from bookorbit_desktop.devices.password import DevicePasswordStore
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.store import devices as store
from bookorbit_desktop.library.store import shelves
from bookorbit_desktop.library.store.channel_tables import Device
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from bookorbit_desktop.server.lan import addresses_for_host

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

    from bookorbit_desktop.devices.server import DeviceServer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeviceState:
    """The wireless server as the window shows it."""

    enabled: bool
    running: bool = False
    port: int = 0
    addresses: tuple[str, ...] = ()  # "192.168.1.20:9090": what to type where discovery fails
    discovery_port: int | None = None
    device: str | None = None  # the connected device's name
    device_uuid: str | None = None  # and its store uuid
    sending: str | None = None  # "2 of 5: Title"
    problems: tuple[str, ...] = ()
    queued: int = 0
    remedy: str | None = None  # what would let it start (see `errors.BookOrbitError.remedy`)


@dataclass(frozen=True)
class DeviceList:
    devices: list[store.DeviceSummary] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)
    queued_titles: list[str] = field(default_factory=list)


def queue_books(book_ids: Sequence[int]) -> list[int]:
    return store.queue_books(book_ids, time.time())


def unqueue_books(book_ids: Sequence[int] | None = None) -> int:
    return store.unqueue_books(book_ids)


@dataclass(frozen=True)
class WantToReadQueued:
    """What "Send my Want to Read books" queued, against which device's list."""

    device: str | None  # the device compared with (None: none has connected yet)
    queued: list[int]  # newly queued
    already_queued: int

    @property
    def message(self) -> str:
        books = f"{len(self.queued)} Want to Read book{'s' if len(self.queued) != 1 else ''}"
        where = f"not on {self.device}" if self.device else "(no device has connected yet)"
        waiting = f" ({self.already_queued} already queued)" if self.already_queued else ""
        if not self.queued:
            return (
                f"Every Want to Read book in the library is on {self.device} or queued."
                if self.device
                else f"No Want to Read book to queue{waiting}."
            )
        return f"Queued {books} {where}{waiting}."


def queue_want_to_read(store_uuid: str | None = None) -> WantToReadQueued:
    """Queue the library books on the Hardcover Want to Read shelf that the device
    `store_uuid` (by default the one seen last) did not list at its last connection."""
    device = (
        Device.get_or_none(Device.store_uuid == store_uuid)
        if store_uuid is not None
        else Device.select().order_by(Device.last_seen.desc()).first()
    )
    uuid = device.store_uuid if device is not None else store_uuid
    wanted = shelves.books_not_on_device(shelves.WANT_TO_READ, uuid)
    added = store.queue_books(wanted, time.time())
    return WantToReadQueued(device.name if device else None, added, len(wanted) - len(added))


def device_list() -> DeviceList:
    queue = store.queued_titles()
    return DeviceList(
        store.list_devices(), [book_id for book_id, _ in queue], [title for _, title in queue]
    )


def devices_holding(book_id: int) -> list[str]:
    return store.devices_holding(book_id)


def wireless_enabled() -> bool:
    return bool(get_setting("devices.wireless"))


def set_wireless(on: bool) -> None:
    set_setting("devices.wireless", on)


class DeviceService:
    """The wireless server on the running loop, with the saved settings and password."""

    def __init__(
        self,
        paths: Paths,
        *,
        backend: KeyringBackend | None = None,
        content_port: Callable[[], int] = lambda: 0,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.passwords = DevicePasswordStore(paths.data_dir, backend)
        self._content_port = content_port
        self._on_change = on_change
        self._server: DeviceServer | None = None
        self._problem: str | None = None
        self._remedy: str | None = None
        self._turn: asyncio.Lock | None = None  # one start or stop at a time

    def _lock(self) -> asyncio.Lock:
        if self._turn is None:
            self._turn = asyncio.Lock()
        return self._turn

    def set_password(self, password: str) -> None:
        self.passwords.save(password)

    def has_password(self) -> bool:
        """Whether a password is saved (never what it is); DevicePasswordError when the
        keyring cannot be read."""
        return self.passwords.load() is not None

    async def start(
        self,
        host: str,
        port: int | None = None,
        *,
        discovery: bool | None = None,
        force: bool = False,
    ) -> DeviceState:
        """Start when switched on (or `force`); a problem is reported in the state. `port`
        and `discovery` default to the saved settings."""
        async with self._lock():
            return await self._start(host, port, discovery, force)

    async def _start(
        self, host: str, port: int | None, discovery: bool | None, force: bool
    ) -> DeviceState:
        from bookorbit_desktop.devices.records import DeviceRecords
        from bookorbit_desktop.devices.server import DeviceServer

        if self._server is not None or not (force or wireless_enabled()):
            return self.state()
        if port is None:
            saved = get_setting("devices.calibre_port")
            port = None if saved == 9090 else saved  # calibre's default: another when taken
        if discovery is None:
            discovery = bool(get_setting("devices.discovery"))
        self._problem = self._remedy = None
        try:
            password = self.passwords.load()
            server = DeviceServer(
                password,
                DeviceRecords(),
                host,
                port,
                discovery=discovery,
                content_port=self._content_port,
                on_change=self._changed,
            )
            await server.start()
        except BookOrbitError as error:
            log.warning("Device connection not started: %s", error.message)
            self._problem, self._remedy = error.message, error.remedy
            return self.state()
        self._server = server
        return self.state()

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()

    async def stop(self) -> None:
        async with self._lock():
            server, self._server = self._server, None
            if server is not None:
                await server.stop()

    @property
    def server(self) -> DeviceServer | None:
        return self._server

    def send_now(self) -> bool:
        """Send the queue at once when a device is connected; False when none is."""
        return self._server is not None and self._server.send_queued()

    async def send_want_to_read(self) -> WantToReadQueued:
        """Queue the Want to Read books the connected device (else the one seen last) does not
        have, and send them at once when a device is connected."""
        result = await off_loop(queue_want_to_read, self.state().device_uuid)
        if result.queued:
            self.send_now()
        return result

    async def delete(self, lpaths: list[str]) -> None:
        if self._server is None:
            raise BookOrbitError("No device is connected. Connect it from KOReader first.")
        await self._server.delete(lpaths)

    async def eject(self) -> None:
        if self._server is not None:
            await self._server.eject()

    def state(self, queued: int = 0) -> DeviceState:
        server = self._server
        if server is None:
            problems = (self._problem,) if self._problem else ()
            return DeviceState(
                wireless_enabled(), problems=problems, queued=queued, remedy=self._remedy
            )
        status = server.status
        progress = status.progress
        sending = f"{progress.done + 1} of {progress.total}: {progress.title}" if progress else None
        addresses = tuple(f"{a}:{status.port}" for a in addresses_for_host(server.host))
        return DeviceState(
            enabled=True,
            running=True,
            port=status.port,
            addresses=addresses,
            discovery_port=status.discovery_port,
            device=status.device,
            device_uuid=status.device_uuid,
            sending=sending,
            problems=tuple(status.problems),
            queued=queued,
        )
