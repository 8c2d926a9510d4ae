"""The library's side of a session: each call runs in a worker thread on its own connection.

A session never touches SQLite on the event loop; it awaits these, which call
`library.store.devices` through `off_loop`. Tests pass the same class over a real library.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from bookorbit_desktop.library.store import devices as store
from bookorbit_desktop.library.store.off_loop import off_loop


class DeviceRecords:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._library_uuid: str | None = None

    async def library_uuid(self) -> str:
        """The library's uuid, read once: every connection's handshake sends it, and a crowd of
        strangers must not cost a worker thread and a library connection each before the
        password check."""
        if self._library_uuid is None:
            self._library_uuid = await off_loop(store.library_uuid)
        return self._library_uuid

    async def connected(
        self, store_uuid: str, name: str, address: str | None, free_space: int | None
    ) -> int:
        now = self.clock()
        return await off_loop(store.record_connection, store_uuid, name, address, free_space, now)

    async def known(self, device_id: int) -> dict[str, store.ListedBook]:
        return await off_loop(store.known_listing, device_id)

    async def listing(self, device_id: int, books: Sequence[store.ListedBook]) -> None:
        await off_loop(store.replace_listing, device_id, books)

    async def queued(self, formats: Sequence[str]) -> tuple[list[store.SendItem], list[int]]:
        return await off_loop(store.queued_items, formats)

    async def sent(
        self, device_id: int, item: store.SendItem, lpath: str, last_modified: str
    ) -> None:
        await off_loop(store.record_sent, device_id, item, lpath, last_modified, self.clock())

    async def deleted(self, device_id: int, lpaths: Sequence[str]) -> None:
        await off_loop(store.record_deleted, device_id, lpaths)
