"""The sync engine's records in the library database: what to push, what was confirmed, the log.

Each book's outcome is written in one transaction (its snapshot, its link's entry id, its
outbox row and its log line), and only after Hardcover confirmed the push: a crash between two
books leaves every book either fully recorded or still pending.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from bookorbit_desktop.hardcover.matching.store import LINKED
from bookorbit_desktop.hardcover.sync.model import Local, Options, Snapshot, wanted_for
from bookorbit_desktop.hardcover.sync.waiting import BookFacts, Waiting, waiting
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import (
    Book,
    HardcoverMatch,
    HardcoverSync,
    ReadingState,
    SyncLog,
    database,
)

# A book's sync state, as the log, the command line and the window show it.
SYNCED, AHEAD, KEPT, REMOVED, FAILED, BLOCKED = (
    "synced",
    "ahead",
    "kept",
    "removed",
    "failed",
    "blocked",
)


@dataclass(frozen=True)
class Candidate:
    """A linked, syncable book with what the engine needs to push it."""

    local: Local
    title: str
    snapshot: Snapshot | None
    creating: bool  # an insert was sent and its answer may have been lost


def _local_date(seconds: float) -> str:
    return dt.date.fromtimestamp(seconds).isoformat()


def candidates(book_ids: Iterable[int] | None = None) -> list[Candidate]:
    """Every linked, not excluded book whose status is not unread (library order)."""
    query = (
        Book.select(Book, ReadingState, HardcoverMatch, HardcoverSync)
        .join(ReadingState, on=(ReadingState.book == Book.id), attr="state_row")
        .switch(Book)
        .join(HardcoverMatch, on=(HardcoverMatch.book == Book.id), attr="match_row")
        .switch(Book)
        .join(
            HardcoverSync,
            join_type=JOIN.LEFT_OUTER,
            on=(HardcoverSync.book == Book.id),
            attr="sync_row",
        )
        .where(
            (HardcoverMatch.state == LINKED)
            & HardcoverMatch.hc_book_id.is_null(False)
            & (ReadingState.status != "unread")
        )
        .order_by(Book.id)
    )
    if book_ids is not None:
        query = query.where(Book.id.in_(list(book_ids)))
    found = []
    for book in query:
        reading, match = book.state_row, book.match_row
        sync = getattr(book, "sync_row", None)
        raw = dict(sync.snapshot or {}) if sync is not None and sync.updated_at else {}
        local = Local(
            book_id=book.id,
            status=reading.status,
            progress=reading.progress or 0.0,
            started=reading.started,
            finished=reading.finished,
            rating=reading.rating,
            date_added=_local_date(book.added_at),
            hc_book_id=match.hc_book_id,
            edition_id=match.hc_edition_id,
            edition_pages=match.edition_pages,
            edition_pinned=bool(match.pinned),
        )
        snapshot = Snapshot.from_json(raw)
        creating = bool(raw.get("creating")) and raw.get("creating") == match.hc_book_id
        found.append(Candidate(local, book.title, snapshot, creating))
    return found


def is_pending(candidate: Candidate, options: Options) -> bool:
    """Does the library differ from what Hardcover last confirmed for this book?"""
    want = wanted_for(candidate.local, options)
    if want is None:
        return False
    snapshot = candidate.snapshot
    if snapshot is None or snapshot.hc_book_id != candidate.local.hc_book_id:
        return True
    return dict(snapshot.wanted) != want.to_json()


def pending(options: Options) -> list[Candidate]:
    return [c for c in candidates() if is_pending(c, options)]


# The facts `waiting.work` reads, counted per distinct combination: one statement, a few dozen
# rows whatever the size of the library (the window asks after every action). A match stored
# or checked before the book's last metadata edit stands for "edited": the matcher dates a
# match it finds still good to that edit.
_FACTS = (
    "SELECT r.status = 'unread', m.state, COALESCE(m.pinned, 0),"
    " COALESCE(m.updated_at < b.updated_at, 0), m.user_book_id IS NOT NULL,"
    " m.hc_book_id IS NOT NULL, COALESCE(s.updated_at IS NOT NULL AND json_valid(s.snapshot)"
    " AND json_extract(s.snapshot, '$.hc_book_id') = m.hc_book_id, 0),"
    " o.book_id IS NOT NULL, COALESCE(o.blocked, '') != '', COUNT(*)"
    " FROM book AS b JOIN reading_state AS r ON r.book_id = b.id"
    " LEFT JOIN hardcover_match AS m ON m.book_id = b.id"
    " LEFT JOIN hardcover_sync AS s ON s.book_id = b.id"
    " LEFT JOIN sync_outbox AS o ON o.book_id = b.id"
    " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
)


def waiting_work() -> Waiting:
    """How many books the next Sync Now would look up on Hardcover and send."""
    rows = database.execute_sql(_FACTS).fetchall()
    return waiting((_facts(row[:-1]), row[-1]) for row in rows)


def _facts(row: tuple[Any, ...]) -> BookFacts:
    unread, state, pinned, edited, on_profile, linked, confirmed, queued, blocked = row
    return BookFacts(
        unread=bool(unread),
        match_state=state,
        pinned=bool(pinned),
        edited=bool(edited),
        on_profile=bool(on_profile),
        linked=bool(linked),
        confirmed=bool(confirmed),
        queued=bool(queued),
        blocked=bool(blocked),
    )


def mark_creating(book_id: int, hc_book_id: int, *, now: float | None = None) -> None:
    """Before an insert goes out: should its answer be lost, the next attempt knows the entry
    it then finds on Hardcover is the one BookOrbit created."""
    now = time.time() if now is None else now
    with database.atomic():
        row = HardcoverSync.get_or_none(HardcoverSync.book == book_id)
        raw: dict[str, Any] = dict(row.snapshot or {}) if row is not None else {}
        raw["creating"] = hc_book_id
        if row is None:
            HardcoverSync.insert(
                book=book_id, hc_book_id=hc_book_id, snapshot=raw, state=FAILED, updated_at=now
            ).execute()
        else:
            HardcoverSync.update(snapshot=raw, updated_at=now).where(
                HardcoverSync.book == book_id
            ).execute()


def commit_book(
    candidate: Candidate,
    snapshot: Snapshot,
    *,
    state: str,
    reason: str | None,
    seen: dict[str, float] | None,
    title: str,
    outcome: str,
    actions: list[dict[str, Any]],
    now: float | None = None,
) -> None:
    """Hardcover confirmed this book's push: remember it, all in one transaction."""
    now = time.time() if now is None else now
    book_id = candidate.local.book_id
    values = {
        "hc_book_id": snapshot.hc_book_id,
        "user_book_id": snapshot.user_book_id,
        "snapshot": snapshot.to_json(),
        "state": state,
        "reason": reason,
        "confirmed_at": now,
        "updated_at": now,
    }
    with database.atomic():
        HardcoverSync.insert(book=book_id, **values).on_conflict(
            conflict_target=[HardcoverSync.book], update=values
        ).execute()
        HardcoverMatch.update(
            user_book_id=snapshot.user_book_id,
            created_by_us=bool(snapshot.created_by_us and snapshot.user_book_id is not None),
        ).where(
            (HardcoverMatch.book == book_id) & (HardcoverMatch.hc_book_id == snapshot.hc_book_id)
        ).execute()
        outbox.take(book_id, seen or {})
        add_log(book_id, title, outcome, actions, None, now=now)


def fail_book(
    book_id: int,
    title: str,
    error: str,
    *,
    permanent: bool,
    retry_at: float,
    actions: list[dict[str, Any]],
    now: float | None = None,
) -> None:
    """A push did not go through: keep the book queued (retry later, or wait for a change)."""
    now = time.time() if now is None else now
    state = BLOCKED if permanent else FAILED
    with database.atomic():
        outbox.note_change(book_id, [outbox.STATUS], now=now)
        if permanent:
            outbox.block(book_id, error)
        else:
            outbox.postpone(book_id, error, retry_at)
        updated = (
            HardcoverSync.update(state=state, reason=error, updated_at=now)
            .where(HardcoverSync.book == book_id)
            .execute()
        )
        if not updated:
            HardcoverSync.insert(
                book=book_id, snapshot={}, state=state, reason=error, updated_at=now
            ).execute()
        add_log(book_id, title, "failed", actions, error, now=now)


def add_log(
    book_id: int | None,
    title: str | None,
    outcome: str,
    actions: list[dict[str, Any]],
    error: str | None,
    *,
    now: float | None = None,
) -> None:
    SyncLog.insert(
        at=time.time() if now is None else now,
        book=book_id,
        title=title,
        outcome=outcome,
        actions=actions,
        error=error,
    ).execute()


def log_entries(*, limit: int = 50, book_id: int | None = None) -> list[dict[str, Any]]:
    """The newest log lines first."""
    query = SyncLog.select().order_by(SyncLog.id.desc()).limit(max(1, limit))
    if book_id is not None:
        query = query.where(SyncLog.book == book_id)
    return [
        {
            "at": row.at,
            "book_id": row.book_id,
            "title": row.title,
            "outcome": row.outcome,
            "actions": row.actions or [],
            "error": row.error,
        }
        for row in query
    ]


def book_states() -> dict[int, tuple[str, str | None]]:
    """Each synced book's state and reason."""
    return {row.book_id: (row.state, row.reason) for row in HardcoverSync.select()}


def forget_unsyncable() -> None:
    """Drop outbox rows of books that can no longer be synced (unlinked, excluded, unread)."""
    syncable = (
        HardcoverMatch.select(HardcoverMatch.book)
        .join(ReadingState, on=(ReadingState.book == HardcoverMatch.book))
        .where((HardcoverMatch.state == LINKED) & (ReadingState.status != "unread"))
    )
    keep = {row.book_id for row in syncable}
    outbox.discard(q.book_id for q in outbox.queued() if q.book_id not in keep)
