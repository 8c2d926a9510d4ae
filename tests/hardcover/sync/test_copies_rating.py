"""One entry has one rating: two copies of The Hobbit linked to one Hardcover book, rated 5★
and 4★, make one write of the first rating and then a conflict the user settles (Use This
Copy), never a write per copy (the fake Hardcover on 127.0.0.1)."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.matching.store import lead, pin
from bookorbit_desktop.hardcover.sync import store
from bookorbit_desktop.library.reading.edits import update_reading_state
from tests.factories import add_book

pytestmark = pytest.mark.asyncio


def rating_writes(world) -> list[float | None]:
    return [
        r.variables.get("object", {}).get("rating")
        for r in world.hardcover.requests
        if r.operation_type == "mutation" and "rating" in r.variables.get("object", {})
    ]


async def test_two_copies_rated_differently_are_a_conflict_not_two_writes(world):
    world.add("hobbit", status="read", started="2024-01-02", finished="2024-02-03")
    hc_book, edition = world.hc_books["hobbit"], world.editions["hobbit"]
    other = add_book("The Hobbit (second copy)", ["Ann Author"]).id
    pin(other, hc_book, edition_id=edition, edition_pages=300, reason="picked")
    update_reading_state(other, status="read", started="2024-01-02", finished="2024-02-03")
    await world.sync()
    world.hardcover.reset_counters()

    world.edit("hobbit", rating=5.0)
    await world.sync()
    update_reading_state(other, rating=4.0)
    await world.sync()
    for _ in range(3):  # the copies' reading changes on: the order of changes decides nothing
        world.clock.advance(60)
        world.edit("hobbit", progress=1.0)
        update_reading_state(other, progress=1.0)
        await world.sync()
    assert rating_writes(world) == [5]
    assert world.entry("hobbit")["rating"] == 5
    (candidate,) = store.candidates([other])
    assert candidate.conflict == "2 copies linked: rated 5★ and 4★"

    lead(other)  # Use This Copy: the user's word
    await world.sync()
    assert rating_writes(world) == [5, 4] and world.entry("hobbit")["rating"] == 4
