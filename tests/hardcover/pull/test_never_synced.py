"""Linked books with no sync record yet, through the real engine and the loopback fake.

What the user does on hardcover.app to a book the library never pushed (an unread one, or one
read on the e-reader since) comes home where the library has no value of its own, and is a
conflict, shown and held, where both sides hold different values.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.conflicts import listing, resolve
from bookorbit_desktop.library.reading.pushes import Push, record_push
from bookorbit_desktop.library.store.models import ALIAS_CONTENT, DocumentAlias, ReadingState
from tests.fakes.hardcover_catalog import CURRENTLY_READING, READ, WANT_TO_READ
from tests.fakes.hardcover_shelves import edit_entry


def _reading(book_id: int) -> ReadingState:
    return ReadingState.get_by_id(book_id)


def _writes(world, since: int, *keys: str) -> list[dict]:
    """The mutations sent since request `since` whose variables name any of `keys`."""
    return [
        r.variables
        for r in world.hardcover.requests[since:]
        if r.operation_type == "mutation" and any(k in repr(r.variables) for k in keys)
    ]


def _day_of(stamp: str) -> str:
    moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    return dt.datetime.fromtimestamp(moment).date().isoformat()


async def test_want_to_read_and_a_rating_given_on_hardcover_come_home_to_an_unread_book(world):
    book = world.add("a")  # linked, unread, never pushed
    await world.sync()
    assert world.entry("a") is None
    uid = world.hardcover.user_id
    world.clock.advance(600)
    world.catalog.add_user_book(uid, world.hc_books["a"], status_id=WANT_TO_READ, rating=4.0)
    sent = len(world.hardcover.requests)
    await world.sync()
    reading = _reading(book)
    assert (reading.status, reading.rating) == ("want_to_read", 4.0)
    taken = store.followed(book)
    assert taken["status_id"][0] == WANT_TO_READ and taken["rating"][0] == 4.0
    day = dt.datetime.fromtimestamp(taken["rating"][1]).date().isoformat()
    assert day == _day_of(world.entry("a")["updated_at"])  # dated by when it changed there
    assert listing() == []
    assert _writes(world, sent, "status_id", "rating") == []  # nothing sent back
    assert (world.entry("a")["status_id"], world.entry("a")["rating"]) == (WANT_TO_READ, 4.0)


async def test_later_changes_between_syncs_follow_what_was_taken(world):
    """The worker's passes pull only what changed: a value taken from Hardcover is the base for
    the next change there (followed, not a conflict), before any push recorded one."""
    book = world.add("a")
    await world.sync()
    uid = world.hardcover.user_id
    entry = world.catalog.add_user_book(uid, world.hc_books["a"], status_id=WANT_TO_READ)
    result = await world.sync(due_only=True)  # an incremental pull; nothing is due to push
    assert result.books == [] and _reading(book).status == "want_to_read"
    edit_entry(world.catalog, entry, status_id=CURRENTLY_READING, rating=3.5)
    await world.sync(due_only=True)
    reading = _reading(book)
    assert (reading.status, reading.rating) == ("reading", 3.5) and listing() == []
    world.edit("a", rating=2.0)  # the user's own word here, then Hardcover's there
    edit_entry(world.catalog, entry, rating=5.0)
    await world.sync(due_only=True)
    (conflict,) = listing()
    assert (conflict["field"], conflict["local"], conflict["hardcover"]) == ("rating", 2.0, 5.0)
    assert world.entry("a")["rating"] == 5.0


def _read_on_the_e_reader(book_id: int) -> None:
    """KOReader's evidence: a push of a document of the book, 30 % in."""
    DocumentAlias.create(document="doc", kind=ALIAS_CONTENT, book=book_id, created_at=time.time())
    record_push(Push("doc", "/body/p[3]", 0.3, "Kobo", "K1"), timestamp=int(time.time()))


async def _read_there_reading_here(world) -> int:
    book = world.add("a")
    _read_on_the_e_reader(book)
    assert _reading(book).status == "reading" and _reading(book).started_source == "sync"
    uid = world.hardcover.user_id
    entry = world.catalog.add_user_book(uid, world.hc_books["a"], status_id=READ, rating=5.0)
    world.catalog.add_read(entry, started_at="2025-11-02", finished_at="2025-11-20")
    return book


async def test_read_on_hardcover_and_reading_here_is_a_conflict_and_the_stars_come_home(world):
    book = await _read_there_reading_here(world)
    sent = len(world.hardcover.requests)
    await world.sync()
    await world.sync()  # held while it stands
    entry = world.entry("a")
    assert (entry["status_id"], entry["rating"]) == (READ, 5.0)  # not overwritten there
    assert _writes(world, sent, "status_id") == []
    reading = _reading(book)
    assert (reading.status, reading.rating) == ("reading", 5.0)  # nor here; the stars came
    assert store.followed(book)["rating"][0] == 5.0
    (conflict,) = listing()
    assert (conflict["field"], conflict["local"], conflict["hardcover"]) == ("status", 2, READ)
    assert reading.finished is None  # the dates wait for the status


@pytest.mark.parametrize("keep", ["local", "hardcover"])
async def test_the_users_pick_ends_the_conflict_on_both_sides(world, keep):
    book = await _read_there_reading_here(world)
    await world.sync()
    resolve(book, "status", keep)
    await world.sync()
    await world.sync()
    entry = world.entry("a")
    if keep == "local":  # a reread: Currently Reading there, the finished read kept
        assert entry["status_id"] == CURRENTLY_READING and _reading(book).status == "reading"
        assert [r["finished_at"] for r in world.reads("a")] == ["2025-11-20", None]
    else:
        assert entry["status_id"] == READ and _reading(book).status == "read"
        reading = _reading(book)  # the dates of the read that status carries came with it
        assert (reading.started, reading.finished) == ("2025-11-02", "2025-11-20")
    assert entry["rating"] == 5.0 and _reading(book).rating == 5.0
    assert [c for c in listing() if c["field"] == "status"] == []


async def test_a_book_set_back_to_unread_keeps_its_base(world):
    """No push concerns an unread book, but the pull still brings its entry home by the base
    the last push recorded: Hardcover's change only is followed, the status stays the user's."""
    book = world.add("a", status="reading", started="2026-08-01", rating=3.0)
    await world.sync()
    world.edit("a", status="unread")
    edit_entry(world.catalog, world.entry("a")["id"], rating=4.5)
    await world.sync()
    reading = _reading(book)
    assert (reading.status, reading.rating) == ("unread", 4.5) and listing() == []
    assert world.entry("a")["status_id"] == CURRENTLY_READING


async def test_books_already_on_hardcover_are_not_new_books_waiting_for_review(world):
    """Six unread books the user puts on Want to Read on hardcover.app come home; they are
    on the profile already, so the worker's limit of new books it publishes by itself (five)
    does not hold them, or any other book, for review."""
    from bookorbit_desktop.hardcover.sync.plan import awaiting_review
    from bookorbit_desktop.hardcover.sync.waiting import MAX_NEW_BY_ITSELF

    names = [f"w{n}" for n in range(MAX_NEW_BY_ITSELF + 1)]
    books = [world.add(name) for name in names]
    await world.sync()
    world.clock.advance(600)
    for name in names:
        world.catalog.add_user_book(world.hardcover.user_id, world.hc_books[name], status_id=1)
    await world.engine().run(due_only=True)  # the worker's pass: the pull, then what is due
    assert {_reading(book).status for book in books} == {"want_to_read"}
    assert awaiting_review() == 0
