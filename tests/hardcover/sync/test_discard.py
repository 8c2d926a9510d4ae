"""Discard says only what it does: a book on Hardcover takes its values back (one undo step),
a book Hardcover holds nothing of (never sent, or its entry removed) is excluded instead and
never said to take anything back (the fake Hardcover on 127.0.0.1)."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.matching.store import get_match, record_user_book
from bookorbit_desktop.hardcover.sync import declined
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.ui.hardcover.held import discard_text

pytestmark = pytest.mark.asyncio


async def test_discard_takes_back_only_what_hardcover_has(world):
    world.add("on", status="read", started="2024-01-10", finished="2024-02-03")
    world.add("removed", status="read", started="2024-01-10", finished="2024-02-03")
    await world.sync()
    record_user_book(world.books["removed"], None, created_by_us=False)  # its entry removed
    world.add("new")
    for key in ("on", "removed", "new"):
        update_reading_state(world.books[key], status="want_to_read")
    declined.hold_shown(world.books.values())

    plan = declined.plan_discard()
    assert set(plan.values) == {world.books["on"]}
    assert set(plan.excluded) == {world.books["removed"], world.books["new"]}
    assert discard_text(len(plan.values), len(plan.excluded)) == (
        "Discard what you held back for 3 books? 1 book takes Hardcover's status, rating and "
        "dates back (Undo brings yours back); 2 books not on Hardcover are excluded from the "
        "sync (Include on this page syncs them again). Nothing is sent."
    )
    sent = world.mutations()
    done = declined.discard()
    assert world.mutations() == sent
    assert done.text == (
        "Discarded held changes: 1 book takes Hardcover's values back (Undo brings yours "
        "back); 2 books not on Hardcover excluded from the sync (Include syncs again)."
    )
    assert ReadingState.get_by_id(world.books["on"]).status == "read"
    assert ReadingState.get_by_id(world.books["removed"]).status == "want_to_read"
    assert get_match(world.books["removed"]).state == "excluded"
    assert "Discard" in steps.next_undo().label


async def test_only_books_not_on_hardcover_promise_no_undo(world):
    world.add("new")
    update_reading_state(world.books["new"], status="want_to_read")
    declined.hold_shown([world.books["new"]])
    plan = declined.plan_discard()
    assert "Undo" not in discard_text(len(plan.values), len(plan.excluded))
    assert "Undo" not in declined.discard().text
    assert steps.next_undo() is None or "Discard" not in steps.next_undo().label
