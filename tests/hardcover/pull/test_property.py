"""Pull + push never lose an edit made on either side between two passes.

Random rounds of edits, on hardcover.app (through the fake, as the website makes them) and in
the library, then a sync pass (the pull, then the push). For each field: an edit made on one
side only ends on both sides; the same edit on both sides ends on both; different edits on the
two sides are a recorded conflict with each side keeping its own value. Nothing is ever
silently overwritten. Once the user picks a side for every conflict, both sides agree.

The first story edits the status and the rating; the second, on a finished book, the read's
start and finish dates, the rating and privacy (the sync settings' here, the entry's there).
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.hardcover.api.records import HardcoverUser
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.conflicts import resolve
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from bookorbit_desktop.hardcover.sync.engine import SyncEngine
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ReadingState
from tests.factories import add_book
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import EBOOK, Catalog
from tests.fakes.hardcover_fixtures import make_client
from tests.fakes.hardcover_server import FakeHardcover
from tests.fakes.hardcover_shelves import edit_entry, edit_read

STATUSES = {"want_to_read": 1, "reading": 2, "on_hold": 4}
RATINGS = (1.0, 2.5, 3.0, 4.5, 5.0)
edit = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(sorted(STATUSES)),
        "rating": st.sampled_from(RATINGS),
    },
)
rounds = st.lists(
    st.tuples(edit, edit, st.sampled_from(["local", "hardcover"])), min_size=1, max_size=4
)
_runs = itertools.count()


def _both(catalog: Catalog, user_id: int, hc_book: int, book: int) -> dict[str, tuple]:
    entry = catalog.user_book_for(user_id, hc_book)
    reading = ReadingState.get_by_id(book)
    return {
        "status": (STATUSES.get(reading.status), entry["status_id"]),
        "rating": (reading.rating, entry["rating"]),
    }


async def story(folder: Path, plan: list[tuple[dict, dict, str]]) -> None:
    clock = VirtualClock(start=time.time())
    catalog = Catalog()
    fake = FakeHardcover(catalog, clock=clock)
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    await fake.start()
    open_database(folder / "library.sqlite3")
    client = make_client(fake, clock, token)
    try:
        hc_book = catalog.add_book("Book", authors=["Ann Author"], users_count=3)
        edition = catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
        book = add_book("Book", ["Ann Author"]).id
        pin(book, hc_book, edition_id=edition, edition_pages=300, reason="pick")
        update_reading_state(book, status="reading", started="2026-03-01", rating=3.0)
        engine = SyncEngine(
            client, HardcoverUser(user, "reader", 1), sync_settings.load(), clock=clock
        )
        await engine.run()
        for local_edit, remote_edit, keep in plan:
            before = _both(catalog, user, hc_book, book)
            entry = catalog.user_book_for(user, hc_book)
            columns = {}
            if "status" in remote_edit:
                columns["status_id"] = STATUSES[remote_edit["status"]]
            if "rating" in remote_edit:
                columns["rating"] = remote_edit["rating"]
            if columns:
                edit_entry(catalog, entry["id"], **columns)
            if local_edit:
                update_reading_state(book, **local_edit)
            await engine.run()
            now = _both(catalog, user, hc_book, book)
            open_fields = {c.field for c in store.conflicts()}
            for name in ("status", "rating"):
                ours, theirs = local_edit.get(name), remote_edit.get(name)
                if name == "status":
                    ours = STATUSES[ours] if ours else None
                    theirs = STATUSES[theirs] if theirs else None
                # Setting the value a side already has is no edit.
                ours = None if ours == before[name][0] else ours
                theirs = None if theirs == before[name][1] else theirs
                here, there = now[name]
                key = "status_id" if name == "status" else "rating"
                if ours is not None and theirs is not None and ours != theirs:
                    assert key in open_fields, (name, now)
                    assert (here, there) == (ours, theirs), (name, now)  # each keeps its own
                elif key not in open_fields:
                    assert here == there, (name, now)  # the edit reached the other side
                    if ours is not None or theirs is not None:
                        assert here in (ours, theirs), (name, now)
            for conflict in store.conflicts():
                resolve(conflict.book_id, conflict.field, keep)
            await engine.run()
            assert store.conflicts() == []
            settled = _both(catalog, user, hc_book, book)
            assert all(here == there for here, there in settled.values()), settled
    finally:
        await client.close()
        await fake.close()
        close_database()


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(plan=rounds)
def test_no_edit_on_either_side_is_silently_lost(plan):
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(story(Path(folder) / str(next(_runs)), plan))


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
    st.tuples(dated_edit, dated_edit, st.sampled_from(["local", "hardcover"])),
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


async def dated_story(folder: Path, plan: list[tuple[dict, dict, str]]) -> None:
    clock = VirtualClock(start=time.time())
    catalog = Catalog()
    fake = FakeHardcover(catalog, clock=clock)
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    await fake.start()
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
        for local_edit, remote_edit, keep in plan:
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
            await engine().run()
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
            await engine().run()
            assert store.conflicts() == []
            settled = _dated(catalog, user, hc_book, book)
            assert all(here == there for here, there in settled.values()), settled
            for _ in range(2):  # later passes that push the book again change nothing
                outbox.note_changes([book], [outbox.STATUS])
                await engine().run()
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
