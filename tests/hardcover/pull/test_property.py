"""Pull + push never lose an edit made on either side between two passes.

Random rounds of edits, on hardcover.app (through the fake, as the website makes them) and in
the library, then a sync pass: a full one (Sync Now: the whole pull, then the push), one over
the story's books (the pull of what changed since the last one, by `updated_at`, then their
push), or the worker's (that same pull, then only the queued changes that are due). After each
pass, for each field of each book: where the two sides differ, it is a recorded conflict with
each side keeping its own value; otherwise both sides hold the same value, and a value that
changed is one side's edit; Hardcover's replaced the library's only where the library had no
value or had not changed it since the base, and the library's replaced Hardcover's only where
Hardcover had none, had not changed it since the base, or (with no base) holds a status the
library's is further on than (reading a Want to Read book, finishing a Reading one). Once the
user picks a side for every conflict, both sides agree, and later passes change nothing.

The first story's books: one synced before the rounds, one linked but unread and never pushed,
and one read on the e-reader (a KOReader push) that Hardcover already has, never pushed; every
status and rating on both sides. The second, on a finished book, edits the read's start and
finish dates, the rating and privacy (the sync settings' here, the entry's there).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.hardcover.api.records import HardcoverUser
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.conflicts import resolve
from bookorbit_desktop.hardcover.pull.rule import further
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from bookorbit_desktop.hardcover.sync.engine import SyncEngine
from bookorbit_desktop.hardcover.sync.model import STATUS_IDS, Snapshot
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.reading.pushes import Push, record_push
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import (
    ALIAS_CONTENT,
    DocumentAlias,
    HardcoverSync,
    ReadingState,
)
from tests.factories import add_book
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import EBOOK, Catalog
from tests.fakes.hardcover_fixtures import make_client
from tests.fakes.hardcover_server import FakeHardcover
from tests.fakes.hardcover_shelves import edit_entry, edit_read
from tests.new_library import new_library

STATUSES = {"want_to_read": 1, "reading": 2, "read": 3, "on_hold": 4, "abandoned": 5}
RATINGS = (1.0, 2.5, 3.0, 4.5, 5.0)
MODES = ("full", "since", "worker")
BOOKS = ("synced", "unread", "evidence")
edit = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(sorted(STATUSES)),
        "rating": st.sampled_from(RATINGS),
    },
)
per_book = st.fixed_dictionaries({name: edit for name in BOOKS})
rounds = st.lists(
    st.tuples(per_book, per_book, st.sampled_from(["local", "hardcover"]), st.sampled_from(MODES)),
    min_size=1,
    max_size=4,
)
# The entry Hardcover already has for the book read on the e-reader.
on_hardcover = st.tuples(st.sampled_from(sorted(STATUSES)), st.sampled_from((None, *RATINGS)))
_runs = itertools.count()


async def run_pass(engine: Callable[[], SyncEngine], clock: VirtualClock, mode: str, ids) -> None:
    if mode == "worker":
        clock.advance(600)  # every change queued meanwhile is due
        await engine().run(due_only=True)
    else:
        await engine().run(list(ids) if mode == "since" else None)


def based(book: int, key: str) -> bool:
    """Has the field a base: a push recorded one, or the pull took the value from Hardcover?"""
    row = HardcoverSync.get_or_none(HardcoverSync.book == book)
    snapshot = Snapshot.from_json(row.snapshot) if row is not None else None
    return (snapshot is not None and bool(snapshot.confirmed)) or key in store.followed(book)


def check(
    key: str, edited: tuple, now: tuple, *, open_: bool, base: bool, changed: tuple, reread: bool
) -> None:
    """One field after a pass: `edited` is (library, Hardcover) once the round's edits were
    made, `changed` whether each side's edits changed it, `reread` the library's a reread."""
    (ours, theirs), (here, there) = edited, now
    if open_:
        assert ours != theirs and (here, there) == (ours, theirs), (key, edited, now)
        return
    assert here == there, (key, edited, now)
    if ours == theirs:
        assert here == ours, (key, edited, now)  # nothing changes by itself
        return
    assert here in (ours, theirs), (key, edited, now)
    ours_changed, theirs_changed = changed
    if here == theirs:  # Hardcover's came home
        assert ours is None or (base and theirs_changed and not ours_changed), (key, edited)
    else:  # the library's went out
        progression = key == "status_id" and not base and further(ours, theirs, rereading=reread)
        pushed = base and ours_changed and not theirs_changed
        assert theirs is None or pushed or progression, (key, edited)


def _both(catalog: Catalog, user_id: int, hc_book: int, book: int) -> dict[str, tuple]:
    entry = catalog.user_book_for(user_id, hc_book) or {}
    reading = ReadingState.get_by_id(book)
    return {
        "status_id": (STATUS_IDS.get(reading.status), entry.get("status_id")),  # a reread: 2
        "rating": (reading.rating, entry.get("rating")),
    }


def _edit_hardcover(catalog: Catalog, user_id: int, hc_book: int, remote_edit: dict) -> None:
    entry = catalog.user_book_for(user_id, hc_book)
    columns = {}
    if "status" in remote_edit:
        columns["status_id"] = STATUSES[remote_edit["status"]]
    if "rating" in remote_edit:
        columns["rating"] = remote_edit["rating"]
    if entry is None and columns:  # the website's Want to Read button, or another status
        catalog.add_user_book(
            user_id, hc_book, status_id=columns.get("status_id", 1), rating=columns.get("rating")
        )
    elif columns:
        edit_entry(catalog, entry["id"], **columns)


def _edit_library(book: int, local_edit: dict) -> None:
    changes = dict(local_edit)
    if changes and ReadingState.get_by_id(book).status == "unread":
        changes.setdefault("status", "want_to_read")  # an unread book is never sent
    if changes.get("status") == "read":  # the user's word for when (the history has none)
        changes["finished"] = dt.date.today().isoformat()
    if changes:
        update_reading_state(book, **changes)


async def story(folder: Path, start: tuple, plan: list) -> None:
    clock = VirtualClock(start=time.time())
    catalog = Catalog()
    fake = FakeHardcover(catalog, clock=clock)
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    await fake.start()
    new_library(folder / "library.sqlite3")
    open_database(folder / "library.sqlite3")
    client = make_client(fake, clock, token)

    def engine() -> SyncEngine:
        user_row = HardcoverUser(user, "reader", 1)
        return SyncEngine(client, user_row, sync_settings.load(), clock=clock)

    try:
        books: dict[str, tuple[int, int]] = {}  # name -> (library book, Hardcover book)
        for name in BOOKS:
            hc_book = catalog.add_book(f"Book {name}", authors=["Ann Author"], users_count=3)
            edition = catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
            book = add_book(f"Book {name}", ["Ann Author"]).id
            pin(book, hc_book, edition_id=edition, edition_pages=300, reason="pick")
            books[name] = (book, hc_book)
        update_reading_state(books["synced"][0], status="reading", started="2026-03-01", rating=3.0)
        await engine().run()
        # Then, never pushed: read on the e-reader here, already on the profile there.
        read_here = books["evidence"][0]
        DocumentAlias.create(document="d", kind=ALIAS_CONTENT, book=read_here, created_at=1.0)
        record_push(Push("d", "/body/p[9]", 0.3, "Kobo", "K1"), timestamp=int(time.time()))
        status, rating = start
        catalog.add_user_book(user, books["evidence"][1], status_id=STATUSES[status], rating=rating)
        ids = [book for book, _ in books.values()]
        for local_edits, remote_edits, keep, mode in plan:
            before = {n: _both(catalog, user, hc, book) for n, (book, hc) in books.items()}
            for name, (book, hc_book) in books.items():
                _edit_hardcover(catalog, user, hc_book, remote_edits[name])
                _edit_library(book, local_edits[name])
            edited = {n: _both(catalog, user, hc, book) for n, (book, hc) in books.items()}
            bases = {(n, k): based(book, k) for n, (book, _) in books.items() for k in edited[n]}
            rereads = {
                n: ReadingState.get_by_id(b).status == "rereading" for n, (b, _) in books.items()
            }
            await run_pass(engine, clock, mode, ids)
            open_fields = {(c.book_id, c.field) for c in store.conflicts()}
            for name, (book, hc_book) in books.items():
                now = _both(catalog, user, hc_book, book)
                for key, values in edited[name].items():
                    changed = tuple(v != b for v, b in zip(values, before[name][key], strict=True))
                    check(
                        key,
                        values,
                        now[key],
                        open_=(book, key) in open_fields,
                        base=bases[(name, key)],
                        changed=changed,
                        reread=rereads[name],
                    )
            for conflict in store.conflicts():
                resolve(conflict.book_id, conflict.field, keep)
            await run_pass(engine, clock, mode, ids)
            assert store.conflicts() == []
            settled = {n: _both(catalog, user, hc, book) for n, (book, hc) in books.items()}
            for values in settled.values():
                assert all(here == there for here, there in values.values()), settled
            for _ in range(2):  # later passes that push the books again change nothing
                outbox.note_changes(ids, [outbox.STATUS])
                await run_pass(engine, clock, mode, ids)
                again = {n: _both(catalog, user, hc, book) for n, (book, hc) in books.items()}
                assert again == settled
    finally:
        await client.close()
        await fake.close()
        close_database()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=on_hardcover, plan=rounds)
def test_no_edit_on_either_side_is_silently_lost(start, plan):
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(story(Path(folder) / str(next(_runs)), start, plan))


PRIVACY = {"public": 1, "followers": 2, "private": 3}
STARTS = ("2026-03-01", "2026-03-03", "2026-03-05", "2026-03-09")
FINISHES = ("2026-03-10", "2026-03-12", "2026-03-15", "2026-03-20")  # never before a start
dated_edit = st.fixed_dictionaries(
    {},
    optional={
        "started": st.sampled_from(STARTS),
        "finished": st.sampled_from(FINISHES),
        "rating": st.sampled_from(RATINGS),
        "privacy": st.sampled_from(sorted(PRIVACY)),
    },
)
dated_rounds = st.lists(
    st.tuples(
        dated_edit, dated_edit, st.sampled_from(["local", "hardcover"]), st.sampled_from(MODES)
    ),
    min_size=1,
    max_size=4,
)
KEYS = {"started": "started", "finished": "finished", "rating": "rating", "privacy": "privacy_id"}


def _dated(catalog: Catalog, user_id: int, hc_book: int, book: int) -> dict[str, tuple]:
    """Each field on both sides: the library's (privacy: what the push would send) and
    Hardcover's (the entry's single read for the dates)."""
    entry = catalog.user_book_for(user_id, hc_book)
    (read,) = catalog.reads_of(entry["id"])
    reading = ReadingState.get_by_id(book)
    taken = store.followed(book).get("privacy_id")
    privacy = taken[0] if taken else PRIVACY[sync_settings.load().privacy]
    return {
        "started": (reading.started, read["started_at"]),
        "finished": (reading.finished, read["finished_at"]),
        "rating": (reading.rating, entry["rating"]),
        "privacy": (privacy, entry["privacy_setting_id"]),
    }


async def dated_story(folder: Path, plan: list) -> None:
    clock = VirtualClock(start=time.time())
    catalog = Catalog()
    fake = FakeHardcover(catalog, clock=clock)
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    await fake.start()
    new_library(folder / "library.sqlite3")
    open_database(folder / "library.sqlite3")
    client = make_client(fake, clock, token)
    try:
        hc_book = catalog.add_book("Book", authors=["Ann Author"], users_count=3)
        edition = catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
        book = add_book("Book", ["Ann Author"]).id
        pin(book, hc_book, edition_id=edition, edition_pages=300, reason="pick")
        sync_settings.save(privacy="public")
        update_reading_state(
            book, status="read", started=STARTS[0], finished=FINISHES[0], rating=3.0
        )

        def engine() -> SyncEngine:  # the settings as they are now, as each pass loads them
            user_row = HardcoverUser(user, "reader", 1)
            return SyncEngine(client, user_row, sync_settings.load(), clock=clock)

        await engine().run()
        for local_edit, remote_edit, keep, mode in plan:
            before = _dated(catalog, user, hc_book, book)
            entry = catalog.user_book_for(user, hc_book)
            (read,) = catalog.reads_of(entry["id"])
            dates = {f"{n}_at": remote_edit[n] for n in ("started", "finished") if n in remote_edit}
            if dates:
                edit_read(catalog, read["id"], **dates)
            columns = {}
            if "rating" in remote_edit:
                columns["rating"] = remote_edit["rating"]
            if "privacy" in remote_edit:
                columns["privacy_setting_id"] = PRIVACY[remote_edit["privacy"]]
            if columns:
                edit_entry(catalog, entry["id"], **columns)
            ours_edit = {k: v for k, v in local_edit.items() if k != "privacy"}
            if ours_edit:
                update_reading_state(book, **ours_edit)
            setting = sync_settings.load().privacy
            if local_edit.get("privacy", setting) == setting:
                local_edit = {k: v for k, v in local_edit.items() if k != "privacy"}
            else:
                sync_settings.save(privacy=local_edit["privacy"])
            await run_pass(engine, clock, mode, [book])
            now = _dated(catalog, user, hc_book, book)
            open_fields = {c.field for c in store.conflicts()}
            for name, key in KEYS.items():
                ours, theirs = local_edit.get(name), remote_edit.get(name)
                if name == "privacy":
                    ours = PRIVACY[ours] if ours else None
                    theirs = PRIVACY[theirs] if theirs else None
                ours = None if ours == before[name][0] else ours
                theirs = None if theirs == before[name][1] else theirs
                here, there = now[name]
                if ours is not None and theirs is not None and ours != theirs:
                    assert key in open_fields, (name, now, open_fields)
                    assert (here, there) == (ours, theirs), (name, now)  # each keeps its own
                elif key not in open_fields:
                    assert here == there, (name, now)  # the edit reached the other side
                    if ours is not None or theirs is not None:
                        assert here in (ours, theirs), (name, now)
            for conflict in store.conflicts():
                resolve(conflict.book_id, conflict.field, keep)
            await run_pass(engine, clock, mode, [book])
            assert store.conflicts() == []
            settled = _dated(catalog, user, hc_book, book)
            assert all(here == there for here, there in settled.values()), settled
            for _ in range(2):  # later passes that push the book again change nothing
                outbox.note_changes([book], [outbox.STATUS])
                await run_pass(engine, clock, mode, [book])
                assert _dated(catalog, user, hc_book, book) == settled
    finally:
        await client.close()
        await fake.close()
        close_database()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=dated_rounds)
def test_no_date_rating_or_privacy_edit_is_silently_lost(plan):
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(dated_story(Path(folder) / str(next(_runs)), plan))
