"""Typed views of what Hardcover returns (users, editions, search hits) and the parsing of it.

Pure. Every Hardcover row goes through the tolerant parsers here, also the rows `catalog`
turns into matching's values: Hardcover leaves many fields empty or null, and search
documents carry ids as strings, so a hole becomes None (or an empty tuple) instead of an
error. Nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any


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
class Edition:
    id: int
    book_id: int
    isbn_13: str | None = None
    isbn_10: str | None = None
    asin: str | None = None
    title: str | None = None
    subtitle: str | None = None
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


# ------------------------------------------------------------------------- tolerant parsers


def to_int(value: Any) -> int | None:
    try:
        return None if value is None or value == "" else int(value)
    except (TypeError, ValueError):
        return None


def to_count(value: Any) -> int:
    """A count, where Hardcover's null means none."""
    return to_int(value) or 0


def to_float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def to_text(value: Any) -> str | None:
    """A trimmed string, or None for anything else or nothing but spaces."""
    return value.strip() or None if isinstance(value, str) else None


def texts(values: Any) -> tuple[str, ...]:
    """The non-empty strings of a JSON list, trimmed."""
    if not isinstance(values, list | tuple):
        return ()
    return tuple(text for value in values if (text := to_text(value)))


def _converted(
    raw: Mapping[str, Any], convert: Callable[[Any], Any], *names: str
) -> dict[str, Any]:
    """`{name: convert(raw[name])}` for each name (a missing one converts None)."""
    return {name: convert(raw.get(name)) for name in names}


def _named(raw: Any, key: str) -> Iterator[tuple[Mapping[str, Any], str]]:
    """(entry, name) for each entry of a JSON list whose `key` object has a name."""
    for entry in raw or ():
        if isinstance(entry, Mapping):
            inner = entry.get(key)
            name = to_text(inner.get("name")) if isinstance(inner, Mapping) else None
            if name:
                yield entry, name


def contributors_from(raw: Any) -> tuple[Contributor, ...]:
    """From `cached_contributors` / search `contributions`: [{author{name}, contribution}]."""
    return tuple(
        Contributor(name, to_text(entry.get("contribution")))
        for entry, name in _named(raw, "author")
    )


def series_from(raw: Any) -> tuple[SeriesEntry, ...]:
    """From `book_series`: [{position, series{name}}]; entries without a name are dropped."""
    return tuple(
        SeriesEntry(name, to_float(entry.get("position"))) for entry, name in _named(raw, "series")
    )


# ------------------------------------------------------------------------- rows


def user_from(raw: dict[str, Any]) -> HardcoverUser:
    return HardcoverUser(
        id=int(raw["id"]),
        username=str(raw.get("username") or ""),
        privacy_setting_id=to_int(raw.get("account_privacy_setting_id")),
    )


def edition_from(raw: Mapping[str, Any]) -> Edition:
    """An `editions` row (any subset of its fields besides `id`)."""
    language = raw.get("language")
    language = language if isinstance(language, Mapping) else {}
    return Edition(
        id=int(raw["id"]),
        **_converted(raw, to_count, "book_id", "users_count", "users_read_count"),
        **_converted(
            raw,
            to_text,
            *("isbn_13", "isbn_10", "asin", "title", "subtitle", "edition_format"),
            *("physical_format", "release_date"),
        ),
        **_converted(raw, to_int, "pages", "audio_seconds", "reading_format_id", "canonical_id"),
        language=to_text(language.get("code2")),
        language_code3=to_text(language.get("code3")),
    )


def search_result_from(query: str, raw: dict[str, Any]) -> SearchResult:
    """The `search` field's value: ordered ids plus Typesense `results` (hardcover-api.md §2.2)."""
    results = raw.get("results") or {}
    hits = []
    for hit in results.get("hits") or ():
        document = (hit or {}).get("document") or {}
        book_id = to_int(document.get("id"))
        if book_id is None:
            continue
        featured = document.get("featured_series")
        hits.append(
            SearchHit(
                id=book_id,
                title=str(document.get("title") or ""),
                slug=document.get("slug"),
                subtitle=document.get("subtitle"),
                contributors=contributors_from(document.get("contributions")),
                series_position=(
                    to_float(featured.get("position")) if isinstance(featured, Mapping) else None
                ),
                **_converted(
                    document, texts, "author_names", "alternative_titles", "isbns", "series_names"
                ),
                **_converted(document, to_int, "release_year", "pages"),
                **_converted(document, to_count, "users_count", "users_read_count"),
                **_converted(document, bool, "has_audiobook", "has_ebook", "compilation"),
            )
        )
    return SearchResult(
        query=query,
        found=to_int(results.get("found")) or len(hits),
        page=to_int(results.get("page")) or to_int(raw.get("page")) or 1,
        hits=tuple(hits),
    )
