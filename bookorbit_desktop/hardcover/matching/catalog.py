"""Hardcover books and editions as matching sees them: plain values with tidy fields.

Pure. `records` mirrors what the API returns and parses it; these add what matching needs
(base language codes, audio/ebook classification, primary authors apart from translators, the
editions we know of per book) and come from the `MatchCandidates` operation's rows or from
`records` values. Hardcover's data has holes (editions without pages or language, books
without authors): they stay holes, nothing is guessed. A value that fails its check (a book's
average `rating` that is not a number from 0 to 5) is a hole too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.fields import from_attributes
from bookorbit_desktop.hardcover.api import records
from bookorbit_desktop.hardcover.api.records import SeriesEntry, to_int, to_text
from bookorbit_desktop.hardcover.matching.normalize import normalize_language
from bookorbit_desktop.hardcover.matching.volumes import FORMAT_AUDIO, find_formats

# reading_format_id (hardcover-api.md §3).
READING_FORMATS = {1: "physical", 2: "audio", 3: "both", 4: "ebook"}
# book_status_id values of books Hardcover has merged away or deleted.
GONE_BOOK_STATUSES = frozenset({3, 4})
# book_category_id: 4 Graphic Novel, 10 Light Novel.
CATEGORY_GRAPHIC_NOVEL, CATEGORY_LIGHT_NOVEL = 4, 10
# Contribution roles that still make someone an author of the book.
_PRIMARY_ROLES = frozenset({"", "author", "writer", "story"})
# Contribution roles only comics, manga and graphic novels have.
COMIC_ROLES = frozenset({"illustrator", "adapter", "artist", "penciler", "inker", "colorist",
                         "letterer", "art"})  # fmt: skip
_EBOOK_WORDS = re.compile(r"\b(?:e-?book|kindle|epub|kobo|nook|digital)\b", re.IGNORECASE)


@dataclass(frozen=True)
class EditionInfo:
    """One edition of a Hardcover book."""

    id: int
    book_id: int
    title: str | None = None
    subtitle: str | None = None
    isbn_13: str | None = None
    isbn_10: str | None = None
    pages: int | None = None
    reading_format: str = "unknown"  # physical | audio | both | ebook | unknown
    edition_format: str | None = None  # free text: "Paperback", "Kindle Edition", ...
    language: str | None = None  # base language code ("en")
    users_count: int = 0
    release_year: int | None = None

    @property
    def is_audio(self) -> bool:
        if self.reading_format == "audio":
            return True
        return FORMAT_AUDIO in find_formats(self.edition_format or "")

    @property
    def is_ebook(self) -> bool:
        if self.reading_format == "ebook":
            return True
        return not self.is_audio and bool(_EBOOK_WORDS.search(self.edition_format or ""))

    @property
    def format_label(self) -> str:
        if self.is_audio:
            return "audiobook"
        if self.is_ebook:
            return "ebook"
        return "physical" if self.reading_format in {"physical", "both"} else "unknown"


@dataclass(frozen=True)
class HardcoverBook:
    """A Hardcover book with what matching needs to know about it."""

    id: int
    title: str
    subtitle: str | None = None
    slug: str | None = None
    authors: tuple[str, ...] = ()  # primary authors
    contributors: tuple[str, ...] = ()  # translators, illustrators, editors, ...
    series: tuple[SeriesEntry, ...] = ()
    alternative_titles: tuple[str, ...] = ()
    release_year: int | None = None
    users_count: int = 0
    pages: int | None = None
    category: int | None = None
    compilation: bool = False  # an omnibus or collection of other books
    roles: frozenset[str] = frozenset()  # contribution roles, casefolded ("illustrator")
    author_ids: tuple[int, ...] = ()  # Hardcover ids of the primary authors
    # (author, another name of theirs): transliterations, original script; once looked up.
    author_aliases: tuple[tuple[str, str], ...] = ()
    canonical_id: int | None = None
    status_id: int | None = None
    editions: tuple[EditionInfo, ...] = ()  # the editions fetched (rarely all of them)
    image_url: str | None = None  # the cover on Hardcover's image server
    rating: float | None = None  # the average of its readers' ratings (`average_rating`)

    @property
    def gone(self) -> bool:
        """Merged into another book or deleted on Hardcover."""
        return self.canonical_id is not None or self.status_id in GONE_BOOK_STATUSES

    @property
    def text_editions(self) -> tuple[EditionInfo, ...]:
        return tuple(e for e in self.editions if not e.is_audio)

    @property
    def languages(self) -> frozenset[str]:
        """Languages of the text editions we know of."""
        return frozenset(e.language for e in self.text_editions if e.language)

    @property
    def audio_only(self) -> bool:
        """Every edition we know of is an audiobook."""
        return bool(self.editions) and not self.text_editions


def _year(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value[:4].isdigit():
        return int(value[:4])
    return None


def edition_from_record(edition: records.Edition) -> EditionInfo:
    """The matching view of an edition the client returned."""
    return from_attributes(
        EditionInfo,
        edition,
        pages=edition.pages or None,  # Hardcover stores 0 for "unknown" too
        reading_format=READING_FORMATS.get(edition.reading_format_id or 0, "unknown"),
        edition_format=edition.edition_format,
        language=normalize_language(edition.language or edition.language_code3),
        users_count=edition.users_count,
        release_year=_year(edition.release_date),
    )


def edition_from_graphql(data: Mapping[str, Any]) -> EditionInfo:
    """An `editions` row (any subset of its fields) as an EditionInfo."""
    return edition_from_record(records.edition_from(data))


def split_contributors(entries: Iterable[Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(authors, other contributors) from `cached_contributors` or `contributions` rows."""
    authors: list[str] = []
    others: list[str] = []
    for contributor in records.contributors_from(entries):
        role = (contributor.role or "").casefold()
        target = authors if role in _PRIMARY_ROLES else others
        if contributor.name not in target:
            target.append(contributor.name)
    return tuple(authors), tuple(others)


def _author_ids_and_roles(entries: Iterable[Any]) -> tuple[tuple[int, ...], frozenset[str]]:
    ids: list[int] = []
    roles: set[str] = set()
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        role = (to_text(entry.get("contribution")) or "").casefold()
        roles.add(role)
        author = entry.get("author")
        author_id = to_int(author.get("id")) if isinstance(author, Mapping) else None
        if role in _PRIMARY_ROLES and author_id is not None and author_id not in ids:
            ids.append(author_id)
    return tuple(ids), frozenset(roles - {""})


def alternate_names(raw: Any) -> tuple[str, ...]:
    """An author's `alternate_names` (jsonb): a list of names, or of objects with a name."""
    names: list[str] = []
    for entry in raw if isinstance(raw, list) else ():
        name = to_text(entry.get("name")) if isinstance(entry, Mapping) else to_text(entry)
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _image_url(value: Any) -> str | None:
    """The URL inside `cached_image` ({} for a book without a cover)."""
    if isinstance(value, Mapping):
        value = value.get("url")
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None


def average_rating(value: Any) -> float | None:
    """A book's `rating` (its readers' average, `numeric`) when it is a finite number from 0
    to 5; None for a book nobody rated, and for anything else Hardcover might send."""
    if type(value) not in (int, float) or not math.isfinite(value) or not 0 <= value <= 5:
        return None
    return float(value)


def book_from_graphql(data: Mapping[str, Any]) -> HardcoverBook:
    """A `books` row (as `MatchCandidates` selects it) with its nested edition lists."""
    contributors = data.get("cached_contributors") or data.get("contributions") or []
    authors, others = split_contributors(contributors)
    author_ids, roles = _author_ids_and_roles(contributors)
    known: dict[int, EditionInfo] = {}
    for key in ("editions", "local_editions", "audio_editions"):
        for row in data.get(key) or ():
            edition = edition_from_graphql({"book_id": data["id"], **row})
            known.setdefault(edition.id, edition)
    return HardcoverBook(
        id=int(data["id"]),
        title=to_text(data.get("title")) or "",
        subtitle=to_text(data.get("subtitle")),
        slug=to_text(data.get("slug")),
        authors=authors,
        contributors=others,
        series=records.series_from(data.get("book_series")),
        alternative_titles=records.texts(data.get("alternative_titles")),
        release_year=_year(data.get("release_year") or data.get("release_date")),
        users_count=to_int(data.get("users_count")) or 0,
        pages=to_int(data.get("pages")) or None,
        category=to_int(data.get("book_category_id")),
        compilation=data.get("compilation") is True,
        roles=roles,
        author_ids=author_ids,
        canonical_id=to_int(data.get("canonical_id")),
        status_id=to_int(data.get("book_status_id")),
        editions=tuple(sorted(known.values(), key=lambda e: e.id)),
        image_url=_image_url(data.get("cached_image")),
        rating=average_rating(data.get("rating")),
    )
