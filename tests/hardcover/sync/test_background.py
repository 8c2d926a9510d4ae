"""Automatic pushes: which queued changes are due, the triggers, the lease between processes,
and a KOReader push flowing through to Hardcover's progress_pages."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest

from bookorbit_desktop.hardcover.api.credentials import SuppliedToken
from bookorbit_desktop.hardcover.sync import lease, store
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from bookorbit_desktop.hardcover.sync.plan import due_books
from bookorbit_desktop.library.reading.pushes import Push, record_push
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import DocumentAlias, ReadingState
from bookorbit_desktop.library.store.settings import delete_setting, set_setting
from bookorbit_desktop.services.hardcover.account import PAUSED_KEY, HardcoverAccount
from bookorbit_desktop.services.hardcover.sync import FIRST_SYNC_KEY, SyncService
from bookorbit_desktop.services.hardcover.sync_worker import SyncWorker
from tests.fakes.hardcover_fixtures import make_client

pytestmark = pytest.mark.asyncio


@dataclass
class Account:
    """The account seam SyncService uses: a client for the saved token (here, the fake's)."""

    world: object

    @asynccontextmanager
    async def open_client(self):
        yield self.world.client


def service(world) -> SyncService:
    set_setting(FIRST_SYNC_KEY, 0.0)  # the user has synced by hand before
    return SyncService(Account(world), clock=world.clock)


def queue_kinds() -> dict[int, set[str]]:
    return {q.book_id: set(q.kinds) for q in outbox.queued()}


async def test_changes_wait_their_turn_then_go_out_by_themselves(world):
    world.add("a", status="reading", started="2026-03-01", progress=0.2)
    world.add("b", status="want_to_read")
    await world.sync()
    now = world.clock()
    world.edit("a", progress=0.5)  # progress: batched every few minutes
    world.edit("b", rating="4")  # rating: soon
    assert queue_kinds() == {world.books["a"]: {"progress"}, world.books["b"]: {"rating"}}
    settings = sync_settings.load()
    assert due_books(settings, world.clock()) == []  # queued "now" by the real clock: not due
    assert set(due_books(settings, now + 10**10)) == {world.books["a"], world.books["b"]}


async def test_push_due_sends_only_what_is_due_and_keeps_the_rest_queued(world):
    world.add("a", status="reading", started="2026-03-01", progress=0.2)
    world.add("b", status="want_to_read")
    await world.sync()
    world.edit("a", progress=0.5)
    world.edit("b", rating="4")
    rows = {q.book_id: q for q in outbox.queued()}
    # The rating was queued a minute ago, the progress only a minute ago too: rating is due.
    past = world.clock() - 60
    for book_id, row in rows.items():
        outbox.SyncOutbox.update(kinds={k: past for k in row.kinds}).where(
            outbox.SyncOutbox.book == book_id
        ).execute()
    result = await service(world).push_due()
    assert result is not None
    assert [b.book_id for b in result.books] == [world.books["b"]]
    assert world.entry("b")["rating"] == 4
    assert world.reads("a")[0]["progress_pages"] == 60  # not yet: progress waits longer
    assert list(queue_kinds()) == [world.books["a"]]


async def test_a_trigger_that_is_off_leaves_the_change_pending_for_a_manual_sync(world):
    world.add("a", status="reading", started="2026-03-01", progress=0.2)
    await world.sync()
    sync_settings.save(on_progress=False)
    world.edit("a", progress=0.9)
    assert due_books(sync_settings.load(), world.clock() + 10**10) == []
    assert [c.local.book_id for c in store.pending(sync_settings.load().options(1))] == [
        world.books["a"]
    ]
    await world.sync()
    assert world.reads("a")[0]["progress_pages"] == 270


async def test_nothing_goes_out_by_itself_before_the_first_sync_by_hand(world):
    world.add("a", status="want_to_read")
    outbox.SyncOutbox.update(kinds={"status": 0.0}).execute()
    mine = service(world)
    delete_setting(FIRST_SYNC_KEY)
    assert mine.due() == [] and await mine.push_due() is None
    assert not mine.status().first_sync_done
    await mine.sync(match=False)
    assert mine.status().first_sync_done and world.entry("a") is not None


async def test_paused_sync_pushes_nothing_by_itself(world):
    world.add("a", status="want_to_read")
    sync_settings.save(enabled=False)
    assert service(world).due() == []
    assert await service(world).push_due() is None
    assert world.entry("a") is None


async def test_a_pause_for_the_saved_token_does_not_hold_back_a_token_given_for_the_run(world):
    book_id = world.add("a", status="want_to_read")
    outbox.SyncOutbox.update(kinds={"status": 0.0}).execute()
    set_setting(FIRST_SYNC_KEY, 0.0)
    set_setting(PAUSED_KEY, {"reason": "refused", "detail": None, "since": 0.0})
    saved = SyncService(HardcoverAccount(supplied=None), clock=world.clock)
    assert saved.due() == []
    given = HardcoverAccount(supplied=SuppliedToken("hc_pat_for_this_run", "a token file"))
    assert SyncService(given, clock=world.clock).due() == [book_id]


async def test_a_koreader_push_flows_through_to_progress_pages(world):
    book_id = world.add("a", status="reading", started="2026-03-01", progress=0.1)
    DocumentAlias.create(document="d" * 32, kind="content", book=book_id, created_at=0)
    await world.sync()
    push = Push(document="d" * 32, progress="/body/DocFragment[12]", percentage=0.42, device="Kobo")
    record_push(push, timestamp=int(world.clock()))
    assert ReadingState.get(ReadingState.book == book_id).progress == 0.42
    assert queue_kinds() == {book_id: {"progress"}}
    worker = SyncWorker(service(world))
    world.clock.advance(10**4)
    result = await worker.run_once()
    assert result is not None and result.books[0].outcome == "sent"
    assert world.reads("a")[0]["progress_pages"] == 126
    assert outbox.queued() == []


async def test_a_pass_in_another_process_is_waited_for_then_this_one_runs(world):
    world.add("a", status="want_to_read")
    other = lease.new_holder()
    assert lease.acquire(other, now=world.clock())
    naps: list[float] = []

    async def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 3:
            lease.release(other)  # the other process's pass ends

    mine = SyncService(Account(world), clock=world.clock, sleep=nap, holder=lease.new_holder())
    set_setting(FIRST_SYNC_KEY, 0.0)
    world.clock.advance(60)
    assert await mine.push_due() is None  # the worker never waits: the other process pushes
    said: list[str] = []
    report = await mine.sync(waiting=said.append)
    assert report.stopped is None and world.entry("a") is not None
    assert len(naps) == 3 and said == [
        f"Waiting for the sync running in {lease.describe(other)} to finish…"
    ]
    assert lease.holder_now(now=world.clock()) is None  # released after the pass


async def test_a_pass_that_never_ends_elsewhere_is_waited_for_a_bounded_time(world):
    world.add("a", status="want_to_read")
    other = lease.new_holder()
    assert lease.acquire(other, now=world.clock())

    async def nap(seconds: float) -> None:
        lease.acquire(other, now=world.clock())  # the other process keeps renewing

    mine = SyncService(Account(world), clock=world.clock, sleep=nap, holder=lease.new_holder())
    report = await mine.sync()
    assert report.stopped and "has been syncing this library for over 10 minutes" in report.stopped
    assert world.entry("a") is None


async def test_the_worker_pushes_from_its_own_thread_and_reports_back_here(world):
    world.add("a", status="want_to_read")
    outbox.SyncOutbox.update(kinds={"status": 0.0}).execute()  # queued long ago: due

    class ThreadAccount:
        @asynccontextmanager
        async def open_client(self):  # a client of the worker thread's own loop
            client = make_client(world.hardcover, world.clock, world.hardcover.token)
            try:
                yield client
            finally:
                await client.close()

    results, loops = [], []

    def on_result(result) -> None:
        results.append(result)
        loops.append(asyncio.get_running_loop())

    set_setting(FIRST_SYNC_KEY, 0.0)  # the user has synced by hand before
    worker = SyncWorker(
        SyncService(ThreadAccount(), clock=world.clock), poll=0.05, on_result=on_result
    )
    worker.start()
    try:
        for _ in range(400):
            if results:
                break
            await asyncio.sleep(0.05)
    finally:
        await worker.stop()
    assert results and results[0].books[0].outcome == "sent"
    assert loops == [asyncio.get_running_loop()]  # handed back to this loop
    assert world.entry("a") is not None
