"""What calibre gives the books its files became, and the writing of it for many books at once.

The rules are a book's (`book_columns`, `reading_change`): a field the user edited here
(`store.user_edits`) is left as it is; the reading status and the rating are filled only while
the book has none of its own; a book the status column marks read is finished on the date of
the finish column when one is named and the book has a date in it, else with no date (the rules
of Mark Read, `reading.marking`, given calibre's word alone: calibre's `last_modified` says
when a book's record last changed, not when it was read). The writing (`lay_on`) reads what
the rules need for a batch of books in a few queries and writes each kind of change with one
statement for the batch, through the same writers an edit uses (`set_authors_of`,
`set_languages_of`, `set_tags_of`), the cover through the one image door (`store_cover`) and
the comments through the one description cleaner.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.descriptions import clean_description
from bookorbit_desktop.library.importer.calibre.reader import CalibreBook
from bookorbit_desktop.library.journal.book_values import set_authors_of
from bookorbit_desktop.library.metadata.covers import store_cover
from bookorbit_desktop.library.metadata.languages import normalize_languages
from bookorbit_desktop.library.metadata.naming import sort_title
from bookorbit_desktop.library.reading.marking import Evidence, mark_read_dates
from bookorbit_desktop.library.reading.rules import FINISHED, READ, READING, UNREAD, WANT_TO_READ
from bookorbit_desktop.library.store.languages import set_languages_of
from bookorbit_desktop.library.store.models import Book, ReadingState, database
from bookorbit_desktop.library.store.user_edits import edited_fields_of
from bookorbit_desktop.library.tags.store import set_tags_of

_STATUS_WORDS = {"read": READ, "done": READ, "finished": READ, "reading": READING}
_WANT_WORDS = ("to read", "want", "to-read")


@dataclass(frozen=True)
class Columns:
    """The calibre columns (labels without "#") that give the reading status and the date a
    book marked read by it was finished."""

    status: str | None = None
    finished: str | None = None


def book_columns(book: CalibreBook, edited: frozenset[str]) -> dict[str, Any]:
    """The book's columns calibre gives, but those the user edited (the cover aside)."""
    languages = normalize_languages(book.languages)
    language = languages[0] if languages else None
    columns: dict[str, Any] = {
        "title": book.title,
        "series": book.series,
        "series_index": book.series_index,
        "publisher": book.publisher,
        "published": book.published,
        "language": language,
        "identifiers": book.identifiers,
        "description": clean_description(book.comments),
    }
    wanted = {k: v for k, v in columns.items() if k not in edited}
    if "identifiers" not in edited and "isbn" not in edited and "isbn" in book.identifiers:
        wanted["isbn13"] = book.identifiers["isbn"]
    if "title" in wanted:
        wanted["sort_title"] = book.sort or sort_title(book.title, language)
    return wanted


def reading_change(
    book: CalibreBook, state: tuple[str, float | None] | None, columns: Columns
) -> dict[str, Any]:
    """The reading state's columns calibre gives a book whose (status, rating) is `state`
    (None: no reading state yet): the rating and the status where it has none of its own,
    with the finish date of a book marked read (module docstring)."""
    status = calibre_status(book.custom.get(columns.status)) if columns.status else None
    changes: dict[str, Any] = {}
    if book.rating is not None and (state is None or state[1] is None):
        changes["rating"] = book.rating
    if status is not None and (state is None or state[0] == UNREAD):
        changes["status"] = status
        if status in FINISHED:
            day = book.custom.get(columns.finished) if columns.finished else None
            marked = mark_read_dates(
                finished=day if isinstance(day, str) else None,
                started=None,
                current_started=None,  # an unread book has no dates
                current_started_source=None,
                evidence=Evidence(),
                no_date=True,
            )
            changes["finished"], changes["finished_source"] = (
                marked.finished,
                marked.finished_source,
            )
    return changes


def gives_status(kind: str, multiple: bool) -> bool:
    """Whether a calibre column of calibre's `kind` can give the reading status
    (`calibre_status`): a yes/no, a fixed list or a text of one word ("read", "reading"); not a
    number, a date, long comments or a list of tags."""
    return kind in ("bool", "enumeration", "text") and not multiple


def calibre_status(value: object) -> str | None:
    """A calibre column's value as a reading status: yes/no (yes: read) or a word."""
    if isinstance(value, bool):
        return READ if value else None
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if any(word in text for word in _WANT_WORDS):
        return WANT_TO_READ
    return _STATUS_WORDS.get(text)


def lay_on(
    books: Sequence[tuple[CalibreBook, int]], paths: Paths, now: float, columns: Columns
) -> int:
    """Give each (calibre book, the book it became) what calibre gives it (module docstring);
    how many of them were marked read with no finish date. Call inside a transaction."""
    ids = [book_id for _, book_id in books]
    edited = edited_fields_of(ids)
    updates: list[tuple[int, dict[str, Any]]] = []
    for book, book_id in books:
        wanted = book_columns(book, edited[book_id])
        if "cover" not in edited[book_id] and book.cover is not None and book.cover.is_file():
            cover_path = store_cover(paths, book_id, book.cover.read_bytes())
            if cover_path is not None:
                wanted["cover_path"] = cover_path
        updates.append((book_id, wanted))
    _update(Book, updates, now)
    _authors(books, edited)
    kept = {i: normalize_languages(b.languages) for b, i in books if "language" not in edited[i]}
    set_languages_of(kept)
    set_tags_of({i: b.tags for b, i in books if "tags" not in edited[i]}, now)
    return _reading(books, now, columns)


def _authors(
    books: Sequence[tuple[CalibreBook, int]], edited: Mapping[int, frozenset[str]]
) -> None:
    wanted = {i: [name for name, _ in b.authors] for b, i in books if b.authors}
    wanted = {i: names for i, names in wanted.items() if "authors" not in edited[i]}
    current: dict[int, list[str]] = {book_id: [] for book_id in wanted}
    for book_id, name in database.execute_sql(
        "SELECT l.book_id, a.name FROM book_author l JOIN author a ON a.id = l.author_id"
        " WHERE l.book_id IN (SELECT value FROM json_each(?)) ORDER BY l.book_id, l.position",
        (json.dumps(list(wanted)),),
    ):
        current[book_id].append(name)
    # The file's own authors are often calibre's: those books' credits stay as they are.
    set_authors_of({i: names for i, names in wanted.items() if names != current[i]})
    sorts = {name: sort for b, i in books if i in wanted for name, sort in b.authors}
    database.cursor().executemany(
        "UPDATE author SET sort_name = ? WHERE name = ? AND sort_name != ?",
        [(sort, name, sort) for name, sort in sorts.items()],
    )


def _reading(books: Sequence[tuple[CalibreBook, int]], now: float, columns: Columns) -> int:
    ids = [book_id for _, book_id in books]
    states = {
        book_id: (status, rating)
        for book_id, status, rating in database.execute_sql(
            "SELECT book_id, status, rating FROM reading_state"
            " WHERE book_id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
    }
    new: list[tuple[int, dict[str, Any]]] = []
    changed: list[tuple[int, dict[str, Any]]] = []
    undated = 0
    for book, book_id in books:
        changes = reading_change(book, states.get(book_id), columns)
        if changes.get("status") in FINISHED and changes.get("finished") is None:
            undated += 1
        if changes:
            (changed if book_id in states else new).append((book_id, changes))
    _insert_states(new, now)
    _update(ReadingState, changed, now)
    return undated


def _insert_states(rows: Sequence[tuple[int, Mapping[str, Any]]], now: float) -> None:
    names = ("status", "progress", "rating", "finished", "finished_source")
    defaults = {"status": UNREAD, "progress": 0.0}
    database.cursor().executemany(
        f"INSERT INTO reading_state (book_id, {', '.join(names)}, updated_at)"
        f" VALUES (?, {', '.join('?' * len(names))}, ?)",
        [
            (book_id, *(changes.get(n, defaults.get(n)) for n in names), now)
            for book_id, changes in rows
        ],
    )


def _update(
    model: type[Book] | type[ReadingState],
    rows: Sequence[tuple[int, Mapping[str, Any]]],
    now: float,
) -> None:
    """Each (id, values) of `model`'s table, with `updated_at` now: a statement for each set
    of columns, the values stored as the model's fields store them."""
    meta = model._meta
    fields, table = meta.fields, meta.table_name
    key = "book_id" if model is ReadingState else "id"
    groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for row_id, values in rows:
        names = tuple(sorted(values))
        stored = tuple(fields[name].db_value(values[name]) for name in names)
        groups.setdefault(names, []).append((*stored, now, row_id))
    for names, params in groups.items():
        assignments = ", ".join(f"{fields[name].column_name} = ?" for name in names)
        database.cursor().executemany(
            f"UPDATE {table} SET {assignments}, updated_at = ? WHERE {key} = ?",
            params,
        )
