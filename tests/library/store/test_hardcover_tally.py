"""The Hardcover counts the triggers keep (`hardcover_tally`) are, after any sequence of writes,
what a count of every book from scratch gives: KOReader pushes, status changes and metadata
edits, matches picked, re-matched, failed, checked, excluded and included, entries removed and
added again, syncs confirmed and failed, holds, conflicts, entries found on the profile, books
added and removed, and undo and redo of the journaled ones. The count from scratch reads every
row of the tables the facts come from and applies the rules for one book in Python
(`waiting.work`, `dashboard_rows.state_of`); the kept facts of each book are compared with the
schema's own reading of them too. A progress-only push runs none of the triggers."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.hardcover.matching import store as matches
from bookorbit_desktop.hardcover.pull.store import drop_conflict, note_conflict
from bookorbit_desktop.hardcover.sync import counts
from bookorbit_desktop.hardcover.sync import store as sync_store
from bookorbit_desktop.hardcover.sync.model import Snapshot
from bookorbit_desktop.hardcover.sync.waiting import BookFacts, Waits, waits
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.removal import remove_books
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.journal import run
from bookorbit_desktop.library.reading.edits import save_edit
from bookorbit_desktop.library.reading.pushes import apply_events
from bookorbit_desktop.library.store import dashboard_rows, outbox
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.hardcover_tally_schema import hardcover_tally
from bookorbit_desktop.library.store.models import Book, database
from tests.factories import add_book
from tests.hardcover.sync.work_counts import Work as Waiting
from tests.hardcover.sync.work_counts import waiting_work
from tests.library.previous_schema import previous_schema_library
from tests.new_library import new_library

BOOKS = 4
HC_BOOKS = (7, 8)  # few Hardcover books: copies of one share it
statuses = st.sampled_from(["unread", "reading", "want_to_read", "on_hold"])
book = st.integers(0, 2 * BOOKS)  # an index into the books added so far (wrapped)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("push"), book, st.sampled_from([0.1, 0.5, 0.99])),
        st.tuples(st.just("status"), book, statuses),
        st.tuples(
            st.just("edit"),
            book,
            st.sampled_from([BookChanges(title="Emma"), BookChanges(publisher="Ace")]),
        ),
        st.tuples(st.just("pick"), book, st.sampled_from(HC_BOOKS)),
        st.tuples(st.just("rematch"), book, st.booleans()),
        st.tuples(st.sampled_from(["error", "checked", "exclude", "include"]), book),
        st.tuples(st.sampled_from(["entry_removed", "add_again", "hold", "lead"]), book),
        # Confirmed for the linked book, or for the one Hardcover merged it into.
        st.tuples(st.just("synced"), book, st.sampled_from([None, 70, 80]), st.booleans()),
        st.tuples(st.just("failed"), book, st.booleans()),
        st.tuples(st.sampled_from(["conflict", "resolved", "remove"]), book),
        st.tuples(st.just("on_profile"), st.sampled_from(HC_BOOKS)),
        st.tuples(st.just("import"), statuses),
        st.tuples(st.sampled_from(["undo", "redo"])),
    ),
    max_size=30,
)


def _rows(sql: str) -> dict[int, tuple]:
    return {row[0]: row[1:] for row in database.execute_sql(sql)}


def _confirmed(sync: tuple | None, hc_book_id: int | None) -> bool:
    if sync is None or sync[1] is None or hc_book_id is None:
        return False
    try:
        snapshot = json.loads(sync[2])
    except ValueError:
        return False
    return isinstance(snapshot, dict) and snapshot.get("hc_book_id") == hc_book_id


def from_scratch() -> tuple[Waits, dict[str, int]]:
    """What waits, and the page's counts, from every row of every table they come from."""
    books = _rows("SELECT id, updated_at FROM book")
    reading = _rows("SELECT book_id, status FROM reading_state")
    linked = _rows(
        "SELECT book_id, state, pinned, updated_at, user_book_id, hc_book_id FROM hardcover_match"
    )
    synced = _rows("SELECT book_id, state, updated_at, snapshot FROM hardcover_sync")
    queued = _rows("SELECT book_id, blocked, held FROM sync_outbox")
    conflicts = {
        book_id for (book_id,) in database.execute_sql("SELECT book_id FROM hardcover_conflict")
    }
    groups: list[tuple[BookFacts, int]] = []
    states: Counter[str] = Counter()
    for book_id, (edited_at,) in books.items():
        status = reading.get(book_id, (None,))[0] or "unread"
        match, sync, queue = linked.get(book_id), synced.get(book_id), queued.get(book_id)
        unread = status == "unread"
        facts = BookFacts(
            unread=unread,
            match_state=match[0] if match else None,
            pinned=bool(match and match[1]),
            edited=bool(match and match[2] < edited_at),
            on_profile=bool(match and match[3] is not None),
            linked=bool(match and match[4] is not None),
            confirmed=_confirmed(sync, match[4] if match else None),
            queued=bool(match) and queue is not None,
            blocked=bool(match and queue and queue[0]),
            held=bool(match and queue and queue[1] is not None),
            conflict=book_id in conflicts,
        )
        groups.append((facts, 1))
        if match or not unread:
            state = dashboard_rows.state_of(
                facts.match_state,
                sync[0] if sync else None,
                facts.queued,
                book_id in conflicts,
                facts.held,
            )
            states[state] += 1
    return waits(groups), dict(states)


def kept() -> tuple[Waits, dict[str, int]]:
    return counts.current(), dashboard_rows.state_counts()


def facts_as_kept_and_as_now() -> tuple[set[tuple], set[tuple]]:
    columns = "book_id, match_state, sync_state, flags, hc_book_id"
    now = database.execute_sql(f"SELECT {columns} FROM hardcover_facts_now WHERE flags != 1")
    return set(database.execute_sql(f"SELECT {columns} FROM hardcover_facts")), set(now)


def _candidate(book_id: int):
    found = sync_store.candidates([book_id])
    return found[0] if found else None


def apply(op: tuple, ids: list[int], paths, clock: list[float]) -> None:
    """One write of the library, as the app makes it (a write it refuses changes nothing)."""
    clock[0] += 10.0
    now = clock[0]
    kind, *args = op
    book_id = ids[args[0] % len(ids)] if args and kind not in ("on_profile", "import") else None
    if book_id is not None and not Book.select().where(Book.id == book_id).exists():
        return  # a removed book takes no write
    if kind == "push":
        with database.atomic():
            apply_events(book_id, [(args[1], f"/body/{args[1]}", int(now))], 0.98)
    elif kind == "status":
        save_edit(book_id, status=args[1])
    elif kind == "edit":
        edit_books([book_id], args[1], paths)
    elif kind == "pick":
        matches.pin(book_id, args[1], edition_id=None, edition_pages=None, reason="picked", now=now)
    elif kind == "rematch":
        matches.clear_link(book_id, entry_kept=args[1], now=now)
    elif kind == "error":
        matches.save_error(book_id, "network down", now=now)
    elif kind == "checked":
        matches.mark_checked([book_id])
    elif kind == "exclude":
        matches.exclude(book_id, now=now)
    elif kind == "include":
        matches.include(book_id, now=now)
    elif kind == "entry_removed":
        matches.mark_removed(book_id, now=now)
    elif kind == "add_again":
        matches.add_again(book_id, now=now)
    elif kind == "lead":
        matches.lead(book_id, now=now)
    elif kind == "hold":
        outbox.hold([book_id], "cancelled", now=now)
    elif kind in ("synced", "failed"):
        candidate = _candidate(book_id)
        if candidate is None:
            return
        if kind == "failed":
            sync_store.fail_book(candidate, "refused", permanent=args[1], retry_at=now, actions=[])
            return
        versions = {q.book_id: q.version for q in outbox.queued(candidate.book_ids)}
        hc_book_id = candidate.local.hc_book_id if args[2] else HC_BOOKS[0] + HC_BOOKS[1]
        snapshot = Snapshot(hc_book_id, args[1], True, None, False)
        sync_store.commit_book(
            candidate, snapshot, state="synced", reason=None, versions=versions,
            title="t", outcome="updated", actions=[], now=now,
        )  # fmt: skip
    elif kind == "conflict":
        note_conflict(book_id, "rating", 3, 4, now=now)
    elif kind == "resolved":
        drop_conflict(book_id, "rating")
    elif kind == "remove":
        remove_books([book_id], paths)
    elif kind == "on_profile":
        database.execute_sql(
            "INSERT OR IGNORE INTO hardcover_pulled (user_book_id, hc_book_id, entry)"
            " VALUES (?, ?, '{}')",
            (args[0] * 10, args[0]),
        )
    elif kind == "import":
        ids.append(add_book(f"Book {len(ids)}", status=args[0], added_at=now).id)
    elif kind == "undo":
        run.undo(paths)
    else:
        run.redo(paths)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_the_kept_counts_are_a_count_from_scratch_after_any_writes(ops):
    with tempfile.TemporaryDirectory() as folder:
        paths = resolve_paths(Path(folder))
        paths.ensure()
        new_library(paths.db_file)
        open_database(paths.db_file)
        try:
            clock = [1_000_000.0]
            ids = [
                add_book(f"Book {n}", status=status, added_at=clock[0]).id
                for n, status in enumerate(["unread", "reading", "reading", "on_hold"][:BOOKS])
            ]
            assert kept() == from_scratch()
            for op in ops:
                # A write refused (a removed book, nothing to include, ...) writes nothing.
                with contextlib.suppress(BookOrbitError):
                    apply(op, ids, paths, clock)
                assert kept() == from_scratch(), op
                kept_facts, facts_now = facts_as_kept_and_as_now()
                assert kept_facts == facts_now, op
        finally:
            close_database()


def test_a_push_that_only_moves_the_progress_runs_no_trigger_of_the_counts(library):
    book_id = add_book("Dune", status="reading").id
    with database.atomic():
        apply_events(book_id, [(0.2, "/body/1", 1)], 0.98)  # queued for Hardcover
    fired: list[str] = []
    database.connection().set_trace_callback(fired.append)
    try:
        with database.atomic():
            apply_events(book_id, [(0.4, "/body/2", 2)], 0.98)
    finally:
        database.connection().set_trace_callback(None)
    assert any("UPDATE reading_state" in line for line in fired)
    assert not [line for line in fired if "hardcover_facts" in line or "hardcover_tally" in line]


def test_the_counts_of_a_library_from_before_are_filled_as_it_opens(tmp_path):
    """A library at the schema before is counted as it is when the app opens it."""
    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path, hardcover_tally)
    old.execute_sql(
        "INSERT INTO reading_state (book_id, status, progress, updated_at)"
        " VALUES (1, 'read', 1.0, 0)"
    )
    old.execute_sql(
        "INSERT INTO hardcover_match (book_id, state, hc_book_id, pinned, created_by_us,"
        " candidates, updated_at) VALUES (1, 'linked', 7, 0, 0, '[]', 9),"
        " (2, 'needs_review', NULL, 0, 0, '[]', 9)"
    )
    old.close()
    open_database(path)
    try:
        assert kept() == from_scratch()
        assert waiting_work() == Waiting(to_match=0, to_push=1)
        assert dashboard_rows.state_counts() == {"pending": 1, "needs_review": 1}
        assert counts.current().to_send == 1
    finally:
        close_database()
    other = sqlite3.connect(path)  # the counts are the file's: any connection reads them
    assert other.execute("SELECT sum(books) FROM hardcover_tally").fetchone() == (2,)
    other.close()


def test_a_confirmation_that_rewrites_only_the_sync_row_moves_the_counts(library, tmp_path):
    """Hardcover confirms the linked book after it had confirmed the one it merged it into:
    nothing but the sync row changes, and the book has nothing left to send."""
    paths = resolve_paths(tmp_path)
    book_id = add_book("Dune", status="reading").id
    apply(("pick", 0, HC_BOOKS[0]), [book_id], paths, [0.0])
    apply(("synced", 0, None, False), [book_id], paths, [10.0])  # the merged book's
    assert waiting_work() == Waiting(to_push=1)
    apply(("synced", 0, None, True), [book_id], paths, [20.0])
    assert waiting_work() == Waiting() and kept() == from_scratch()
