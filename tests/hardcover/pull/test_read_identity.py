"""Reads are matched by identity (their id), never by place: a read the user starts on
hardcover.app is theirs, pulled as the library's reread and never given another read's dates."""

from __future__ import annotations

from dataclasses import replace

from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.rule import compared_read, library_status
from bookorbit_desktop.hardcover.sync.model import (
    CURRENTLY_READING,
    PUBLIC,
    READ,
    WANT_TO_READ,
    Local,
    Options,
    Read,
    Remote,
    Snapshot,
    wanted_for,
)
from bookorbit_desktop.hardcover.sync.preview import preview
from bookorbit_desktop.hardcover.sync.reconcile import UPDATE_READ
from bookorbit_desktop.library.store.models import ReadingState
from tests.fakes.hardcover_shelves import edit_entry

OLD = Read(11, "2024-01-10", "2024-01-20", 300, 500)
NEW = Read(12, "2025-05-02", None, None, 500)
OPTIONS = Options(privacy_id=PUBLIC)


def _finished_book(**changes) -> Local:
    book = Local(
        book_id=1,
        status="read",
        progress=1.0,
        started=OLD.started,
        finished=OLD.finished,
        rating=None,
        date_added="2024-01-01",
        hc_book_id=100,
        edition_id=500,
        edition_pages=300,
    )
    return replace(book, **changes)


def _synced_snapshot(book: Local) -> Snapshot:
    want = wanted_for(book, OPTIONS)
    assert want is not None
    confirmed = {"status_id": READ, "rating": None, "privacy_id": PUBLIC, "edition_id": 500}
    confirmed |= {"started": OLD.started, "finished": OLD.finished, "pages": OLD.pages}
    return Snapshot(100, 7, False, OLD.id, True, want.to_json(), confirmed)


def test_the_compared_read_is_the_reread_started_on_hardcover_not_the_tracked_one():
    reread = Remote(7, 100, CURRENTLY_READING, reads=(OLD, NEW), edition_id=500)
    assert compared_read(reread, OLD.id) == NEW
    # Still Read there, or the later read finished too: the tracked read stays the one.
    assert compared_read(replace(reread, status_id=READ), OLD.id) == OLD
    done = replace(NEW, finished="2025-06-01")
    assert compared_read(replace(reread, reads=(OLD, done)), OLD.id) == OLD
    assert library_status(CURRENTLY_READING, "read") == "rereading"
    assert library_status(CURRENTLY_READING, "on_hold") == "reading"


def test_a_past_read_logged_on_hardcover_later_is_no_reread_of_the_tracked_one():
    """On a Read entry, a finished read added after the tracked one is a reread only when it
    ended no earlier: one for a time before (a past read logged later) leaves the tracked
    read's dates alone."""
    past = Read(13, "2022-03-01", "2022-03-20", None, 500)
    reread = Read(14, "2025-02-01", "2025-02-10", None, 500)
    entry = Remote(7, 100, READ, reads=(OLD, past), edition_id=500)
    assert compared_read(entry, OLD.id) == OLD
    assert compared_read(replace(entry, reads=(OLD, past, reread)), OLD.id) == reread
    same_day = replace(reread, finished=OLD.finished)
    assert compared_read(replace(entry, reads=(OLD, same_day)), OLD.id) == same_day
    # The tracked read deleted there: no date to weigh against, the later one is taken.
    assert compared_read(replace(entry, reads=(past,)), OLD.id) == past


def test_a_push_never_writes_the_old_reads_dates_to_the_users_new_read():
    """The library kept its own status (Paused, picked over Hardcover's Currently Reading) and
    the old read's dates: the push adopts the open read but leaves its dates as they are."""
    book = _finished_book(status="on_hold", progress=0.4, finished=None)
    snapshot = _synced_snapshot(_finished_book())
    remote = Remote(7, 100, CURRENTLY_READING, reads=(OLD, NEW), edition_id=500)
    done = preview(book, snapshot, remote, OPTIONS, today="2026-11-26")
    for action in done.actions:
        if action.kind == UPDATE_READ:
            assert action.target == NEW.id
            assert action.fields["started_at"] == NEW.started
    assert done.remote is not None
    assert done.remote.read(OLD.id) == OLD
    assert done.remote.read(NEW.id).started == NEW.started


async def test_a_reread_started_on_hardcover_is_pulled_and_never_given_old_dates(world):
    book = world.add("a", status="read", started="2024-01-10", finished="2024-01-20")
    await world.sync()
    (old,) = world.reads("a")
    entry = world.entry("a")["id"]
    edit_entry(world.catalog, entry, status_id=CURRENTLY_READING)
    new = world.catalog.add_read(entry, started_at="2025-05-02", finished_at=None)
    await world.sync()  # `hardcover sync`: the pull, then the push
    reads = {r["id"]: (r["started_at"], r["finished_at"]) for r in world.reads("a")}
    assert reads == {old["id"]: ("2024-01-10", "2024-01-20"), new: ("2025-05-02", None)}
    reading = ReadingState.get_by_id(book)
    assert (reading.status, reading.started, reading.finished) == ("rereading", "2025-05-02", None)
    assert reading.progress == 0.0  # none of the new read yet: no page of it goes out
    await world.sync()
    assert {r["id"]: (r["started_at"], r["finished_at"]) for r in world.reads("a")} == reads


async def test_want_to_read_followed_from_hardcover_keeps_no_dates_of_the_read_before(world):
    book = world.add("a", status="read", started="2024-01-10", finished="2024-01-20")
    await world.sync()
    edit_entry(world.catalog, world.entry("a")["id"], status_id=WANT_TO_READ)
    await world.sync()
    reading = ReadingState.get_by_id(book)
    assert (reading.status, reading.started, reading.finished) == ("want_to_read", None, None)
    assert reading.progress == 0.0
    # Started again here, the new read does not begin on the old read's date.
    world.edit("a", status="reading")
    assert ReadingState.get_by_id(book).started != "2024-01-10"
    await world.sync()
    first = world.reads("a")[0]  # the read of 2024, by id
    assert (first["started_at"], first["finished_at"]) == ("2024-01-10", "2024-01-20")


async def test_once_the_reread_is_taken_a_later_finish_goes_to_it_not_to_the_read_before(world):
    from bookorbit_desktop.hardcover.pull.conflicts import resolve
    from bookorbit_desktop.hardcover.pull.run import pull

    book = world.add("a", status="read", started="2024-01-10", finished="2024-01-20")
    await world.sync()
    (old,) = world.reads("a")
    entry = world.entry("a")["id"]
    edit_entry(world.catalog, entry, status_id=CURRENTLY_READING)
    new = world.catalog.add_read(entry, started_at="2025-05-02", finished_at=None)
    await pull(world.client, world.hardcover.user_id)  # the window's pull: nothing pushed
    world.edit("a", status="read", finished="2025-06-01")
    await world.sync()
    for conflict in store.conflicts():
        resolve(conflict.book_id, conflict.field, "local")
    await world.sync()
    reads = {r["id"]: (r["started_at"], r["finished_at"]) for r in world.reads("a")}
    assert reads == {old["id"]: ("2024-01-10", "2024-01-20"), new: ("2025-05-02", "2025-06-01")}
    assert ReadingState.get_by_id(book).started == "2025-05-02"
