"""What the reconciler hands the engine for one entry: the next write (`Action`), what the
engine knows about the entry while it works on it (`Tracking`), and both together (`Step`).
Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bookorbit_desktop.hardcover.sync.model import READ, Read, Remote, Snapshot

INSERT_ENTRY, UPDATE_ENTRY = "insert_user_book", "update_user_book"
INSERT_READ, UPDATE_READ = "insert_user_book_read", "update_user_book_read"
DELETE_READ = "delete_user_book_read"


@dataclass(frozen=True)
class Tracking:
    """What the engine knows about the entry while it works on one book."""

    user_book_id: int | None = None
    created_by_us: bool = False
    read_id: int | None = None
    read_owned: bool = False
    # The reads the entry had before this push wrote anything: the others Hardcover created in
    # answer to our writes, so their dates are Hardcover's guesses, not the user's.
    seen_reads: frozenset[int] | None = None
    stamped_finish: bool = False  # we set Read: Hardcover may have stamped today as the finish
    # (read id, date): the finish Hardcover stamped, in answer to our Read, on a read that had
    # none when it went out; put back unless that read holds another date since.
    stamp: tuple[int, str] | None = None
    # While our Read is out and not answered: the reads that had no finish when it left, and
    # the day it left. The stamp is found from them in the answer, or, when no answer came
    # (a cancelled or killed pass), in the entry the next pass finds (`stamp_found`).
    undated: tuple[int, ...] = ()
    read_sent_on: str | None = None
    # The open reads before this push wrote anything: (read id, its edition, how far in, its
    # page). An edition change moves a read but keeps its page number, which then measures
    # nothing; while the read still shows that page, the page is the one our change moved.
    shares: tuple[tuple[int, int | None, float, int | None], ...] = ()
    # The snapshot this push started from (None for an entry new to it): the base whose
    # Hardcover-side values stay when the push kept Hardcover's edit (`snapshot_after`).
    base: Snapshot | None = field(default=None, compare=False)
    # Hardcover's reads the library keeps as the book's earlier reads: never the one adopted.
    earlier_reads: frozenset[int] = frozenset()

    @classmethod
    def of(cls, snapshot: Snapshot | None, step: Mapping[str, Any] | None = None) -> Tracking:
        """From the snapshot and its unfinished push (`step`: a first push, no snapshot yet)."""
        step = snapshot.step if snapshot is not None else step or {}
        seen = step.get("seen_reads")
        return cls(
            user_book_id=snapshot.user_book_id if snapshot else step.get("user_book_id"),
            created_by_us=snapshot.created_by_us if snapshot else False,
            read_id=snapshot.read_id if snapshot else None,
            read_owned=snapshot.read_owned if snapshot else False,
            seen_reads=frozenset(int(r) for r in seen) if seen is not None else None,
            stamped_finish=bool(step.get("stamped_finish")),
            stamp=(int(step["stamp"][0]), str(step["stamp"][1])) if step.get("stamp") else None,
            undated=tuple(int(r) for r in step.get("undated") or ()),
            read_sent_on=step.get("read_sent_on"),
            shares=tuple(_share(*saved) for saved in step.get("shares") or ()),
            base=snapshot,
        )

    def moved_share(self, read: Read, edition_id: int | None) -> float | None:
        """How far in the read was when this push began, if that was in another edition and
        the read still shows the page it had then: the page our edition change carried along.
        A page set since (on hardcover.app) is measured in the edition the read is in now."""
        return next(
            (
                share
                for rid, ed, share, page in self.shares
                if rid == read.id and ed != edition_id and page is not None and page == read.pages
            ),
            None,
        )

    def measured(self, read_id: int | None) -> Tracking:
        """The read's page was written in its present edition: its earlier share is spent."""
        return replace(self, shares=tuple(s for s in self.shares if s[0] != read_id))

    def step_json(self) -> dict[str, Any]:
        """What an unfinished push must remember of this (`Snapshot.step`)."""
        return {
            "user_book_id": self.user_book_id,
            "seen_reads": sorted(self.seen_reads) if self.seen_reads is not None else None,
            "stamped_finish": self.stamped_finish,
            "stamp": list(self.stamp) if self.stamp is not None else None,
            "undated": list(self.undated),
            "read_sent_on": self.read_sent_on,
            "shares": [list(share) for share in self.shares],
        }


def _share(
    read_id: int, edition_id: int | None, share: float, page: int | None = None
) -> tuple[int, int | None, float, int | None]:
    """A saved share; one saved without its page never counts as moved (`moved_share`)."""
    return int(read_id), edition_id, float(share), page


def tracking_at_start(
    snapshot: Snapshot | None,
    step: Mapping[str, Any] | None,
    remote: Remote | None,
    *,
    creating: bool,
) -> Tracking:
    """What a push (or its dry run) starts from: the snapshot's, or what an unfinished first
    push left (`step`). An entry found after our insert went out (its answer lost, the record
    `creating`) where the record knows none is ours."""
    tracking = Tracking.of(snapshot, step)
    if creating and remote is not None and tracking.user_book_id is None:
        return Tracking(user_book_id=remote.user_book_id, created_by_us=True)
    return tracking


@dataclass(frozen=True)
class Action:
    """One mutation: `target` is the user_book or read id it changes (None for an insert of an
    entry); `fields` is exactly what goes out; `changes` says it in words."""

    kind: str
    target: int | None
    fields: dict[str, Any]
    changes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "changes": list(self.changes), "fields": self.fields}

    @property
    def changes_reads(self) -> bool:
        """An entry update Hardcover answers by changing reads itself: Read stamps today as
        a finish, a new edition takes the open read along with its page number."""
        fields = self.fields
        return self.kind == UPDATE_ENTRY and (
            fields.get("status_id") == READ or "edition_id" in fields
        )


@dataclass(frozen=True)
class Step:
    action: Action | None
    tracking: Tracking
    notes: tuple[str, ...] = ()
    ahead: tuple[int, int] | None = None  # (library's page, Hardcover's page) when it is ahead
