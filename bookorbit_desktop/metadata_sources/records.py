"""The plain values every metadata source speaks: what is asked (`Lookup`), what comes back
(`Candidate`), how a source fared (`SourceResult` with one of `STATUSES`) and the one error a
source raises (`SourceError`). A candidate's description is cleaned as the candidate is made
(`bookorbit_desktop.descriptions`). Pure: no network, no database.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from bookorbit_desktop.descriptions import clean_description

# How one source fared for one book (the window shows these words).
OK = "ok"
NO_RESULT = "no result"
REFUSED = "refused"
RATE_LIMITED = "rate-limited"
TIMED_OUT = "timed out"
MALFORMED = "malformed"
STATUSES = (OK, NO_RESULT, REFUSED, RATE_LIMITED, TIMED_OUT, MALFORMED)
# A source the user has not set up (Hardcover without a token, or without any password storage
# to keep one in): not asked, and not a failure (nothing to retry until it is connected).
NOT_CONNECTED = "not connected"
# What the library stores for a source queued and not answered yet (a fetch under way, or
# one stopped before it reached the book); retried like a failure.
PENDING = "pending"

# The sources, in the order they are shown and ranked, with their names for people (each
# source module's NAME and LABEL; here so the callers need not load aiohttp to name them).
SOURCE_LABELS = {"hardcover": "Hardcover", "openlibrary": "Open Library", "google": "Google Books"}

# The fields a candidate carries, in the order they are shown.
FIELDS = (
    "title",
    "subtitle",
    "authors",
    "series",
    "series_index",
    "description",
    "publisher",
    "release_date",
    "language",
    "isbn13",
    "pages",
    "cover",
)


@dataclass(frozen=True)
class Lookup:
    """What a source is asked about one book (the library's values as they stand)."""

    book_id: int
    title: str
    authors: tuple[str, ...] = ()
    isbn13: str | None = None
    isbn10: str | None = None
    language: str | None = None
    hardcover_edition_id: int | None = None  # the linked Hardcover edition, if any
    hardcover_book_id: int | None = None  # the linked Hardcover book, if any


@dataclass(frozen=True)
class Candidate:
    """One source's record of a book; None (or empty) where the source says nothing."""

    source: str
    source_id: str
    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    series: str | None = None
    series_index: float | None = None
    description: str | None = None
    publisher: str | None = None
    release_date: str | None = None  # ISO, possibly partial ("2019", "2019-05")
    language: str | None = None  # a language tag ("en", "pt-BR") when the source gives one
    isbn13: str | None = None
    pages: int | None = None
    cover_url: str | None = None
    cover_width: int | None = None
    cover_height: int | None = None
    matched_by: str = "isbn"  # "edition" (linked), "isbn", "id" or "search"
    # What the book is about (Open Library's subjects, and a publisher's collection it is in):
    # kept with the candidate as tag suggestions, never one of the FIELDS applied.
    subjects: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Every source's description is cleaned here, where each candidate is made, and so is
        # one read back from a stored fetch: nothing a source sends is shown or applied raw.
        object.__setattr__(self, "description", clean_description(self.description))

    def value(self, name: str) -> Any:
        """The candidate's value of field `name` (`cover` is its URL); None when it has none."""
        value = self.cover_url if name == "cover" else getattr(self, name)
        return value or None if name != "series_index" else value

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = list(self.authors)
        data["subjects"] = list(self.subjects)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Candidate:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["authors"] = tuple(known.get("authors") or ())
        known["subjects"] = tuple(known.get("subjects") or ())
        return cls(**known)


@dataclass(frozen=True)
class SourceResult:
    """How one source answered for one book: a status, a message for people, candidates."""

    source: str
    status: str
    message: str = ""
    candidates: tuple[Candidate, ...] = field(default=())

    @property
    def failed(self) -> bool:
        """A failure worth retrying (an empty answer is an answer, not a failure, and a source
        not connected has nothing to retry)."""
        return self.status not in (OK, NO_RESULT, NOT_CONNECTED)


def wait_words(seconds: float) -> str:
    """A wait a source asked for, for people: "40 s", "3 min", "2 h"."""
    if seconds < 120:
        return f"{math.ceil(seconds)} s"
    if seconds < 2 * 3600:
        return f"{math.ceil(seconds / 60)} min"
    return f"{math.ceil(seconds / 3600)} h"


class SourceError(Exception):
    """A source could not answer: `status` is one of `STATUSES`, `message` says what to do."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
