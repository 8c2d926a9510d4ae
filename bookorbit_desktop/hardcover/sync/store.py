"""The sync engine's records in the library database: what to push, what was confirmed, the log.

Each book's outcome is written in one transaction (its snapshot, its link's entry id, its
outbox row and its log line), and only after Hardcover confirmed the push: a crash between two
books leaves every book either fully recorded or still pending.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from peewee import JOIN, SQL

from bookorbit_desktop.hardcover.matching.store import LINKED
from bookorbit_desktop.hardcover.pull.held import held_all
from bookorbit_desktop.hardcover.sync.candidate import Candidate
from bookorbit_desktop.hardcover.sync.copies import Copy, combine, copy_left
from bookorbit_desktop.hardcover.sync.desired import desired_entry, needs_history
from bookorbit_desktop.hardcover.sync.ledger import add_log
from bookorbit_desktop.hardcover.sync.model import Local, Options, Snapshot, wanted_for
from bookorbit_desktop.library.history.reads import book_reads
from bookorbit_desktop.library.history.splitting import DatedRead
from bookorbit_desktop.library.reads.store import link_hardcover_read
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import (
    Book,
    HardcoverMatch,
    HardcoverSync,
    ReadingState,
    database,
)
from bookorbit_desktop.library.store.sql import INBOX_IDS, outside_inbox
from bookorbit_desktop.library.store.typed import tuples

# A book's sync state, as the log, the command line and the window show it.
SYNCED, AHEAD, KEPT, REMOVED, FAILED, BLOCKED, PARTIAL = (
    "synced",
    "ahead",
    "kept",
    "removed",
    "failed",
    "blocked",
    "partial",
)

log = logging.getLogger(__name__)


def _local_date(seconds: float) -> str:
    return dt.date.fromtimestamp(seconds).isoformat()


def _syncable() -> Any:
    return (
        (HardcoverMatch.state == LINKED)
        & HardcoverMatch.hc_book_id.is_null(False)
        & (ReadingState.status != "unread")
        & HardcoverMatch.book.not_in(SQL(INBOX_IDS))  # approved books only (store.inbox)
    )


def candidates(
    book_ids: Iterable[int] | None = None, *, proposals: bool = False
) -> list[Candidate]:
    """One candidate per Hardcover book that any of `book_ids` (default: every book) is linked
    to, made from all the linked, not excluded, not unread copies of it (library order), its
    dates by `desired.desired_entry`. With `proposals`, the reading history's dates that wait
    for the user's yes are worked out too (they change nothing that is sent)."""
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
        .where(_syncable())
        .order_by(Book.id)
    )
    if book_ids is not None:
        linked_to = HardcoverMatch.select(HardcoverMatch.hc_book_id).where(
            HardcoverMatch.book.in_(list(book_ids)) & HardcoverMatch.hc_book_id.is_null(False)
        )
        query = query.where(HardcoverMatch.hc_book_id.in_(linked_to))
    groups: dict[int, list[Any]] = {}
    joined: Any = query  # Books with their joined rows as attributes
    for book in joined:
        groups.setdefault(book.match_row.hc_book_id, []).append(book)
    history = {}
    if proposals:  # only the entries whose dates the history could complete
        asked = (
            b.id
            for books in groups.values()
            if any(needs_history(_copy(b).local, _sources(b.state_row)) for b in books)
            for b in books
        )
        history = book_reads(asked)
    found = held_all([_candidate(books, history) for books in groups.values()])
    found.sort(key=lambda c: c.local.book_id)
    return found


def _copy(book: Any) -> Copy:
    reading, match = book.state_row, book.match_row
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
        edition_pinned=bool(match.pinned),
        edition_pages=match.edition_pages,
    )
    return Copy(local, reading.updated_at or 0.0, bool(match.lead))


def _sources(reading: Any) -> dict[str, str | None]:
    """Where the library's dates of a copy came from (`library.reading.sources`)."""
    return {"started": reading.started_source, "finished": reading.finished_source}


def _candidate(books: list[Any], history: dict[int, tuple[DatedRead, ...]]) -> Candidate:
    hc_book_id = books[0].match_row.hc_book_id
    # The copies share one snapshot once pushed together; before that, the newest one of
    # this very Hardcover book speaks for the entry.
    raws = []
    for book in books:
        sync = getattr(book, "sync_row", None)
        if sync is not None and sync.updated_at:
            raws.append((sync.updated_at, dict(sync.snapshot or {})))
    raws.sort(key=lambda pair: pair[0], reverse=True)
    snapshot = next(
        (s for _, raw in raws if (s := Snapshot.from_json(raw)) and s.hc_book_id == hc_book_id),
        None,
    )
    # The entry keeps the edition it was pushed with (`copies`: edition pinning), and the
    # rating while its copies disagree on it.
    pushed = snapshot.wanted if snapshot is not None else {}
    combined = combine(
        [_copy(book) for book in books], pushed.get("edition_id"), pushed.get("rating")
    )
    leader = next(book for book in books if book.id == combined.copies[0])
    # Each date's source is that of the copy the date came from.
    owners = {
        name: next((b for b in books if getattr(b.state_row, name) == value), leader)
        for name in ("started", "finished")
        if (value := getattr(combined.local, name))
    }
    stored = {name: _sources(book.state_row).get(name) for name, book in owners.items()}
    # The reads of the copy that gives the status; when it has none (marked Read by hand),
    # those of the copies the user read instead.
    reads = history.get(leader.id) or tuple(
        sorted((r for b in books for r in history.get(b.id, ())), key=lambda r: r.started)
    )
    desired = desired_entry(combined.local, reads, stored)
    creating = any(raw.get("creating") == hc_book_id for _, raw in raws)
    steps = (raw.get("step") or {} for _, raw in raws)
    step = None if snapshot else next((s for s in steps if s.get("hc_book_id") == hc_book_id), None)
    chosen = any(book.match_row.lead for book in books)
    held_back = None if chosen else copy_left(desired.local, combined.copies, raws, snapshot)
    return Candidate(
        desired.local,
        leader.title,
        snapshot,
        creating,
        combined.copies,
        combined.conflict,
        held_back,
        desired.proposals,
        desired.notes,
        step,
    )


def syncable_book_ids() -> set[int]:
    """Books a push may concern: linked, not excluded, not unread."""
    query = (
        HardcoverMatch.select(HardcoverMatch.book)
        .join(ReadingState, on=(ReadingState.book == HardcoverMatch.book))
        .where(_syncable())
    )
    return {book_id for (book_id,) in tuples(query)}


# Active books never looked up on Hardcover (no match yet, or one reset to be matched again).
_AWAITING_MATCH = (
    "SELECT r.book_id FROM reading_state AS r"
    " LEFT JOIN hardcover_match AS m ON m.book_id = r.book_id"
    " WHERE r.status != 'unread' AND (m.book_id IS NULL OR m.state = 'unmatched')"
    f" AND {outside_inbox('r.book_id')}"
    " ORDER BY r.book_id"
)


def awaiting_match() -> list[int]:
    """Books being read (or marked) that were never looked up on Hardcover: the worker
    matches them with the same guards as Sync Now, so nothing active stays silently local."""
    return [book_id for (book_id,) in database.execute_sql(_AWAITING_MATCH).fetchall()]


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


def commit_book(
    candidate: Candidate,
    snapshot: Snapshot,
    *,
    state: str,
    reason: str | None,
    versions: dict[int, int | None],
    title: str,
    outcome: str,
    actions: list[dict[str, Any]],
    now: float | None = None,
) -> None:
    """Hardcover confirmed this entry's push: remember it for every copy, in one transaction.

    `versions` are the copies' outbox versions the push started from (`outbox.take`).
    """
    now = time.time() if now is None else now
    values = {
        "hc_book_id": snapshot.hc_book_id,
        "user_book_id": snapshot.user_book_id,
        # The copies this push was made from: a copy that leaves later is noticed.
        "snapshot": {**snapshot.to_json(), "copies": list(candidate.book_ids)},
        "state": state,
        "reason": reason,
        "confirmed_at": now,
        "updated_at": now,
    }
    with database.atomic():
        for book_id in candidate.book_ids:
            HardcoverSync.insert(book=book_id, **values).on_conflict(
                conflict_target=[HardcoverSync.book], update=values
            ).execute()
            HardcoverMatch.update(
                user_book_id=snapshot.user_book_id,
                created_by_us=bool(snapshot.created_by_us and snapshot.user_book_id is not None),
            ).where(
                (HardcoverMatch.book == book_id)
                & (HardcoverMatch.hc_book_id == snapshot.hc_book_id)
            ).execute()
            outbox.take(book_id, versions.get(book_id))
        read = snapshot.confirmed  # the read it synced, as Hardcover confirmed it
        link_hardcover_read(
            candidate.local.book_id, snapshot.read_id, read.get("started"), read.get("finished")
        )
        add_log(candidate.local.book_id, title, outcome, actions, None, now=now)


def fail_book(
    candidate: Candidate,
    error: str,
    *,
    permanent: bool,
    retry_at: float,
    actions: list[dict[str, Any]],
    state: str | None = None,
    now: float | None = None,
) -> None:
    """A push did not go through: keep the copies queued (retry later, or wait for a change)."""
    now = time.time() if now is None else now
    state = state or (BLOCKED if permanent else FAILED)
    with database.atomic():
        for book_id in candidate.book_ids:
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
        add_log(candidate.local.book_id, candidate.title, "failed", actions, error, now=now)


def forget_unsyncable() -> None:
    """Drop outbox rows of books that can no longer be synced (unlinked, excluded, unread)."""
    keep = syncable_book_ids()
    outbox.discard(q.book_id for q in outbox.queued() if q.book_id not in keep)


def relink_merged(candidate: Candidate, canonical: int) -> Candidate:
    """The candidate's copies linked to the Hardcover book theirs was merged into (whose average
    rating is not known until matching fetches it)."""
    log.info("Hardcover book %s was merged into %s", candidate.local.hc_book_id, canonical)
    HardcoverMatch.update(
        hc_book_id=canonical, reason=f"merged on Hardcover into {canonical}", hc_rating=None
    ).where(HardcoverMatch.book.in_(list(candidate.book_ids))).execute()
    local = replace(candidate.local, hc_book_id=canonical)
    return replace(candidate, local=local, snapshot=None, creating=False)
