"""Several local books linked to one Hardcover book: the one state that entry should have. Pure.

A second copy, another format or a translation all link to the same Hardcover book, which has
one entry on the profile. The entry's desired state is made from every copy by these rules, so
that a copy the user has not read yet never lowers what another copy reached:

| field          | rule                                                                      |
|----------------|---------------------------------------------------------------------------|
| status         | the furthest wins: Read > Did Not Finish > Currently Reading > Paused >    |
|                | Want to Read; the copy the user chose to speak for the book (its "lead")  |
|                | wins over all of them                                                     |
| progress       | the copy that gives the status; among several with that status, the one   |
|                | read most recently (the copy being read); a fraction within 0..1, turned  |
|                | into pages of the entry's edition (below), so never past its last page    |
| edition        | pinned: the lead's, when the user chose one; else the edition the entry   |
|                | already has (the last push's) while any copy is linked with it; else      |
|                | (nothing pushed yet, or the user picked another edition for the copy that |
|                | had it) the copy being read's. A new copy never switches it               |
| start date     | the earliest start among the copies of the current read (those with the   |
|                | winning status); unknown stays unknown                                    |
| finish date    | the latest finish among them (a finished read only)                       |
| rating         | the lead's, if it has one; else the one rating the rated copies share;    |
|                | copies rated differently are a conflict for the user (Use This Copy):     |
|                | the entry keeps the rating last sent (none, if none was), never a write   |
|                | per copy                                                                  |
| date added     | the earliest                                                              |

Progress is never lowered by a copy: the edition does not change under the read, so
Hardcover's page and the one sent are pages of one edition, and `reconcile` keeps
Hardcover's when it is ahead for the same read ("Hardcover is ahead").

Copies whose statuses differ are a conflict the user should see ("2 copies linked: Read and Want
to Read"): the entry still gets the furthest status (nothing is lowered), and choosing a lead
copy settles it the other way when that is what the user meant (a reread in another copy).
So are copies rated differently ("2 copies linked: rated 5★ and 4★"): one entry has one
rating, and which copy's it is is the user's word, not the order their reading changed in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bookorbit_desktop.hardcover.sync.model import (
    CURRENTLY_READING,
    DID_NOT_FINISH,
    FINISHED_READ,
    PAUSED,
    READ,
    STATUS_IDS,
    STATUS_NAMES,
    WANT_TO_READ,
    Local,
    Snapshot,
    read_kind,
)

# How far along a status is: a higher rank is never replaced by a lower one from another copy.
RANK = {WANT_TO_READ: 1, PAUSED: 2, CURRENTLY_READING: 3, DID_NOT_FINISH: 4, READ: 5}


@dataclass(frozen=True)
class Copy:
    """One local book linked to the Hardcover book, as the rules above need it."""

    local: Local
    updated_at: float  # when its reading state last changed
    lead: bool = False  # the user chose this copy to speak for the book


@dataclass(frozen=True)
class Combined:
    local: Local  # the entry's desired state; `book_id` is the copy that gives the status
    copies: tuple[int, ...]  # every copy's book id, the leading one first
    conflict: str | None  # the copies disagree on the status, in words


def _rank(copy: Copy) -> int:
    return RANK.get(copy.local.status_id or 0, 0)


def combine(
    copies: Sequence[Copy], entry_edition: int | None = None, entry_rating: float | None = None
) -> Combined:
    """The one desired state of a Hardcover entry from every copy linked to it;
    `entry_edition` and `entry_rating` are the edition and rating the entry was last pushed
    with (None: never pushed, or no rating)."""
    if not copies:
        raise ValueError("a Hardcover entry needs at least one linked copy")
    leads = [c for c in copies if c.lead]
    pool = leads or list(copies)
    top = max(_rank(c) for c in pool)
    same = [c for c in pool if _rank(c) == top]
    leader = max(same, key=lambda c: (c.updated_at, _fraction(c), -c.local.book_id))
    edition = pinned_edition(copies, leader, entry_edition).local
    local = replace(
        leader.local,
        progress=_fraction(leader),
        edition_id=edition.edition_id,
        edition_pages=edition.edition_pages,
        edition_pinned=edition.edition_pinned,
    )
    current = [c.local for c in (same if not leads else [leader])]
    if read_kind(local.status_id or 0) == FINISHED_READ:
        finishes = [c.finished for c in current if c.finished]
        local = replace(local, finished=max(finishes) if finishes else None)
    starts = [c.started for c in current if c.started]
    local = replace(local, started=min(starts) if starts else None)
    ratings = sorted({c.local.rating for c in copies if c.local.rating is not None}, reverse=True)
    disagree = len(ratings) > 1 and not (leader.lead and leader.local.rating is not None)
    if not (leader.lead and leader.local.rating is not None):
        local = replace(local, rating=entry_rating if disagree else next(iter(ratings), None))
    local = replace(local, date_added=min(c.local.date_added for c in copies))
    order = (leader.local.book_id, *sorted(c.local.book_id for c in copies if c is not leader))
    settled = () if leader.lead and leader.local.rating is not None else ratings
    said = conflict([c.local.status for c in copies], settled)
    return Combined(local, order, said)


def pinned_edition(copies: Sequence[Copy], leader: Copy, entry_edition: int | None) -> Copy:
    """The copy whose edition the entry carries, by the module's table."""
    if leader.lead:
        return leader
    keeping = [
        c for c in copies if entry_edition is not None and c.local.edition_id == entry_edition
    ]
    # Several copies of the pinned edition: the one with its page count, the closest to the leader.
    keeping.sort(key=lambda c: (c is not leader, not c.local.edition_pages, c.local.book_id))
    return keeping[0] if keeping else leader


def _fraction(copy: Copy) -> float:
    progress = copy.local.progress
    return 0.0 if math.isnan(progress) else min(1.0, max(0.0, progress))


def conflict(statuses: Sequence[str], ratings: Sequence[float | None] = ()) -> str | None:
    """ "2 copies linked: Read and Want to Read" when the copies' statuses (the library's
    words) differ in Hardcover's terms, furthest first, and "rated 5★ and 4★" when their
    ratings differ; None when they agree."""
    ids = sorted(
        {STATUS_IDS[s] for s in statuses if s in STATUS_IDS}, key=lambda s: -RANK.get(s, 0)
    )
    rated = sorted({r for r in ratings if r is not None}, reverse=True)
    parts = []
    if len(ids) > 1:
        names = [STATUS_NAMES[s] for s in ids]
        parts.append(", ".join(names[:-1]) + f" and {names[-1]}")
    if len(rated) > 1:
        parts.append("rated " + ", ".join(f"{r:g}★" for r in rated[:-1]) + f" and {rated[-1]:g}★")
    return f"{len(statuses)} copies linked: {'; '.join(parts)}" if parts else None


def copy_left(
    local: Local,
    copies: tuple[int, ...],
    raws: Sequence[tuple[float, Mapping[str, Any]]],
    snapshot: Snapshot | None,
) -> str | None:
    """A copy that was part of the last push is no longer linked, and the copies left would
    lower the entry's status: say so instead of lowering it (the user never asked)."""
    if snapshot is None:
        return None
    pushed = next((raw.get("copies") for _, raw in raws if raw.get("copies")), None)
    if not pushed or set(pushed) <= set(copies):
        return None
    before = snapshot.wanted.get("status_id")
    if RANK.get(local.status_id or 0, 0) >= RANK.get(before or 0, 0):
        return None
    return (
        f"a copy that made it {STATUS_NAMES.get(before or 0, 'further')} is no longer linked; "
        "Hardcover keeps it as it is: choose the copy that counts with Use This Copy"
    )
