"""How often the journal asks Hardcover when things go wrong, against the loopback fake on a
virtual clock: an insert without an answer waits like a refusal (and its wait keeps growing
across read-backs), and an answer that says nothing was stored puts the entry back in the
queue with its reason instead of leaving it to be read back."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.api.errors import AuthError
from bookorbit_desktop.hardcover.journal.backlog import SLOW_DOWN, TOKEN
from bookorbit_desktop.hardcover.journal.plan import REFUSED, WAITING
from bookorbit_desktop.hardcover.journal.send import send_highlights
from bookorbit_desktop.library.store.channel_tables import JournalEntry
from tests.hardcover.journal.test_send_faults import QUOTES, count, entries, reader, world

pytestmark = pytest.mark.asyncio
__all__ = ["reader", "world"]  # fixtures


async def worker_passes(client, hardcover, clock, seconds: int, every: int = 10) -> None:
    """The background worker's passes (not asked by the user) for `seconds`."""
    for _ in range(seconds // every):
        await send_highlights(client, user_id=hardcover.user_id, clock=clock)
        clock.advance(every)


def rows() -> list[tuple[str, int, str | None]]:
    return sorted((r.state, r.attempts, r.refused) for r in JournalEntry.select())


async def test_an_insert_answered_503_again_and_again_waits(world, hardcover, reader, clock):
    hardcover.fail_next(503, times=10_000, operation="InsertReadingJournal")
    await send_highlights(reader, user_id=hardcover.user_id, reviewed=True, clock=clock)
    await worker_passes(reader, hardcover, clock, 10 * 60)
    # at the start and once more after 5 minutes; not every 10 s (a faulted request has no name)
    assert hardcover.status_count(503) <= 3 * 2
    assert count(hardcover, "ReadingJournalsByBook") <= 3
    hardcover._faults.clear()
    clock.advance(3_600)
    await send_highlights(reader, user_id=hardcover.user_id, clock=clock)
    assert entries(hardcover) == sorted(QUOTES)  # each once


async def test_the_wait_keeps_growing_across_read_backs(world, hardcover, reader, clock):
    hardcover.fail_next(503, times=10_000, operation="InsertReadingJournal")
    await send_highlights(reader, user_id=hardcover.user_id, reviewed=True, clock=clock)
    await worker_passes(reader, hardcover, clock, 3 * 3_600, every=60)
    # 0, 5 min, 25 min, 1 h 25 min: the read-back finding nothing does not start over
    assert hardcover.status_count(503) <= 3 * 4
    assert {attempts for _, attempts, _ in rows()} == {4}


async def test_an_edited_note_starts_its_failures_over(world, hardcover, reader, clock):
    from bookorbit_desktop.library.highlights import store
    from bookorbit_desktop.library.highlights.rules import Entry

    def note(text: str, now: float) -> None:
        entry = [Entry(1_709_300_000, QUOTES[0], text)]
        store.record(store.Target(world["dune"]), entry, source="xmnote", origin="x", now=now)

    note("first note", 2.0)
    hardcover.catalog.delete_book(world["hc_book"])
    for _ in range(3):  # the user asks three times
        await send_highlights(reader, user_id=hardcover.user_id, reviewed=True, user_asked=True)
    assert {attempts for _, attempts, _ in rows()} == {3}
    note("edited note", 3.0)
    hardcover.reset_counters()
    await send_highlights(reader, user_id=hardcover.user_id, reviewed=True, clock=clock)
    assert count(hardcover, "InsertReadingJournal") == 1  # only the edited note, at once
    assert sorted(attempts for _, attempts, _ in rows()) == [1, 3, 3, 3]


@pytest.mark.parametrize(
    ("fault", "state", "reason", "attempts"),
    [
        ((429, {"retry_after": 3_600}), WAITING, SLOW_DOWN, 0),
        ((401, {}), WAITING, TOKEN, 1),
        ((400, {"body": {"error": "Bad entry"}}), REFUSED, "Bad entry", 1),
        ((403, {"body": {"error": "Not allowed"}}), REFUSED, "Not allowed", 1),
    ],
)
async def test_an_answer_that_stored_nothing_puts_the_entry_back_with_its_reason(
    world, hardcover, reader, clock, fault, state, reason, attempts
):
    status, options = fault
    hardcover.fail_next(status, operation="InsertReadingJournal", **options)
    try:
        report = await send_highlights(
            reader, user_id=hardcover.user_id, reviewed=True, clock=clock
        )
    except AuthError:
        report = None
    first = JournalEntry.get(JournalEntry.text == QUOTES[0])
    assert (first.state, first.attempts, first.refused) == (state, attempts, reason)
    assert first.next_attempt_at == clock() + (3_600 if status == 429 else 300)
    if status == 429:
        assert report is not None and report.slow_down_until == clock() + 3_600
        assert report.left == 3  # the pass stopped: all three wait
    clock.advance(3_600)
    await send_highlights(reader, user_id=hardcover.user_id, reviewed=True, clock=clock)
    assert count(hardcover, "ReadingJournalsByBook") == 0  # nothing to look for
    assert entries(hardcover) == sorted(QUOTES)
