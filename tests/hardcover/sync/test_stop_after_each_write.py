"""A book on Hardcover marked Read in the library with its dates, and the token revoked after
each request of the push in turn: whatever request the sync stopped after, Hardcover holds no
date the library never had (no "finished today"; the fake Hardcover on 127.0.0.1). A book new
to Hardcover is the one exception: its entry is inserted as Read in one request, which
Hardcover dates today until the next request (`reconcile._entry_missing` says why)."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.asyncio

STARTED, FINISHED = "2024-01-10", "2024-02-03"
# Where the entry stands on Hardcover before the book is marked Read in the library.
BEFORE = {
    "want to read": {"status": "want_to_read"},
    "reading, synced": {"status": "reading", "started": STARTED, "progress": 0.4},
}


def dates_on_hardcover(world) -> set[str]:
    return {
        date
        for read in world.reads("dune")
        for date in (read["started_at"], read["finished_at"])
        if date is not None
    }


async def stopped_after(world, before: dict, stop_at: int) -> tuple[int, set[str]]:
    """Mark the book Read and sync with the token revoked after request `stop_at` of the push;
    (the requests the push made, the dates Hardcover then holds)."""
    world.add("dune", **before)
    await world.sync()
    world.edit("dune", status="read", started=STARTED, finished=FINISHED)
    seen = 0

    def count(name: str | None) -> None:
        nonlocal seen
        if name in ("Me", "PullUserBooks", "PullLists"):
            return
        seen += 1
        if seen == stop_at:
            for token in list(world.catalog.tokens):
                world.catalog.revoke_token(token)

    world.hardcover.after_operation = count
    await world.sync()
    world.hardcover.after_operation = None
    return seen, dates_on_hardcover(world)


@pytest.mark.parametrize("before", list(BEFORE))
async def test_the_whole_push_brings_both_dates(world, before):
    writes, dates = await stopped_after(world, BEFORE[before], stop_at=10**6)
    assert dates == {STARTED, FINISHED} and world.entry("dune")["status_id"] == 3
    assert writes <= MAX_WRITES


MAX_WRITES = 4  # the longest push of these: every stop point below is one of its requests


@pytest.mark.parametrize("stop_at", range(1, MAX_WRITES + 1))
@pytest.mark.parametrize("before", list(BEFORE))
async def test_no_stop_leaves_a_date_the_library_never_had(world, before, stop_at):
    _, dates = await stopped_after(world, BEFORE[before], stop_at)
    assert dates <= {STARTED, FINISHED}, f"today is {dt.date.today()}"
