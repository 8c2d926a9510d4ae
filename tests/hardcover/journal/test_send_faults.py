"""The journal under faults, against the loopback fake Hardcover: one sender at a time, a lost
answer is looked for before anything is sent again, a refusal waits longer each time and is
shown, and a missing read permission stops the read-backs instead of looping."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.journal import store as journal_store
from bookorbit_desktop.hardcover.journal.send import send_highlights
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.sync import lease
from bookorbit_desktop.library.highlights import store
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.services.hardcover import journal as journal_service
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK, SYNC_SCOPES
from tests.fakes.hardcover_fixtures import make_client

pytestmark = pytest.mark.asyncio
T = 1_709_300_000
QUOTES = ("Fear is the mind-killer.", "Spice.", "The sleeper must awaken.")


@pytest.fixture
def world(library, hardcover):
    catalog = hardcover.catalog
    hc_book = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=5)
    hc_edition = catalog.add_edition(hc_book, pages=400, reading_format_id=EBOOK)
    dune = add_book("Dune", ["Frank Herbert"])
    pin(dune.id, hc_book, edition_id=hc_edition, edition_pages=400, reason="pick")
    entries = [Entry(T + n, text) for n, text in enumerate(QUOTES)]
    store.record(store.Target(dune.id), entries, source="xmnote", origin="x", now=1.0)
    journal_store.choose([dune.id], on=True)
    return {"dune": dune.id, "hc_book": hc_book}


@pytest.fixture
async def reader(hardcover, clock):
    """A client whose token may also read the journal back."""
    token = hardcover.catalog.add_token(hardcover.user_id, scopes=SYNC_SCOPES | {"read:journal"})
    client = make_client(hardcover, clock, token)
    yield client
    await client.close()


def entries(hardcover) -> list[str]:
    return sorted(row["entry"] for row in hardcover.catalog.rows("reading_journals"))


def count(hardcover, operation: str) -> int:
    return sum(1 for r in hardcover.requests if r.operation_name == operation)


@pytest.mark.parametrize("answer", [503, 500, "drop"])
async def test_a_stored_insert_whose_answer_is_lost_is_never_sent_twice(
    world, hardcover, reader, answer
):
    hardcover.lose_answer_after_write("InsertReadingJournal", 1, answer=answer)
    report = await send_highlights(reader, user_id=hardcover.user_id, reviewed=True)
    assert (report.inserted, report.waiting) == (2, 1)
    assert entries(hardcover) == sorted(QUOTES)  # the lost one did arrive, once
    report = await send_highlights(reader, user_id=hardcover.user_id, user_asked=True)
    assert (report.adopted, report.inserted) == (1, 0)
    assert entries(hardcover) == sorted(QUOTES)


async def test_a_send_waits_for_another_process_holding_the_lease(world, hardcover, reader):
    class Account:
        def open_client(self):
            from contextlib import asynccontextmanager

            @asynccontextmanager
            async def opened():
                yield reader

            return opened()

    assert lease.acquire("otherhost:1:serve")  # the worker of `serve` is sending
    with pytest.raises(journal_service.BusyError) as raised:
        await journal_service.send_now(Account(), reviewed=True)
    assert "another BookOrbit process (pid 1 on otherhost)" in str(raised.value)
    assert hardcover.requests == [] and entries(hardcover) == []
    lease.release("otherhost:1:serve")
    report = await journal_service.send_now(Account(), reviewed=True)
    assert report.inserted == 3 and lease.holder_now() is None  # taken, then given back


async def test_a_refused_entry_waits_longer_each_time_and_says_why(world, hardcover, reader, clock):
    hardcover.catalog.delete_book(world["hc_book"])
    report = await send_highlights(reader, user_id=hardcover.user_id, reviewed=True)
    assert len(report.failed) == 3 and report.failed[0].reason == "Book not found"
    for _ in range(60):  # the worker's pass every 10 s for 10 minutes
        clock.advance(10)
        await send_highlights(reader, user_id=hardcover.user_id, reviewed=True)
    assert count(hardcover, "InsertReadingJournal") <= 3 * 2  # at most one retry each
    shown = journal_service.states()
    assert {s.refused for s in shown} == {"Refused by Hardcover: Book not found"}
    for _ in range(6 * 6 * 24):  # a day of passes: the wait grows to hours
        clock.advance(10)
        await send_highlights(reader, user_id=hardcover.user_id, reviewed=True)
    assert count(hardcover, "InsertReadingJournal") <= 3 * 8


async def test_without_read_journal_the_read_back_stops_instead_of_looping(
    world, hardcover, hc_client, clock
):
    hardcover.lose_answer_after_write("InsertReadingJournal", 1, answer="drop")
    await send_highlights(hc_client, user_id=hardcover.user_id, reviewed=True)
    reads = 0
    for _ in range(60):
        clock.advance(10)
        report = await send_highlights(hc_client, user_id=hardcover.user_id)
        reads = count(hardcover, "ReadingJournalsByBook")
    assert reads <= 1 and hardcover.status_count(403) == reads
    assert report.waiting + report.held == 1 and len(entries(hardcover)) == 3  # never blind
    shown = [s for s in journal_service.states() if s.waiting]
    assert len(shown) == 1 and "read:journal" in shown[0].waiting


async def test_quotes_left_by_a_503_and_a_drop_stay_queued_and_go_later(world, hardcover, reader):
    hardcover.fail_next(503, operation="InsertReadingJournal")
    hardcover.fail_next("drop", operation="InsertReadingJournal")
    report = await send_highlights(reader, user_id=hardcover.user_id, reviewed=True)
    assert report.inserted == 1 and report.waiting == 2
    report = await send_highlights(reader, user_id=hardcover.user_id, user_asked=True)
    assert report.inserted == 2
    assert entries(hardcover) == sorted(QUOTES)


async def test_an_update_hardcover_keeps_failing_waits_too(world, hardcover, reader, clock):
    note = [Entry(T, QUOTES[0], "first note")]
    store.record(store.Target(world["dune"]), note, source="xmnote", origin="x", now=2.0)
    await send_highlights(reader, user_id=hardcover.user_id, reviewed=True)
    edited = [Entry(T, QUOTES[0], "edited note")]
    store.record(store.Target(world["dune"]), edited, source="xmnote", origin="x", now=3.0)
    hardcover.fail_next(500, times=100, operation="UpdateReadingJournal")
    for _ in range(60):  # the worker's pass every 10 s for 10 minutes, Hardcover failing
        await send_highlights(reader, user_id=hardcover.user_id, clock=clock)
        clock.advance(10)
    assert 1 <= hardcover.status_count(500) <= 2  # a faulted request carries no name
    hardcover._faults.clear()
    clock.advance(3_600)
    report = await send_highlights(reader, user_id=hardcover.user_id, clock=clock)
    assert report.updated == 1 and "edited note" in entries(hardcover)
