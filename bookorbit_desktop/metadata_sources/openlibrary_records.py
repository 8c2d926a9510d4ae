"""Open Library's records read into values: an edition's free-text date, a description, a
language, and what a work adds to its edition. Pure.

Open Library keeps a book in two records: the edition (`/books/OL…M`: publisher, date, pages,
ISBNs, cover, often a `series` statement copied from a catalogue) and the work it belongs to
(`/works/OL…W`: the description, subjects, and on some works a `series`). `WorkFacts.of`
reads a work; `series_of` picks the series from the work's statements first, then the
edition's, keeping out a publisher's collection (`publisher_collections`), which goes with
the subjects instead.

Their shapes vary: a description is a string or `{"type": "/type/text", "value": "…"}`; a
series statement a string ("Discworld ; 1", "Discworld (1)", "Foundation series #2") or, on a
work, `{"series": {"key": …, "name": …}, "position": "1"}`-like objects with a name and a
position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bookorbit_desktop.hardcover.api.records import to_text
from bookorbit_desktop.library.metadata.languages import normalize_language
from bookorbit_desktop.metadata_sources.publisher_collections import is_collection, series_entry

MAX_SUBJECTS = 12
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%B %Y", "%b %Y", "%d %B %Y")
# Subjects that say how a copy may be lent or where a record came from, not what the book is.
_NOT_SUBJECTS = frozenset(
    {
        "accessible book",
        "protected daisy",
        "in library",
        "lending library",
        "large type books",
        "open library staff picks",
        "internet archive wishlist",
        "overdrive",
    }
)


def release_date(value: Any) -> str | None:
    """Open Library's free-text date ("October 1, 1988", "1988") as ISO, or its year."""
    raw = to_text(value)
    if raw is None:
        return None
    for form in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(raw, form)
        except ValueError:
            continue
        return parsed.strftime("%Y-%m" if "%d" not in form else "%Y-%m-%d")
    year = _YEAR.search(raw)
    return year.group(1) if year else None


def description(value: Any) -> str | None:
    """A description is a string or `{"type": "/type/text", "value": "…"}`."""
    if isinstance(value, dict):
        value = value.get("value")
    return to_text(value)


def language(values: Any) -> str | None:
    for entry in values or ():
        key = entry.get("key") if isinstance(entry, dict) else entry
        if isinstance(key, str):
            found = normalize_language(key.rsplit("/", 1)[-1])
            if found:
                return found
    return None


def first(values: Any) -> Any:
    return values[0] if isinstance(values, list) and values else None


def work_key(details: dict[str, Any]) -> str | None:
    """The key ("/works/OL45804W") of the work an edition belongs to, if it names one."""
    entry = first(details.get("works"))
    key = to_text(entry.get("key")) if isinstance(entry, dict) else to_text(entry)
    return key if key and re.fullmatch(r"/works/OL\d+W", key) else None


def _statement(entry: Any) -> tuple[str | None, float | None]:
    """One series statement (a string, or a work's object with a name and a position)."""
    if isinstance(entry, str):
        return series_entry(entry)
    if not isinstance(entry, dict):
        return None, None
    inner = entry.get("series")
    named = inner if isinstance(inner, dict) else entry
    name = to_text(named.get("name")) or to_text(named.get("title")) or to_text(inner)
    if name is None:
        return None, None
    found, number = series_entry(name)
    position = to_text(str(entry.get("position") or "")) or None
    if position is not None:
        _, number = series_entry(position)
    return found, number


@dataclass(frozen=True)
class Series:
    name: str | None = None
    number: float | None = None
    collections: tuple[str, ...] = ()  # the statements that name a publisher's collection


def series_of(statements: list[Any], publisher: str | None) -> Series:
    """The first statement that names a series (`statements`: the work's, then the
    edition's); the collections among them are listed apart."""
    chosen: tuple[str, float | None] | None = None
    collections: list[str] = []
    for entry in statements:
        name, number = _statement(entry)
        if is_collection(name, publisher):
            if name and name not in collections:
                collections.append(name)
        elif chosen is None and name:
            chosen = (name, number)
    name, number = chosen if chosen is not None else (None, None)
    return Series(name, number, tuple(collections))


def statements(record: dict[str, Any]) -> list[Any]:
    found = record.get("series")
    if isinstance(found, (str, dict)):
        return [found]
    return list(found) if isinstance(found, list) else []


def subjects(values: Any) -> tuple[str, ...]:
    """A work's subjects, without lending and catalogue notes ("Accessible book",
    "nyt:…"), at most `MAX_SUBJECTS`, each once."""
    found: list[str] = []
    seen: set[str] = set()
    for value in values if isinstance(values, list) else ():
        name = to_text(value)
        if not name or ":" in name or name.casefold() in _NOT_SUBJECTS:
            continue
        if name.casefold() not in seen:
            seen.add(name.casefold())
            found.append(name)
    return tuple(found[:MAX_SUBJECTS])


@dataclass(frozen=True)
class WorkFacts:
    """What a work adds to its editions."""

    description: str | None = None
    subjects: tuple[str, ...] = ()
    statements: tuple[Any, ...] = ()  # its series statements, as sent

    @classmethod
    def of(cls, work: dict[str, Any]) -> WorkFacts:
        return cls(
            description(work.get("description")),
            subjects(work.get("subjects")),
            tuple(statements(work)),
        )
