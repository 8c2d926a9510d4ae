"""Remove Entry against the loopback Hardcover: the entry stays removed through every trigger
(Sync Now, the background worker, a change to the book, another copy) until the user links or
adds the book again on purpose."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.matching.actions import add_again, rematch, remove_entry
from bookorbit_desktop.hardcover.matching.store import REMOVED, get_match, pin
from bookorbit_desktop.library.store.models import SyncOutbox
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.hardcover.sync import FIRST_SYNC_KEY, SyncService
from bookorbit_desktop.services.hardcover.sync_gate import PassGate
from tests.factories import add_book
from tests.hardcover.sync.conftest import ADDED

pytestmark = pytest.mark.asyncio


class Account:
    def __init__(self, world) -> None:
        self.world = world

    def open_client(self):
        client = self.world.client

        class Open:
            async def __aenter__(self):
                return client

            async def __aexit__(self, *_):
                return False

        return Open()


async def worker_pass(world) -> None:
    set_setting(FIRST_SYNC_KEY, 0.0)
    world.clock.advance(10**6)
    SyncOutbox.update(kinds={"status": 0.0, "progress": 0.0}).execute()
    await SyncService(Account(world), clock=world.clock, gate=PassGate()).push_due()


async def test_a_removed_entry_is_never_added_back_by_a_sync(world):
    book = world.add("b", status="reading", started="2026-03-01", progress=0.4)
    await world.sync()
    assert world.entry("b") is not None
    result = await remove_entry(book, world.client)
    assert world.entry("b") is None
    assert "stays removed" in result.message
    assert get_match(book).state == REMOVED
    world.edit("b", progress=0.6, rating=4.0)  # the book keeps being read
    await world.sync()  # Sync Now
    await worker_pass(world)  # the background worker
    assert world.entry("b") is None
    assert get_match(book).state == REMOVED


async def test_another_copy_does_not_add_the_removed_entry_back(world):
    book = world.add("b", status="reading", started="2026-03-01", progress=0.4)
    copy = add_book("Book b (second copy)", ["Ann Author"], added_at=ADDED)
    pin(copy.id, world.hc_books["b"], edition_id=world.editions["b"], edition_pages=300,
        reason="picked")  # fmt: skip
    await world.sync()
    await remove_entry(book, world.client)
    world.edit("b", progress=0.5)
    await world.sync()
    assert world.entry("b") is None
    assert get_match(copy.id).state == REMOVED


async def test_add_again_pick_and_rematch_bring_it_back_on_purpose(world):
    book = world.add("b", status="reading", started="2026-03-01", progress=0.4)
    await world.sync()
    await remove_entry(book, world.client)
    result = add_again(book)
    assert "next sync" in result.message
    await world.sync()
    assert world.entry("b") is not None
    await remove_entry(book, world.client)
    pin(book, world.hc_books["b"], edition_id=world.editions["b"], edition_pages=300,
        reason="picked")  # fmt: skip
    await world.sync()
    assert world.entry("b") is not None
    await remove_entry(book, world.client)
    await rematch(book, world.client)
    assert get_match(book).state == "unmatched"  # the next pass matches it again
