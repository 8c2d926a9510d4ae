"""Typed views of what Hardcover returns: users, books, editions and search hits.

Pure parsing of the JSON our operations select; tolerant of missing or null fields (Hardcover
leaves many empty) and of ids that arrive as strings (search documents).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# reading_format_id (hardcover-api.md §3)
PHYSICAL, AUDIO, BOTH, EBOOK = 1, 2, 3, 4


@dataclass(frozen=True)
class HardcoverUser:
    id: int
    username: str
    privacy_setting_id: int | None = None


@dataclass(frozen=True)
class Contributor:
    name: str
    role: str | None  # None = primary author; "Translator", "Illustrator", ...


@dataclass(frozen=True)
class SeriesEntry:
    name: str
    position: float | None


@dataclass(frozen=True)
class CatalogBook:
    id: int
    title: str
    slug: str | None = None
    subtitle: str | None = None
    release_year: int | None = None
    pages: int | None = None
    users_count: int = 0
    users_read_count: int = 0
    canonical_id: int | None = None
    book_status_id: int | None = None
    compilation: bool = False
    contributors: tuple[Contributor, ...] = ()
    series: tuple[SeriesEntry, ...] = ()
    default_ebook_edition_id: int | None = None
    default_physical_edition_id: int | None = None

    @property
    def authors(self) -> tuple[str, ...]:
        """Primary authors (contributions without a role)."""
        return tuple(c.name for c in self.contributors if c.role in (None, "Author"))


@dataclass(frozen=True)
class Edition:
    id: int
    book_id: int
    isbn_13: str | None = None
    isbn_10: str | None = None
    asin: str | None = None
    title: str | None = None
    pages: int | None = None
    audio_seconds: int | None = None
    edition_format: str | None = None
    physical_format: str | None = None
    reading_format_id: int | None = None
    release_date: str | None = None
    users_count: int = 0
    users_read_count: int = 0
    canonical_id: int | None = None
    language: str | None = None  # ISO 639-1 code, when Hardcover knows it
    language_code3: str | None = None
    book: CatalogBook | None = None

    @property
    def is_audio(self) -> bool:
        return self.reading_format_id == AUDIO


@dataclass(frozen=True)
class SearchHit:
    id: int
    title: str
    slug: str | None = None
    subtitle: str | None = None
    author_names: tuple[str, ...] = ()
    contributors: tuple[Contributor, ...] = ()
    alternative_titles: tuple[str, ...] = ()
    release_year: int | None = None
    users_count: int = 0
    users_read_count: int = 0
    pages: int | None = None
    isbns: tuple[str, ...] = ()
    series_names: tuple[str, ...] = ()
    series_position: float | None = None
    has_audiobook: bool = False
    has_ebook: bool = False
    compilation: bool = False


@dataclass(frozen=True)
class SearchResult:
    query: str
    found: int
    page: int
    hits: tuple[SearchHit, ...]


def _int(value: Any) -> int | None:
    try:
        return None if value is None or value == "" else int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _strings(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in values or () if v not in (None, ""))


def contributors_from(raw: Any) -> tuple[Contributor, ...]:
    """From `cached_contributors` / search `contributions`: [{author{name}, contribution}]."""
    result = []
    for entry in raw or ():
        if not isinstance(entry, dict):
            continue
        author = entry.get("author") or {}
        name = author.get("name") if isinstance(author, dict) else None
        if name:
            result.append(Contributor(str(name), entry.get("contribution")))
    return tuple(result)


def user_from(raw: dict[str, Any]) -> HardcoverUser:
    return HardcoverUser(
        id=int(raw["id"]),
        username=str(raw.get("username") or ""),
        privacy_setting_id=_int(raw.get("account_privacy_setting_id")),
    )


def book_from(raw: dict[str, Any]) -> CatalogBook:
    series = tuple(
        SeriesEntry(
            str((entry.get("series") or {}).get("name") or ""), _float(entry.get("position"))
        )
        for entry in raw.get("book_series") or ()
        if isinstance(entry, dict) and (entry.get("series") or {}).get("name")
    )
    return CatalogBook(
        id=int(raw["id"]),
        title=str(raw.get("title") or ""),
        slug=raw.get("slug"),
        subtitle=raw.get("subtitle"),
        release_year=_int(raw.get("release_year")),
        pages=_int(raw.get("pages")),
        users_count=_int(raw.get("users_count")) or 0,
        users_read_count=_int(raw.get("users_read_count")) or 0,
        canonical_id=_int(raw.get("canonical_id")),
        book_status_id=_int(raw.get("book_status_id")),
        compilation=bool(raw.get("compilation")),
        contributors=contributors_from(raw.get("cached_contributors")),
        series=series,
        default_ebook_edition_id=_int(raw.get("default_ebook_edition_id")),
        default_physical_edition_id=_int(raw.get("default_physical_edition_id")),
    )


def edition_from(raw: dict[str, Any]) -> Edition:
    language = raw.get("language") or {}
    book = raw.get("book")
    return Edition(
        id=int(raw["id"]),
        book_id=int(raw["book_id"]) if raw.get("book_id") is not None else int(book["id"]),
        isbn_13=raw.get("isbn_13"),
        isbn_10=raw.get("isbn_10"),
        asin=raw.get("asin"),
        title=raw.get("title"),
        pages=_int(raw.get("pages")),
        audio_seconds=_int(raw.get("audio_seconds")),
        edition_format=raw.get("edition_format"),
        physical_format=raw.get("physical_format"),
        reading_format_id=_int(raw.get("reading_format_id")),
        release_date=raw.get("release_date"),
        users_count=_int(raw.get("users_count")) or 0,
        users_read_count=_int(raw.get("users_read_count")) or 0,
        canonical_id=_int(raw.get("canonical_id")),
        language=language.get("code2") if isinstance(language, dict) else None,
        language_code3=language.get("code3") if isinstance(language, dict) else None,
        book=book_from(book) if isinstance(book, dict) else None,
    )


def search_result_from(query: str, raw: dict[str, Any]) -> SearchResult:
    """The `search` field's value: ordered ids plus Typesense `results` (hardcover-api.md §2.2)."""
    results = raw.get("results") or {}
    hits = []
    for hit in results.get("hits") or ():
        document = (hit or {}).get("document") or {}
        book_id = _int(document.get("id"))
        if book_id is None:
            continue
        featured = document.get("featured_series") or {}
        hits.append(
            SearchHit(
                id=book_id,
                title=str(document.get("title") or ""),
                slug=document.get("slug"),
                subtitle=document.get("subtitle"),
                author_names=_strings(document.get("author_names")),
                contributors=contributors_from(document.get("contributions")),
                alternative_titles=_strings(document.get("alternative_titles")),
                release_year=_int(document.get("release_year")),
                users_count=_int(document.get("users_count")) or 0,
                users_read_count=_int(document.get("users_read_count")) or 0,
                pages=_int(document.get("pages")),
                isbns=_strings(document.get("isbns")),
                series_names=_strings(document.get("series_names")),
                series_position=_float(featured.get("position"))
                if isinstance(featured, dict)
                else None,
                has_audiobook=bool(document.get("has_audiobook")),
                has_ebook=bool(document.get("has_ebook")),
                compilation=bool(document.get("compilation")),
            )
        )
    return SearchResult(
        query=query,
        found=_int(results.get("found")) or len(hits),
        page=_int(results.get("page")) or _int(raw.get("page")) or 1,
        hits=tuple(hits),
    )
