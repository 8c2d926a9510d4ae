"""The values the sync engine reasons about: local state, Hardcover's entry, the snapshot.

Plain frozen dataclasses and the few conversions between the library's words and Hardcover's
ids (hardcover-api.md §3). Dates are ISO `YYYY-MM-DD` strings on both sides: the library keeps
the user's local calendar date, which is what Hardcover's `date` columns mean.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

WANT_TO_READ, CURRENTLY_READING, READ, PAUSED, DID_NOT_FINISH = 1, 2, 3, 4, 5
STATUS_IDS = {
    "want_to_read": WANT_TO_READ,
    "reading": CURRENTLY_READING,
    "rereading": CURRENTLY_READING,
    "on_hold": PAUSED,
    "read": READ,
    "skimmed": READ,
    "abandoned": DID_NOT_FINISH,
}
STATUS_NAMES = {
    WANT_TO_READ: "Want to Read",
    CURRENTLY_READING: "Currently Reading",
    READ: "Read",
    PAUSED: "Paused",
    DID_NOT_FINISH: "Did Not Finish",
    6: "Ignored",
}
PUBLIC, FOLLOWERS, PRIVATE = 1, 2, 3
PRIVACY_NAMES = {PUBLIC: "Public", FOLLOWERS: "Followers", PRIVATE: "Private"}
PRIVACY_IDS = {name.lower(): privacy for privacy, name in PRIVACY_NAMES.items()}

# What kind of read a status needs on Hardcover.
NO_READ, OPEN_READ, FINISHED_READ = "none", "open", "finished"


def read_kind(status_id: int) -> str:
    if status_id == READ:
        return FINISHED_READ
    if status_id in (CURRENTLY_READING, PAUSED, DID_NOT_FINISH):
        return OPEN_READ
    return NO_READ


def progress_pages(fraction: float, pages: int | None) -> int | None:
    """A fraction of the book as pages of the edition: at least 1 once begun, at most all.

    None when the edition's length is unknown or nothing was read yet.
    """
    if not pages or pages <= 0 or not fraction or fraction <= 0 or math.isnan(fraction):
        return None
    return max(1, min(pages, math.floor(fraction * pages + 0.5)))


@dataclass(frozen=True)
class Local:
    """A linked book as the library knows it."""

    book_id: int
    status: str
    progress: float
    started: str | None
    finished: str | None
    rating: float | None
    date_added: str
    hc_book_id: int
    edition_id: int | None
    edition_pages: int | None
    edition_pinned: bool = False
    # Dates the library has but that disagree with each other (`desired`): the entry keeps
    # Hardcover's for them until the user settles it.
    kept_dates: frozenset[str] = frozenset()
    # The privacy this entry keeps instead of the settings' (`pull.held`): Hardcover's, taken
    # by the pull or held while it conflicts with the user's change here.
    privacy_id: int | None = None

    @property
    def status_id(self) -> int | None:
        return STATUS_IDS.get(self.status)


@dataclass(frozen=True)
class Read:
    """One of Hardcover's reads ("Dates Read") of an entry."""

    id: int
    started: str | None = None
    finished: str | None = None
    pages: int | None = None
    edition_id: int | None = None
    # The length of the read's edition, as Hardcover has it: a measure, not part of the read.
    edition_pages: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Remote:
    """The user's Hardcover library entry for a book (`user_books` with its reads)."""

    user_book_id: int
    book_id: int
    status_id: int
    rating: float | None = None
    privacy_id: int = PUBLIC
    edition_id: int | None = None
    date_added: str | None = None
    reads: tuple[Read, ...] = ()
    edition_pages: int | None = field(default=None, compare=False)  # its edition's length

    def read(self, read_id: int | None) -> Read | None:
        return next((r for r in self.reads if r.id == read_id), None)

    def share(self, read: Read) -> float | None:
        """How far into the book the read's page is (its edition's, else the entry's), or
        None when that edition's length is unknown."""
        pages = read.edition_pages or (
            self.edition_pages if read.edition_id in (None, self.edition_id) else None
        )
        if read.pages is None or not pages:
            return None
        return min(1.0, read.pages / pages)


def reread_on_hardcover(remote: Remote, read_id: int | None, *, ended: bool = False) -> Read | None:
    """The read that took over from the tracked one on Hardcover: the entry's status needs an
    open read, the tracked read is finished (or `ended`: the last sync saw it under a finished
    status, as a Read on the website leaves it, without a finish date), and a later read (a
    larger id) is open, a reread started on hardcover.app. Its dates are its own: the tracked
    read's are never its."""
    tracked = remote.read(read_id)
    if tracked is None or read_kind(remote.status_id) != OPEN_READ:
        return None
    if not (tracked.finished or ended):
        return None
    later = [r for r in remote.reads if r.id > tracked.id and not r.finished]
    return max(later, key=lambda r: r.id, default=None)


def users_later_read(synced: int | None, read_id: int | None, seen: frozenset[int] | None) -> bool:
    """Is `read_id` a read the user already had on Hardcover (`seen` before the push) while the
    last push synced another one (`synced`): a reread started on hardcover.app?"""
    return synced not in (None, read_id) and read_id in (seen or frozenset())


def another_reads_dates(
    want: Wanted, read: Read, snapshot: Snapshot | None, seen: frozenset[int] | None
) -> set[str] | None:
    """For a push to the user's later read (`users_later_read`): the library's dates still those
    of the read synced before, which belong to that read and are never written to this one.
    None for any other read."""
    if snapshot is None or not users_later_read(snapshot.read_id, read.id, seen):
        return None
    wanted = {"started": want.started, "finished": want.finished}
    return {name for name, value in wanted.items() if value and value == snapshot.wanted.get(name)}


def entry_length(local: Local, remote: Remote) -> int | None:
    """The length of the entry's edition on Hardcover, when it is the library's edition."""
    return local.edition_pages if local.edition_id == remote.edition_id else None


@dataclass(frozen=True)
class Wanted:
    """What the library wants on the profile, in Hardcover's terms (None: not known)."""

    status_id: int
    rating: float | None
    privacy_id: int
    edition_id: int | None
    started: str | None
    finished: str | None
    pages: int | None  # progress for an open read, the whole edition for a finished one

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Snapshot:
    """The last state Hardcover confirmed for a book, and what the library wanted then.

    Three-way reconciliation compares the library now with `wanted` (did the user change it
    here?) and Hardcover now with `confirmed` (did the user change it on hardcover.app?).
    """

    hc_book_id: int
    user_book_id: int | None
    created_by_us: bool
    read_id: int | None
    read_owned: bool
    wanted: Mapping[str, Any] = field(default_factory=dict)
    confirmed: Mapping[str, Any] = field(default_factory=dict)
    # Set while a push is unfinished (a write of it was confirmed, the rest were not): what
    # the engine knew about Hardcover's own side effects, so the repair can undo them.
    step: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        raw = {
            "hc_book_id": self.hc_book_id,
            "user_book_id": self.user_book_id,
            "created_by_us": self.created_by_us,
            "read_id": self.read_id,
            "read_owned": self.read_owned,
            "wanted": dict(self.wanted),
            "confirmed": dict(self.confirmed),
        }
        if self.step:
            raw["step"] = dict(self.step)
        return raw

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Snapshot | None:
        if not raw or raw.get("hc_book_id") is None:
            return None
        return cls(
            hc_book_id=int(raw["hc_book_id"]),
            user_book_id=raw.get("user_book_id"),
            created_by_us=bool(raw.get("created_by_us")),
            read_id=raw.get("read_id"),
            read_owned=bool(raw.get("read_owned")),
            wanted=dict(raw.get("wanted") or {}),
            confirmed=dict(raw.get("confirmed") or {}),
            step=dict(raw.get("step") or {}),
        )


def confirmed_values(remote: Remote | None, read_id: int | None) -> dict[str, Any]:
    """The fields of `remote` a snapshot keeps, to notice later edits made on hardcover.app."""
    if remote is None:
        return {}
    read = remote.read(read_id)
    return {
        "status_id": remote.status_id,
        "rating": remote.rating,
        "privacy_id": remote.privacy_id,
        "edition_id": remote.edition_id,
        "started": read.started if read else None,
        "finished": read.finished if read else None,
        "pages": read.pages if read else None,
    }


@dataclass(frozen=True)
class Options:
    """The user's sync settings as they bear on one book."""

    privacy_id: int = PUBLIC  # for entries BookOrbit creates
    privacy_for_all: bool = False  # also change the privacy of entries it adopted
    allow_rewind: bool = False  # send a lower position than Hardcover's anyway


def wanted_for(local: Local, options: Options) -> Wanted | None:
    """The library's state in Hardcover's terms; None for a book that is not synced (unread)."""
    status_id = local.status_id
    if status_id is None:
        return None
    kind = read_kind(status_id)
    if kind == FINISHED_READ:
        pages = local.edition_pages if local.edition_pages and local.edition_pages > 0 else None
    elif kind == OPEN_READ:
        pages = progress_pages(local.progress, local.edition_pages)
    else:
        pages = None
    return Wanted(
        status_id=status_id,
        rating=local.rating,
        privacy_id=local.privacy_id if local.privacy_id is not None else options.privacy_id,
        edition_id=local.edition_id,
        started=local.started if kind != NO_READ else None,
        finished=local.finished if kind == FINISHED_READ else None,
        pages=pages,
    )
