"""What the push sends for one Hardcover book: the copies linked to it and the entry they make.

A plain value, below the database queries that make it (`store.candidates`) and the rule that
holds a field in conflict at Hardcover's value (`hardcover.pull.held`), which both take it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.hardcover.sync.desired import Proposal
from bookorbit_desktop.hardcover.sync.model import Local, Snapshot


@dataclass(frozen=True)
class Candidate:
    """A Hardcover book with syncable copies linked to it, and what the engine needs to push it.

    `local` is the entry's desired state made from every copy (`copies.combine`); its `book_id`
    is the copy that gives the status, and `copies` lists them all, that one first.
    """

    local: Local
    title: str
    snapshot: Snapshot | None
    creating: bool  # an insert was sent and its answer may have been lost
    copies: tuple[int, ...] = ()
    conflict: str | None = None  # the copies disagree on the status, in words
    # Why the entry is left as it is: a copy that gave it a further status is no longer
    # linked, and the copies left would lower it; the user decides (Use This Copy).
    held_back: str | None = None
    # Dates from the reading history that wait for the user's yes (`desired`), and why
    # a date of the library's is not sent.
    proposals: tuple[Proposal, ...] = ()
    date_notes: tuple[str, ...] = ()
    step: Mapping[str, Any] | None = None  # an unfinished first push (`Tracking.step_json`)

    @property
    def book_ids(self) -> tuple[int, ...]:
        return self.copies or (self.local.book_id,)
