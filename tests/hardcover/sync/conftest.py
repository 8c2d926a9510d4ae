"""A library and a fake Hardcover with a few books on both sides, wired to a sync engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.records import HardcoverUser
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from bookorbit_desktop.hardcover.sync.engine import SyncEngine
from bookorbit_desktop.hardcover.sync.results import PassResult
from bookorbit_desktop.library.reading.edits import update_reading_state
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK
from tests.fakes.hardcover_fixtures import make_client

ADDED = dt.datetime(2026, 1, 10, 12, 0).timestamp()


@dataclass
class World:
    hardcover: object
    client: HardcoverClient
    clock: object
    books: dict[str, int] = field(default_factory=dict)
    hc_books: dict[str, int] = field(default_factory=dict)
    editions: dict[str, int] = field(default_factory=dict)

    @property
    def catalog(self):
        return self.hardcover.catalog

    def engine(self, **kwargs) -> SyncEngine:
        user = HardcoverUser(self.hardcover.user_id, "reader", 1)
        return SyncEngine(
            self.client,
            user,
            sync_settings.load(),
            clock=self.clock,
            today=lambda: self.clock.today().isoformat(),
            **kwargs,
        )

    async def sync(self, *book_keys: str, **kwargs) -> PassResult:
        ids = [self.books[k] for k in book_keys] if book_keys else None
        return await self.engine().run(ids, **kwargs)

    def add(
        self,
        key: str,
        *,
        pages: int | None = 300,
        status: str = "unread",
        **reading,
    ) -> int:
        """A local book linked (picked) to its own Hardcover book and edition."""
        hc_book = self.catalog.add_book(f"Book {key}", authors=["Ann Author"], users_count=10)
        edition = self.catalog.add_edition(hc_book, pages=pages, reading_format_id=EBOOK)
        book = add_book(f"Book {key}", ["Ann Author"], added_at=ADDED)
        pin(book.id, hc_book, edition_id=edition, edition_pages=pages, reason="picked")
        self.books[key], self.hc_books[key], self.editions[key] = book.id, hc_book, edition
        if status != "unread" or reading:
            update_reading_state(book.id, status=status, **reading)
        return book.id

    def edit(self, key: str, **changes) -> None:
        update_reading_state(self.books[key], **changes)

    def entry(self, key: str) -> dict | None:
        return self.catalog.user_book_for(self.hardcover.user_id, self.hc_books[key])

    def reads(self, key: str) -> list[dict]:
        entry = self.entry(key)
        return sorted(self.catalog.reads_of(entry["id"]), key=lambda r: r["id"]) if entry else []

    def mutations(self) -> int:
        return sum(1 for r in self.hardcover.requests if r.operation_type == "mutation")


@pytest.fixture
async def world(library, hardcover, clock) -> AsyncIterator[World]:
    client = make_client(hardcover, clock, hardcover.token)
    try:
        yield World(hardcover, client, clock)
    finally:
        await client.close()


@pytest.fixture
def activities(world) -> Callable[[str], list[dict]]:
    def of(event: str) -> list[dict]:
        return [a for a in world.catalog.activities if a["event"] == event]

    return of
