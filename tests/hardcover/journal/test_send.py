"""Highlights to the reading journal against the loopback fake Hardcover (every request is
validated against the official schema): opt-in, review, id map, edits, lost answers, scopes."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.journal import store as journal_store
from bookorbit_desktop.hardcover.journal.send import ReviewNeededError, send_highlights
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.library.highlights import store
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.store.channel_tables import JournalEntry
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK, SYNC_SCOPES
from tests.fakes.hardcover_fixtures import make_client

pytestmark = pytest.mark.asyncio
T = 1_709_300_000


@pytest.fixture
def world(library, hardcover):
    catalog = hardcover.catalog
    hc_book = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=5)
    hc_edition = catalog.add_edition(hc_book, pages=400, reading_format_id=EBOOK)
    dune = add_book("Dune", ["Frank Herbert"])
    other = add_book("Emma", ["Jane Austen"])
    pin(dune.id, hc_book, edition_id=hc_edition, edition_pages=400, reason="pick")
    entries = [Entry(T, "Fear is the mind-killer.", "", "One", "12"), Entry(T + 9, "Spice.", "n")]
    store.record(store.Target(dune.id), entries, source="xmnote", origin="x", now=1.0)
    store.record(
        store.Target(other.id), [Entry(T, "Badly done")], source="xmnote", origin="x", now=1.0
    )
    return {"dune": dune.id, "other": other.id, "hc_book": hc_book, "edition": hc_edition}


def journal(hardcover):
    return sorted(
        (row["event"], row["entry"], row["privacy_setting_id"])
        for row in hardcover.catalog.rows("reading_journals")
    )


def operations(hardcover):
    return [r.operation_name for r in hardcover.requests if r.operation_name]


async def test_off_until_chosen_then_reviewed_then_sent_once(world, hardcover, hc_client):
    report = await send_highlights(hc_client, user_id=hardcover.user_id)
    assert (report.inserted, journal(hardcover)) == (0, [])  # nothing chosen: nothing sent
    journal_store.choose([world["dune"]], on=True)
    with pytest.raises(ReviewNeededError) as raised:
        await send_highlights(hc_client, user_id=hardcover.user_id)
    assert len(raised.value.preview.inserts) == 3 and journal(hardcover) == []
    report = await send_highlights(hc_client, user_id=hardcover.user_id, reviewed=True)
    assert report.inserted == 3
    assert journal(hardcover) == [
        ("note", "n", 3),
        ("quote", "Fear is the mind-killer.", 3),  # private unless the user says otherwise
        ("quote", "Spice.", 3),
    ]
    first = next(
        r for r in hardcover.catalog.rows("reading_journals") if r["entry"].startswith("Fear")
    )
    assert first["edition_id"] == world["edition"]
    assert first["metadata"] == {"position": {"type": "pages", "value": 12, "possible": 400}}
    again = await send_highlights(hc_client, user_id=hardcover.user_id)  # no review now
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert len(hardcover.catalog.rows("reading_journals")) == 3
    assert not any("Delete" in name for name in operations(hardcover))


async def test_an_edited_note_updates_its_entry_and_a_removed_one_stays(
    world, hardcover, hc_client
):
    journal_store.choose([world["dune"]], on=True)
    await send_highlights(hc_client, user_id=hardcover.user_id, reviewed=True)
    store.record(
        store.Target(world["dune"]),
        [Entry(T + 9, "Spice.", "edited")],
        source="xmnote",
        origin="x",
        now=2.0,
    )
    report = await send_highlights(hc_client, user_id=hardcover.user_id)
    assert (report.updated, report.inserted) == (1, 0)
    assert ("note", "edited", 3) in journal(hardcover)
    store.record(
        store.Target(world["dune"]),
        [Entry(T + 9, "Spice.", "")],
        source="xmnote",
        origin="x",
        now=3.0,
    )
    report = await send_highlights(hc_client, user_id=hardcover.user_id)
    assert (report.updated, report.inserted) == (0, 0)
    assert ("note", "edited", 3) in journal(hardcover)  # never deleted


async def test_a_lost_answer_is_confirmed_by_reading_back_not_sent_twice(world, hardcover, clock):
    catalog = hardcover.catalog
    token = catalog.add_token(hardcover.user_id, scopes=SYNC_SCOPES | {"read:journal"})
    client = make_client(hardcover, clock, token)
    try:
        journal_store.choose([world["dune"]], on=True)
        hardcover.fail_next("drop_after", operation="InsertReadingJournal")
        report = await send_highlights(client, user_id=hardcover.user_id, reviewed=True)
        assert (report.inserted, report.waiting) == (2, 1)
        assert len(catalog.rows("reading_journals")) == 3  # the dropped one did arrive
        assert JournalEntry.select().where(JournalEntry.state == "sending").count() == 1
        report = await send_highlights(client, user_id=hardcover.user_id, user_asked=True)
        assert (report.adopted, report.inserted) == (1, 0)
        assert len(catalog.rows("reading_journals")) == 3
        assert JournalEntry.select().where(JournalEntry.state == "sending").count() == 0
    finally:
        await client.close()


async def test_without_read_journal_a_lost_answer_waits(world, hardcover, hc_client):
    journal_store.choose_all(True)
    hardcover.fail_next("drop_after", operation="InsertReadingJournal")
    await send_highlights(hc_client, user_id=hardcover.user_id, reviewed=True)
    before = len(hardcover.catalog.rows("reading_journals"))
    report = await send_highlights(hc_client, user_id=hardcover.user_id, user_asked=True)
    assert (report.waiting, report.inserted) == (1, 0)  # the sync token may not read it back
    assert len(hardcover.catalog.rows("reading_journals")) == before


async def test_a_refused_insert_is_reported_and_not_marked(world, hardcover, hc_client):
    journal_store.choose([world["dune"]], on=True)
    hardcover.catalog.delete_book(world["hc_book"])
    report = await send_highlights(hc_client, user_id=hardcover.user_id, reviewed=True)
    assert report.inserted == 0 and len(report.failed) == 3
    assert report.failed[0].reason == "Book not found" and report.failed[0].refused
    kept = JournalEntry.select().where(JournalEntry.journal_id.is_null(False)).count()
    assert kept == 0  # nothing is in the journal; the refusal is kept to wait and be shown


async def test_privacy_and_unlinked_books(world, hardcover, hc_client):
    journal_store.choose_all(True)
    journal_store.set_privacy("public")
    report = await send_highlights(hc_client, user_id=hardcover.user_id, reviewed=True)
    assert report.inserted == 3  # Emma is not linked to Hardcover: nothing of it is sent
    assert {row[2] for row in journal(hardcover)} == {1}


async def test_the_background_worker_sends_new_highlights_after_the_first_reviewed_batch(
    world, hardcover, hc_client, clock
):
    from contextlib import asynccontextmanager

    from bookorbit_desktop.library.store.settings import set_setting
    from bookorbit_desktop.services.hardcover.sync import FIRST_SYNC_KEY, SyncService
    from bookorbit_desktop.services.hardcover.sync_gate import PassGate

    class Account:
        def has_supplied_token(self) -> bool:
            return False

        @asynccontextmanager
        async def open_client(self):
            yield hc_client

    set_setting(FIRST_SYNC_KEY, 0.0)
    worker = SyncService(Account(), clock=clock, gate=PassGate())
    journal_store.choose([world["dune"]], on=True)
    assert await worker.push_due() is None  # the first batch waits for the user's review
    assert journal(hardcover) == [] and hardcover.requests == []
    await send_highlights(hc_client, user_id=hardcover.user_id, reviewed=True)
    hardcover.reset_counters()
    assert await worker.push_due() is None  # nothing new: not a single request
    assert hardcover.requests == []
    store.record(
        store.Target(world["dune"]), [Entry(T + 60, "The spice must flow.")], source="xmnote",
        origin="x", now=2.0,
    )  # fmt: skip
    result = await worker.push_due()
    assert result is not None and result.journal_sent == 1
    assert ("quote", "The spice must flow.", 3) in journal(hardcover)
