"""The user's No to what a sync would send: a Cancel holds it, and only the user lets it go.

A review the user cancels, or a pass they stop, moves the books it showed to "held"
(`waiting.HELD`): nothing sends them by itself, whatever changes the book meanwhile. The user
then sends them (Sync Now, or Send on the Hardcover page: `outbox.release_held` at the start
of their own pass) or discards them (`discard`): the library takes back what Hardcover holds,
as one undo step, and nothing waits any more. A book Hardcover holds nothing of (never sent,
not on the profile) has nothing to take back: discarding it excludes it from the sync, which
Include undoes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bookorbit_desktop.hardcover.matching.store import LINKED, exclude
from bookorbit_desktop.hardcover.pull import store as pull_store
from bookorbit_desktop.hardcover.pull.apply import pulled_values, write_value
from bookorbit_desktop.hardcover.pull.rule import tracked_ended
from bookorbit_desktop.hardcover.sync import store
from bookorbit_desktop.hardcover.sync.candidate import Candidate
from bookorbit_desktop.library.journal.record import recording
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import HardcoverMatch, ReadingState, database
from bookorbit_desktop.library.store.typed import tuples

# Why a book is held, as the book's row and the log say it.
DECLINED = "you cancelled the review that showed this change; send it or discard it"
CANCELLED = "you cancelled the sync before it reached this book; send it or discard it"
# The shared fields the library takes back from Hardcover (privacy and edition are not the
# library's values).
TAKEN_BACK = ("status_id", "rating", "started", "finished")
DISCARD_LABEL = "Discard Held Changes"


def hold_shown(book_ids: Iterable[int], reason: str = DECLINED, *, now: float | None = None) -> int:
    """Hold the books a review or a pass showed, with every copy linked to the same Hardcover
    book, unread ones too (one entry, one word; a copy linked later joins the hold, schema
    41); how many books are held now."""
    ids = list(dict.fromkeys(book_ids))
    if not ids:
        return 0
    hc_books = [c.local.hc_book_id for c in store.candidates(ids)]
    linked = HardcoverMatch.select(HardcoverMatch.book).where(
        (HardcoverMatch.state == LINKED) & HardcoverMatch.hc_book_id.in_(hc_books)
    )
    held = list(dict.fromkeys([*ids, *(row.book_id for row in linked)]))
    outbox.hold(held, reason, now=now)
    return len(held)


@dataclass
class Discarded:
    taken_back: list[int] = field(default_factory=list)  # books given Hardcover's values
    unchanged: list[int] = field(default_factory=list)  # books as Hardcover has them already
    excluded: list[int] = field(default_factory=list)  # books Hardcover holds nothing of

    @property
    def text(self) -> str:
        parts = []
        if self.taken_back:
            n = len(self.taken_back)
            parts.append(
                f"{n} {'book takes' if n == 1 else 'books take'} Hardcover's values back"
                " (Undo brings yours back)"
            )
        if self.unchanged:
            n = len(self.unchanged)
            parts.append(f"{n} {'book was' if n == 1 else 'books were'} as Hardcover has it")
        if self.excluded:
            n = len(self.excluded)
            parts.append(
                f"{n} {'book' if n == 1 else 'books'} not on Hardcover excluded from the sync"
                " (Include syncs again)"
            )
        return "Discarded held changes: " + "; ".join(parts) + "." if parts else "Nothing held."


@dataclass(frozen=True)
class DiscardPlan:
    values: dict[int, dict[str, Any]]  # book -> Hardcover's values to take back
    released: list[int]  # held books with nothing to take (unread copies of an entry)
    excluded: list[int]  # books Hardcover holds nothing of


def plan_discard(book_ids: Iterable[int] | None = None) -> DiscardPlan:
    """What `discard` would do to the held books (of `book_ids`; None: every one)."""
    held = set(outbox.held_books())
    ids = [b for b in (held if book_ids is None else book_ids) if b in held]
    links: dict[int, int] = dict(
        tuples(
            HardcoverMatch.select(HardcoverMatch.book, HardcoverMatch.hc_book_id).where(
                HardcoverMatch.book.in_(ids)
            )
        )
    )
    candidates = {c.local.hc_book_id: c for c in store.candidates(ids)}
    rows = {r.hc_book_id: r for r in pull_store.stored_rows(candidates)}
    known = _entries_known(candidates)
    values: dict[int, dict[str, Any]] = {}
    released, excluded = [], []
    theirs = {
        hc_book: _hardcover_values(candidate, rows.get(hc_book), known[hc_book])
        for hc_book, candidate in candidates.items()
        if hc_book in known
    }
    for book_id in ids:
        hc_book = links.get(book_id, 0)
        found = theirs.get(hc_book)
        if found is None:
            excluded.append(book_id)
        elif book_id in candidates[hc_book].book_ids:
            values[book_id] = found
        else:
            released.append(book_id)  # an unread copy: nothing of it to take back
    return DiscardPlan(values, released, excluded)


def discard(book_ids: Iterable[int] | None = None, *, now: float | None = None) -> Discarded:
    """Discard what a Cancel held (of `book_ids`; None: every held book): see the module."""
    now = time.time() if now is None else now
    plan = plan_discard(book_ids)
    done = Discarded(excluded=list(plan.excluded))
    before = _reading(plan.values)
    with recording(DISCARD_LABEL, sorted(plan.values), clock=lambda: now):
        for book_id, values in plan.values.items():
            for name in TAKEN_BACK:
                if name in values:
                    write_value([book_id], name, values[name], now=now)
    after = _reading(plan.values)
    for book_id in plan.values:
        (done.taken_back if before[book_id] != after[book_id] else done.unchanged).append(book_id)
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        for book_id in plan.excluded:
            exclude(book_id, now=now)
        outbox.discard([*plan.values, *plan.released, *plan.excluded])
    return done


def _reading(book_ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    query = ReadingState.select(
        ReadingState.book, ReadingState.status, ReadingState.rating,
        ReadingState.started, ReadingState.finished,
    ).where(ReadingState.book.in_(list(book_ids)))  # fmt: skip
    return {row[0]: row[1:] for row in tuples(query)}


def _entries_known(candidates: dict[int, Candidate]) -> dict[int, int]:
    """Hardcover book -> the user's entry for it, as the links know it (None: removed, or never
    on the profile)."""
    query = HardcoverMatch.select(HardcoverMatch.hc_book_id, HardcoverMatch.user_book_id).where(
        HardcoverMatch.hc_book_id.in_(list(candidates)) & HardcoverMatch.user_book_id.is_null(False)
    )
    return dict(tuples(query))


def _hardcover_values(
    candidate: Candidate, row: pull_store.PulledRow | None, entry: int
) -> dict[str, Any] | None:
    """What Hardcover holds of the entry `entry`: as the pull last read it, else as our last
    confirmed push left it; None when neither is of that entry."""
    snapshot = candidate.snapshot
    read_id = snapshot.read_id if snapshot is not None else None
    if row is not None and row.user_book_id == entry:
        return pulled_values(row, read_id, ended=tracked_ended(snapshot))
    if snapshot is not None and snapshot.user_book_id == entry:
        return dict(snapshot.confirmed) or None
    return None
