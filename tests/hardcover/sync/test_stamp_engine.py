"""Today stamped by our own Read on the user's adopted, undated read, through the real engine
and the fake Hardcover when a push does not finish: a Read that never landed leaves nothing to
undo (a date the user gives the read later stays); an undo refused mid-push is done by the next
sync, and so is the undo of a Read whose answer never came; a page the user reached on Hardcover
after a partial push is never lowered; and a page our own edition change carried along goes
back to the same distance into the book."""

from __future__ import annotations

import datetime as dt

import pytest

from bookorbit_desktop.hardcover.api.client import RetryPolicy
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import HardcoverMatch, ReadingState
from tests.fakes.hardcover_catalog import EBOOK

pytestmark = pytest.mark.asyncio


def set_state(world, **values) -> None:
    ReadingState.update(**values).where(ReadingState.book == world.books["a"]).execute()
    outbox.note_change(world.books["a"], ["status"])


def dates(world) -> list[tuple[str | None, str | None]]:
    return [(r["started_at"], r["finished_at"]) for r in world.reads("a")]


async def read_there_then_wanted_here(world) -> int:
    """Read on Hardcover with an undated read, adopted, then set to Want to Read here."""
    world.add("a", status="want_to_read")
    set_state(world, status="read", progress=1.0, finished=None, started=None)
    entry = world.catalog.add_user_book(
        world.hardcover.user_id, world.hc_books["a"], status_id=3, edition_id=world.editions["a"]
    )
    world.catalog.add_read(entry, edition_id=world.editions["a"], progress_pages=0)
    await world.sync()
    set_state(world, status="want_to_read", progress=0.0)
    world.clock.advance(4000)
    await world.sync()
    assert world.entry("a")["status_id"] == 1
    return entry


NEVER_LANDED = [
    (503, RetryPolicy().attempts + 2),  # never answered, and the read-back shows nothing
    (401, 1),  # refused
]


@pytest.mark.parametrize(("status", "times"), NEVER_LANDED)
@pytest.mark.parametrize("given", ["2026-02-14", "today", "yesterday"])
async def test_a_date_the_user_gives_after_a_read_that_never_landed_stays(
    world, status, times, given
):
    entry = await read_there_then_wanted_here(world)
    set_state(world, status="read", progress=1.0, finished=None)
    world.hardcover.fail_next(status, times=times, operation="UpdateUserBook")
    world.clock.advance(4000)
    (failed,) = (await world.sync()).books
    assert failed.outcome != "sent" and dates(world) == [(None, None)]
    today = world.catalog.today()
    given = {"today": str(today), "yesterday": str(today - dt.timedelta(days=1))}.get(given, given)
    (read,) = world.reads("a")
    read["finished_at"] = given  # the user, on hardcover.app (also on the day of our Read)
    world.entry("a")["status_id"] = 3
    world.catalog.touch(entry)
    world.clock.advance(4000)
    await world.sync()
    assert dates(world) == [(None, given)]


@pytest.mark.parametrize(
    ("answer", "tries"),
    [
        (524, 1),  # not a status the client knows: no retry, no read-back
        (502, RetryPolicy().attempts),  # retried, then read back (which fails here)
        (504, RetryPolicy().attempts),
    ],
)
async def test_the_stamp_of_a_read_answered_with_a_gateway_error_goes_back(world, answer, tries):
    # A gateway's answer after the write: it may have happened, so it is looked for later.
    await read_there_then_wanted_here(world)
    set_state(world, status="read", progress=1.0, finished=None)
    world.hardcover.lose_answer_after_write("UpdateUserBook", times=tries, answer=answer)
    if tries > 1:
        world.hardcover.fail_next(503, times=tries, operation="UserBookByBook")
    world.clock.advance(4000)
    await world.sync()
    assert dates(world) == [(None, world.catalog.today().isoformat())]
    set_state(world, rating=4.0)  # a change here: a book refused so is tried again only then
    world.clock.advance(4000)
    await world.sync()
    assert dates(world) == [(None, None)]


@pytest.mark.parametrize("then", [401, 400, 429])
async def test_a_refusal_after_an_attempt_that_was_stored_leaves_the_stamp_to_find(world, then):
    # The Read is stored and answered 503; the client sends it again and that attempt is
    # refused. The refusal does not say the first attempt was not carried out.
    await read_there_then_wanted_here(world)
    set_state(world, status="read", progress=1.0, finished=None)
    world.hardcover.lose_answer_after_write("UpdateUserBook", answer=503)

    def refuse_the_next_attempt(operation: str | None) -> None:
        if operation == "UpdateUserBook":
            world.hardcover.after_operation = None
            world.hardcover.fail_next(
                then, operation="UpdateUserBook", retry_after=600 if then == 429 else None
            )

    world.hardcover.after_operation = refuse_the_next_attempt
    world.clock.advance(4000)
    await world.sync()
    assert dates(world) == [(None, world.catalog.today().isoformat())]
    set_state(world, rating=4.0)
    world.clock.advance(4000)
    await world.sync()
    assert dates(world) == [(None, None)]


async def test_a_refused_insert_never_makes_the_users_own_entry_ours(world):
    world.add("a", status="reading", progress=0.5, started="2026-08-01")
    await world.sync()
    world.catalog.delete_row("user_books", world.entry("a")["id"])  # the user, on hardcover.app
    set_state(world, status="read", progress=1.0, finished="2026-08-20")  # a change here
    world.hardcover.fail_next(429, retry_after=600, operation="InsertUserBook")
    world.clock.advance(4000)
    await world.sync()
    assert world.entry("a") is None
    entry = world.catalog.add_user_book(  # the user adds it again, read, finished today
        world.hardcover.user_id, world.hc_books["a"], status_id=3, edition_id=world.editions["a"]
    )
    world.catalog.add_read(entry, edition_id=world.editions["a"], finished_at="2026-08-31")
    set_state(world, rating=4.0)
    world.clock.advance(4000)
    await world.sync()
    assert [r["finished_at"] for r in world.reads("a")] == ["2026-08-31"]  # theirs, kept
    assert not HardcoverMatch.get(HardcoverMatch.book == world.books["a"]).created_by_us


@pytest.mark.parametrize("given", ["2026-08-15", "today"])
async def test_a_date_the_user_gives_a_read_of_ours_after_a_read_that_never_landed_stays(
    world, given
):
    world.add("a", status="reading", progress=0.5, started="2026-08-01")
    await world.sync()
    set_state(world, status="read", progress=1.0, finished=None)
    world.hardcover.fail_next(503, times=RetryPolicy().attempts + 2, operation="UpdateUserBook")
    world.clock.advance(4000)
    (failed,) = (await world.sync()).books
    assert failed.outcome == "failed"
    given = str(world.catalog.today()) if given == "today" else given
    (read,) = world.reads("a")
    read["finished_at"] = given
    world.entry("a")["status_id"] = 3
    world.catalog.touch(world.entry("a")["id"])
    world.clock.advance(4000)
    await world.sync()
    assert dates(world) == [("2026-08-01", given)]


async def test_an_undo_refused_mid_push_is_done_by_the_next_sync(world):
    await read_there_then_wanted_here(world)
    set_state(world, status="read", progress=1.0, finished=None)
    world.hardcover.fail_next(401, operation="UpdateUserBookRead")  # token revoked mid-push
    world.clock.advance(4000)
    (partial,) = (await world.sync()).books
    today = world.catalog.today().isoformat()
    assert partial.outcome == "partial" and dates(world) == [(None, today)]
    world.clock.advance(4000)
    await world.sync()
    assert dates(world) == [(None, None)]


async def test_the_stamp_of_a_read_whose_answer_never_came_goes_back_at_the_next_sync(world):
    await read_there_then_wanted_here(world)
    set_state(world, status="read", progress=1.0, finished=None)
    tries = RetryPolicy().attempts + 2
    world.hardcover.lose_answer_after_write("UpdateUserBook", times=tries, answer="drop")
    world.hardcover.fail_next(503, times=tries, operation="UserBookByBook")  # no read-back
    world.clock.advance(4000)
    (failed,) = (await world.sync()).books
    today = world.catalog.today().isoformat()
    assert failed.outcome == "failed" and dates(world) == [(None, today)]
    world.clock.advance(4000)
    await world.sync()
    assert dates(world) == [(None, None)]


async def test_the_dry_run_after_a_first_push_whose_answer_never_came_lists_what_it_sends(world):
    world.add("a", status="read", progress=1.0, finished=None, started=None)
    entry = world.catalog.add_user_book(
        world.hardcover.user_id, world.hc_books["a"], status_id=2, edition_id=world.editions["a"]
    )
    world.catalog.add_read(entry, edition_id=world.editions["a"], progress_pages=10)
    tries = RetryPolicy().attempts + 2
    world.hardcover.lose_answer_after_write("UpdateUserBook", times=tries, answer="drop")
    world.hardcover.fail_next(503, times=tries, operation="UserBookByBook")
    await world.sync()
    assert dates(world) == [(None, world.catalog.today().isoformat())]
    world.clock.advance(4000)
    dry = await world.sync(dry_run=True)
    real = await world.sync()
    assert [b.actions for b in dry.books] == [b.actions for b in real.books]
    assert dates(world) == [(None, None)]


async def test_a_page_reached_on_hardcover_after_a_partial_push_is_not_lowered(world):
    world.add("a", pages=150, status="reading", started="2026-03-01", progress=0.0)
    long = world.catalog.add_edition(world.hc_books["a"], pages=300, reading_format_id=EBOOK)
    entry = world.catalog.add_user_book(
        world.hardcover.user_id, world.hc_books["a"], status_id=2, edition_id=long
    )
    world.catalog.add_read(entry, edition_id=long, started_at="2026-03-01", progress_pages=90)
    world.hardcover.fail_next(503, times=RetryPolicy().attempts + 2, operation="UpdateUserBookRead")
    await world.sync()
    (read,) = world.reads("a")
    read["progress_pages"] = 140  # the user reads on, on hardcover.app
    world.catalog.touch(entry)
    world.clock.advance(4000)
    await world.sync()
    assert [r["progress_pages"] for r in world.reads("a")] == [140]


def long_entry_on_hardcover(world, page: int) -> int:
    """The library's book in a 150-page edition; on Hardcover, reading the 300-page one."""
    long = world.catalog.add_edition(world.hc_books["a"], pages=300, reading_format_id=EBOOK)
    entry = world.catalog.add_user_book(
        world.hardcover.user_id, world.hc_books["a"], status_id=2, edition_id=long
    )
    world.catalog.add_read(entry, edition_id=long, started_at="2026-03-01", progress_pages=page)
    return entry


async def test_a_page_reached_on_hardcover_after_a_partial_push_beats_the_librarys(world):
    world.add("a", pages=150, status="reading", started="2026-03-01", progress=0.4)
    entry = long_entry_on_hardcover(world, 90)  # 30% in; the library is at 40%: p. 60 of 150
    world.hardcover.fail_next(503, times=RetryPolicy().attempts + 2, operation="UpdateUserBookRead")
    await world.sync()  # the edition moves (p. 90 carried along), p. 60 does not land
    (read,) = world.reads("a")
    assert (read["edition_id"], read["progress_pages"]) == (world.editions["a"], 90)
    read["progress_pages"] = 140  # the user reads on, on hardcover.app
    world.catalog.touch(entry)
    world.clock.advance(4000)
    await world.sync()
    assert [r["progress_pages"] for r in world.reads("a")] == [140]


@pytest.mark.parametrize("fails", [0, 1])
async def test_a_page_our_edition_change_carried_keeps_its_distance_in(world, fails):
    world.add("a", pages=150, status="reading", started="2026-03-01", progress=0.0)
    long_entry_on_hardcover(world, 90)  # 30% in: p. 45 of the library's 150-page edition
    if fails:
        world.hardcover.fail_next(
            503, times=RetryPolicy().attempts + 2, operation="UpdateUserBookRead"
        )
        await world.sync()
        world.clock.advance(4000)
    await world.sync()
    (read,) = world.reads("a")
    assert (read["edition_id"], read["progress_pages"]) == (world.editions["a"], 45)
