"""What an unfinished push leaves in a book's sync record before each risky write, so that a
process that dies between two writes of one entry is repaired, not misread, at the next pass:
the entry an insert created (its answer may be lost), the reads Hardcover had before our status
write stamped today as a finish, and where Hardcover stood once some writes were confirmed.

Each record is written in its own transaction, before the request leaves.
"""

from __future__ import annotations

import time
from typing import Any

from bookorbit_desktop.hardcover.sync.candidate import Candidate
from bookorbit_desktop.hardcover.sync.model import Snapshot
from bookorbit_desktop.hardcover.sync.store import FAILED
from bookorbit_desktop.library.store.models import HardcoverSync, database


def mark_creating(candidate: Candidate, *, now: float | None = None) -> None:
    """Before an insert goes out: should its answer be lost, the next attempt knows the entry
    it then finds on Hardcover is the one BookOrbit created. What an unfinished push knew of
    an earlier entry (gone, or there would be no insert) goes."""
    _mark_step(candidate, {"creating": candidate.local.hc_book_id, "step": None}, now=now)


def forget_creating(candidate: Candidate, *, now: float | None = None) -> None:
    """Hardcover refused the insert: an entry found later is not one BookOrbit created."""
    _mark_step(candidate, {"creating": None}, now=now)


def mark_stamping(candidate: Candidate, step: dict[str, Any], *, now: float | None = None) -> None:
    """Before a write with side effects on the reads (Read makes Hardcover stamp today as a
    finish; a new edition moves an open read, page number and all): should the process die
    before the correction, the next pass knows what was Hardcover's doing, not evidence. The
    record names its Hardcover book: a link moved since then does not take it along."""
    _mark_step(candidate, {"step": {**step, "hc_book_id": candidate.local.hc_book_id}}, now=now)


def mark_partial(candidate: Candidate, snapshot: Snapshot, *, now: float | None = None) -> None:
    """Some writes of a push were confirmed and the rest were not: remember where Hardcover
    stands now (so the next pass does not take our own writes for edits made on hardcover.app)
    and what the step knew (`Snapshot.step`), so the book is repaired at the next sync."""
    _mark_step(candidate, snapshot.to_json(), now=now, replace_all=True)


def _mark_step(
    candidate: Candidate, fields: dict[str, Any], *, now: float | None, replace_all: bool = False
) -> None:
    now = time.time() if now is None else now
    hc_book_id = candidate.local.hc_book_id
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        for book_id in candidate.book_ids:
            row = HardcoverSync.get_or_none(HardcoverSync.book == book_id)
            raw: dict[str, Any] = {} if row is None or replace_all else dict(row.snapshot or {})
            raw.update(fields)
            if row is None:
                HardcoverSync.insert(
                    book=book_id, hc_book_id=hc_book_id, snapshot=raw, state=FAILED, updated_at=now
                ).execute()
            else:
                HardcoverSync.update(snapshot=raw, updated_at=now).where(
                    HardcoverSync.book == book_id
                ).execute()
