"""The sync engine end to end: a real library, the fake Hardcover on 127.0.0.1 with its
documented side effects, and the outcomes read back from both."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.pull import store as pulled_store
from bookorbit_desktop.hardcover.sync import ledger, store
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from bookorbit_desktop.hardcover.sync.results import FAILED, SENT, UP_TO_DATE, WOULD_SEND
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import HardcoverMatch, HardcoverSync, ReadingState
from tests.fakes.hardcover_resolvers import Behaviour

pytestmark = pytest.mark.asyncio


def sent_outcomes(result) -> dict[int, str]:
    return {b.book_id: b.outcome for b in result.books}


async def test_first_sync_of_a_mixed_library(world, activities):
    world.add("wish", status="want_to_read")
    world.add("now", status="reading", started="2026-03-01", progress=0.5)
    world.add("done", status="read", started="2026-01-05", finished="2026-02-20", rating="4.5")
    world.add("shelf")  # unread: never sent
    result = await world.sync()
    assert result.stopped is None
    assert sorted(sent_outcomes(result).values()) == [SENT, SENT, SENT]
    wish, now, done = world.entry("wish"), world.entry("now"), world.entry("done")
    assert world.entry("shelf") is None
    assert (wish["status_id"], now["status_id"], done["status_id"]) == (1, 2, 3)
    assert {e["date_added"] for e in (wish, now, done)} == {"2026-01-10"}
    assert world.reads("wish") == []
    (read,) = world.reads("now")
    assert (read["started_at"], read["finished_at"], read["progress_pages"]) == (
        "2026-03-01",
        None,
        150,
    )
    assert read["edition_id"] == world.editions["now"]
    (read,) = world.reads("done")  # Hardcover's own read, rewritten: no second "Dates Read"
    assert (read["started_at"], read["finished_at"], read["progress_pages"]) == (
        "2026-01-05",
        "2026-02-20",
        300,
    )
    assert done["rating"] == 4.5
    match = HardcoverMatch.get(HardcoverMatch.book == world.books["done"])
    assert match.user_book_id == done["id"] and match.created_by_us
    assert outbox.queued() == []
    assert store.pending(sync_settings.load().options(1)) == []
    assert len(activities("status")) == 3


async def test_an_unchanged_library_sends_nothing_and_looks_nothing_up(world, activities):
    for n in range(5):
        world.add(f"b{n}", status="reading", started="2026-03-01", progress=0.1 * (n + 1))
    await world.sync()
    before = len(world.hardcover.requests)
    feed = len(world.catalog.activities)
    result = await world.sync()
    assert set(sent_outcomes(result).values()) == {UP_TO_DATE}
    # Not even a lookup: only the pull that starts every pass (what changed on Hardcover).
    asked = {r.operation_name for r in world.hardcover.requests[before:]}
    assert asked <= {"PullUserBooks", "PullLists", "PullReads"}
    assert len(world.catalog.activities) == feed


@pytest.mark.parametrize("mode", ["patch", "replace"])
async def test_progress_rating_and_finish_flow_through_in_both_read_update_modes(world, mode):
    world.hardcover.behaviour = Behaviour(read_update_mode=mode)
    world.add("b", status="reading", started="2026-03-01", progress=0.2)
    await world.sync()
    world.edit("b", progress=0.6)
    world.edit("b", rating="3")
    result = await world.sync()
    assert sent_outcomes(result)[world.books["b"]] == SENT
    (read,) = world.reads("b")
    assert (read["started_at"], read["progress_pages"]) == ("2026-03-01", 180)
    assert world.entry("b")["rating"] == 3
    world.edit("b", rating=None)
    await world.sync()
    assert world.entry("b")["rating"] is None
    world.edit("b", status="read", finished="2026-04-02")
    await world.sync()
    (read,) = world.reads("b")
    assert (read["started_at"], read["finished_at"], read["progress_pages"]) == (
        "2026-03-01",
        "2026-04-02",
        300,
    )
    assert world.entry("b")["status_id"] == 3


async def test_a_reread_opens_a_new_read(world):
    world.add("b", status="read", started="2026-01-05", finished="2026-02-20")
    await world.sync()
    world.edit("b", status="reading")  # a reread: no evidence yet of when it began
    world.edit("b", progress=0.1)
    await world.sync()
    first, second = world.reads("b")
    assert (first["started_at"], first["finished_at"]) == ("2026-01-05", "2026-02-20")
    assert second["finished_at"] is None and second["progress_pages"] == 30
    assert second["started_at"] is None  # never the day of the click
    assert world.entry("b")["status_id"] == 2


async def test_a_stale_device_never_rewinds_and_allow_rewind_does(world):
    world.add("b", status="reading", started="2026-03-01", progress=0.8)
    await world.sync()
    world.edit("b", progress=0.3)
    result = await world.sync()
    assert sent_outcomes(result)[world.books["b"]] == UP_TO_DATE
    assert world.reads("b")[0]["progress_pages"] == 240
    state = HardcoverSync.get(HardcoverSync.book == world.books["b"])
    assert state.state == store.AHEAD and "Hardcover is ahead" in state.reason
    await world.sync("b", allow_rewind=True)
    assert world.reads("b")[0]["progress_pages"] == 90


async def test_an_entry_already_on_the_profile_is_adopted_never_duplicated_or_deleted(world):
    world.add("b", status="reading", started="2026-03-01", progress=0.5)
    user_book = world.catalog.add_user_book(
        world.hardcover.user_id, world.hc_books["b"], status_id=2, rating=5.0,
        privacy_setting_id=3,
    )  # fmt: skip
    world.catalog.add_read(user_book, started_at="2025-12-01", progress_pages=20)
    await world.sync()
    entries = [
        e
        for e in world.catalog.tables["user_books"].values()
        if e["book_id"] == world.hc_books["b"]
    ]
    assert len(entries) == 1
    (read,) = world.reads("b")
    # Progress comes from KOReader and moves the read on; the start dates differ and neither
    # side's is known to both, so Hardcover's stays until the user picks one (a conflict).
    assert (read["started_at"], read["progress_pages"]) == ("2025-12-01", 150)
    (conflict,) = pulled_store.conflicts([world.books["b"]])
    assert (conflict.field, conflict.local, conflict.remote) == (
        "started",
        "2026-03-01",
        "2025-12-01",
    )
    entry = world.entry("b")
    assert (entry["rating"], entry["privacy_setting_id"]) == (5.0, 3)  # not known here: kept
    assert ReadingState.get_by_id(world.books["b"]).rating == 5.0  # and taken by the library
    match = HardcoverMatch.get(HardcoverMatch.book == world.books["b"])
    assert match.user_book_id == user_book and not match.created_by_us


async def test_an_edit_made_on_hardcover_is_not_clobbered(world):
    world.add("b", status="reading", started="2026-03-01", progress=0.5, rating="3")
    await world.sync()
    world.entry("b")["rating"] = 5.0  # the user changed it on hardcover.app
    world.edit("b", progress=0.6)
    await world.sync()
    assert world.entry("b")["rating"] == 5.0
    assert world.reads("b")[0]["progress_pages"] == 180
    log = ledger.log_entries(book_id=world.books["b"], limit=1)[0]
    assert log["outcome"] == SENT


async def test_dry_run_writes_nothing_anywhere(world):
    world.add("b", status="read", finished="2026-02-20")
    result = await world.sync(dry_run=True)
    (book,) = result.books
    assert book.outcome == WOULD_SEND
    assert [a["kind"] for a in book.actions] == ["insert_user_book", "update_user_book_read"]
    assert world.mutations() == 0 and world.entry("b") is None
    assert HardcoverSync.select().count() == 0
    assert [q.book_id for q in outbox.queued()] == [world.books["b"]]


# ------------------------------------------------------------------ faults


async def test_a_lost_answer_to_an_insert_is_read_back_never_applied_twice(world):
    world.add("b", status="reading", started="2026-03-01", progress=0.5)
    world.hardcover.fail_next("drop_after", operation="InsertUserBook")
    result = await world.sync()
    assert result.books[0].outcome == SENT  # read back, adopted as ours, then finished
    assert world.hardcover.status_count(-1) == 1
    entries = [
        e
        for e in world.catalog.tables["user_books"].values()
        if e["book_id"] == world.hc_books["b"]
    ]
    assert len(entries) == 1
    assert len(world.reads("b")) == 1
    assert world.reads("b")[0]["progress_pages"] == 150
    assert HardcoverMatch.get(HardcoverMatch.book == world.books["b"]).created_by_us


async def test_a_refused_token_stops_at_once_and_leaves_everything_pending(world):
    for key in ("a", "b", "c"):
        world.add(key, status="want_to_read")
    world.hardcover.fail_next(401)
    result = await world.sync()
    assert result.stopped and "token" in result.stopped.lower()
    assert world.mutations() == 0
    assert len(world.hardcover.requests) == 1  # nothing more was sent with that token
    assert len(outbox.queued()) == 3


async def test_passing_trouble_postpones_and_a_later_pass_recovers(world):
    world.add("a", status="want_to_read")
    world.add("b", status="want_to_read")
    await world.sync(dry_run=True)  # nothing written
    world.hardcover.fail_next(503, times=4, operation="UserBooksByBooks")  # every retry
    result = await world.sync()
    assert result.failed
    assert world.entry("a") is None and world.entry("b") is None
    queued = {q.book_id: q for q in outbox.queued()}
    assert set(queued) == {world.books["a"], world.books["b"]}
    result = await world.sync()
    assert not result.failed
    assert world.entry("a") is not None and world.entry("b") is not None
    assert outbox.queued() == []


async def test_a_book_deleted_on_hardcover_is_blocked_with_a_reason(world):
    world.add("b", status="want_to_read")
    world.catalog.delete_book(world.hc_books["b"])
    result = await world.sync()
    (book,) = result.books
    assert book.outcome == FAILED and "deleted" in book.error
    (queued,) = outbox.queued()
    assert queued.blocked
    result = await world.sync()  # not retried until the book changes
    assert result.books[0].outcome == FAILED and world.mutations() == 1
    world.edit("b", rating="4")
    assert outbox.queued()[0].blocked is None


async def test_a_merged_book_is_followed_to_its_canonical_book(world):
    world.add("b", status="want_to_read")
    canonical = world.catalog.add_book("Book b (merged)", authors=["Ann Author"])
    world.catalog.merge_book(world.hc_books["b"], into=canonical)
    HardcoverMatch.update(hc_rating=4.4).where(HardcoverMatch.book == world.books["b"]).execute()
    result = await world.sync()
    assert result.books[0].outcome == SENT
    entry = world.catalog.user_book_for(world.hardcover.user_id, canonical)
    assert entry is not None
    match = HardcoverMatch.get(HardcoverMatch.book == world.books["b"])
    assert (match.hc_book_id, match.hc_rating) == (canonical, None)  # the merged book's rating


async def test_the_days_budget_is_spent_only_down_to_a_reserve(world):
    for n in range(4):
        world.add(f"b{n}", status="want_to_read")
    engine = world.engine(daily_reserve=world.client.budget().daily_remaining - 9)
    result = await engine.run()
    assert result.stopped and "allowance" in result.stopped
    done = [b for b in result.books if b.outcome == SENT]
    assert 0 < len(done) < 4
    result = await world.engine().run()
    assert not result.failed
    assert all(world.entry(f"b{n}") for n in range(4))


async def test_rematch_keeps_the_entry_unless_the_user_asks_to_remove_it(world):
    from bookorbit_desktop.hardcover.matching.actions import (
        exclude,
        include,
        rematch,
        remove_entry,
    )
    from bookorbit_desktop.hardcover.matching.store import pin
    from bookorbit_desktop.hardcover.sync.ledger import entry_contents

    world.add("b", status="read", started="2026-03-01", finished="2026-03-20", rating=4.5)
    await world.sync()
    kept = await rematch(world.books["b"], world.client)
    entry = world.entry("b")  # one click never deletes a rating and read dates
    assert entry is not None and entry["rating"] == 4.5 and len(world.reads("b")) == 1
    assert "stays on your profile" in kept.message
    pin(world.books["b"], world.hc_books["b"], edition_id=world.editions["b"], edition_pages=300,
        reason="picked")  # fmt: skip
    await world.sync()
    assert entry_contents(world.books["b"]) == (
        "status Read, rating 4.5★, the read 2026-03-01 – 2026-03-20"
    )
    await remove_entry(world.books["b"], world.client)  # its own, explicit action
    assert world.entry("b") is None
    await rematch(world.books["b"], world.client, remove_from_hardcover=True)  # nothing left
    world.edit("b", status="reading", started="2026-04-01", progress=0.5)
    pin(world.books["b"], world.hc_books["b"], edition_id=world.editions["b"], edition_pages=300,
        reason="picked")  # fmt: skip
    await world.sync()
    assert world.entry("b") is not None and len(world.reads("b")) == 1
    # Exclude without removal keeps the entry; Include resumes syncing it.
    await exclude(world.books["b"], world.client)
    world.edit("b", progress=0.7)
    await world.sync()
    assert world.reads("b")[0]["progress_pages"] == 150
    include(world.books["b"])
    await world.sync()
    assert world.reads("b")[0]["progress_pages"] == 210


async def test_other_readers_entries_for_the_same_book_are_never_touched(world):
    world.add("b", status="reading", started="2026-03-01", progress=0.5)
    stranger = world.catalog.add_user("stranger")
    theirs = world.catalog.add_user_book(stranger, world.hc_books["b"], status_id=3, rating=1.0)
    await world.sync()
    assert world.catalog.tables["user_books"][theirs]["rating"] == 1.0
    assert world.entry("b")["id"] != theirs


@pytest.mark.parametrize("fault", [429, 500, 502, 408, "drop"])
async def test_faults_in_the_middle_lose_and_duplicate_nothing(world, fault):
    for key in ("a", "b", "c"):
        world.add(key, status="read", started="2026-01-05", finished="2026-02-20")
    world.hardcover.fail_next(fault, times=2, retry_after=1000, operation="UpdateUserBookRead")
    first = await world.sync()
    assert first.failed
    for _ in range(4):
        if not (await world.sync()).failed:
            break
        world.clock.advance(4000)
    for key in ("a", "b", "c"):
        entries = [
            e
            for e in world.catalog.tables["user_books"].values()
            if e["book_id"] == world.hc_books[key]
        ]
        assert len(entries) == 1, key
        (read,) = world.reads(key)
        assert (read["started_at"], read["finished_at"]) == ("2026-01-05", "2026-02-20"), key
    assert outbox.queued() == []


async def test_a_missing_scope_stops_the_pass_and_names_the_scope(world):
    world.add("a", status="want_to_read")
    world.add("b", status="want_to_read")
    world.hardcover.fail_next(
        403,
        body={"error": "insufficient_scope", "error_description": "no", "scope": "write:library"},
        operation="InsertUserBook",
    )
    result = await world.sync()
    assert result.stopped and "write:library" in result.stopped
    assert world.entry("a") is None and world.entry("b") is None
