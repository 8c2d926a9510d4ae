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
from bookorbit_desktop.hardcover.sync import store
from bookorbit_desktop.hardcover.sync.candidate import Candidate
from bookorbit_desktop.library.journal.record import recording
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import HardcoverMatch, database

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
    excluded: list[int] = field(default_factory=list)  # books Hardcover holds nothing of

    @property
    def text(self) -> str:
        parts = []
        if self.taken_back:
            n = len(self.taken_back)
            parts.append(f"{n} {'book takes' if n == 1 else 'books take'} Hardcover's values back")
        if self.excluded:
            n = len(self.excluded)
            parts.append(
                f"{n} {'book' if n == 1 else 'books'} not on Hardcover excluded from the sync"
                " (Include syncs again)"
            )
        return "Discarded held changes: " + "; ".join(parts) + "." if parts else "Nothing held."


def discard(book_ids: Iterable[int] | None = None, *, now: float | None = None) -> Discarded:
    """Discard what a Cancel held (of `book_ids`; None: every held book): see the module."""
    now = time.time() if now is None else now
    held = set(outbox.held_books())
    ids = [b for b in (held if book_ids is None else book_ids) if b in held]
    done = Discarded()
    if not ids:
        return done
    candidates = store.candidates(ids)
    in_candidates = {b for c in candidates for b in c.book_ids}
    rows = {r["hc_book_id"]: r for r in pull_store.pulled({c.local.hc_book_id for c in candidates})}
    with recording(DISCARD_LABEL, sorted(in_candidates), clock=lambda: now):
        for candidate in candidates:
            copies = [b for b in candidate.book_ids if b in held]
            values = _hardcover_values(candidate, rows.get(candidate.local.hc_book_id))
            if values is None:
                continue
            for name in TAKEN_BACK:
                if name in values:
                    write_value(copies, name, values[name], now=now)
            done.taken_back.extend(copies)
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        for book_id in ids:
            if book_id not in done.taken_back:
                exclude(book_id, now=now)
                done.excluded.append(book_id)
        outbox.discard(ids)
    return done


def _hardcover_values(candidate: Candidate, row: dict[str, Any] | None) -> dict[str, Any] | None:
    """What Hardcover holds of the entry: as the pull last read it, else as our last confirmed
    push left it; None when it holds nothing."""
    snapshot = candidate.snapshot
    read_id = snapshot.read_id if snapshot is not None else None
    if row is not None:
        pulled = pull_store.PulledRow(
            row["user_book_id"], row["hc_book_id"], row, row.get("updated_at")
        )
        return pulled_values(pulled, read_id)
    if snapshot is not None and snapshot.hc_book_id == candidate.local.hc_book_id:
        return dict(snapshot.confirmed) or None
    return None
