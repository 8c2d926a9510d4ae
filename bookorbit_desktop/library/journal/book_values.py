"""A book's journaled values, read as plain JSON values and written back.

The fields are the Edit dialog's (title with its sort key, ISBN 13 with ISBN 10, the cover as
its path and a hash of its image; `language` the first language, and `languages` all of them in
order, which steps written before a book had several lack), the tags, and the reading state's
(status, progress, rating, and each date with where it came from), the custom columns' values
(`custom:<id>`, None for none), plus the "edited by the user" marks. Writing goes the way an
edit goes: the book's `updated_at` moves, the change-log triggers fire, and a reading change
is queued for Hardcover in the sync outbox (`store.outbox`), so the sync's own rules decide
what reaches it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.custom import store as custom
from bookorbit_desktop.library.custom.kinds import column_of, field_of
from bookorbit_desktop.library.metadata.author_sort import author_sort
from bookorbit_desktop.library.metadata.covers import cover_file, write_atomically
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.languages import languages_of, set_languages_of
from bookorbit_desktop.library.store.models import (
    Book,
    ReadingState,
    database,
)
from bookorbit_desktop.library.store.sql import marks
from bookorbit_desktop.library.store.user_edits import BookEdit, mark_edited
from bookorbit_desktop.library.tags.store import book_tags, set_book_tags

# Book columns kept as they are, by field name.
PLAIN = ("subtitle", "series", "series_index", "language", "publisher", "published", "pages",
         "identifiers", "description")  # fmt: skip
READING = ("status", "progress", "rating")
DATES = ("started", "finished")
_READING_DEFAULTS = {"status": "unread", "progress": 0.0, "rating": None}

_NAMES_A_QUERY = 500  # authors looked up by name a query at a time


def cover_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cover(paths: Paths | None, cover_path: str | None) -> list[Any]:
    if cover_path is None or paths is None:
        return [cover_path, None]
    try:
        data = cover_file(paths, cover_path).read_bytes()
    except OSError:
        return [cover_path, None]
    return [cover_path, cover_hash(data)]


def read_values(book_ids: Iterable[int], paths: Paths | None = None) -> dict[int, dict[str, Any]]:
    """Each existing book's values (a missing book is left out). Without `paths` the cover is
    its path alone (its image is not read)."""
    ids = list(dict.fromkeys(book_ids))
    # Plain rows, the ids as one parameter: a model instance per book was most of the time
    # of reading many books.
    books = _rows(
        Book, "id", ("title", "sort_title", "isbn13", "isbn10", "cover_path", *PLAIN), ids
    )
    reading = (*READING, *DATES, *(f"{name}_source" for name in DATES))
    states = _rows(ReadingState, "book_id", reading, ids)
    marks: dict[int, list[str]] = {book_id: [] for book_id in ids}
    for book_id, field in database.execute_sql(
        f"SELECT book_id, field FROM book_edit WHERE book_id IN {_IDS} ORDER BY field",
        (json.dumps(ids),),
    ):
        marks[book_id].append(field)
    authors: dict[int, list[str]] = {book_id: [] for book_id in ids}
    for book_id, name in database.execute_sql(
        "SELECT l.book_id, a.name FROM book_author l JOIN author a ON a.id = l.author_id"
        f" WHERE l.book_id IN {_IDS} ORDER BY l.book_id, l.position",
        (json.dumps(ids),),
    ):
        authors[book_id].append(name)
    tags = book_tags(ids)
    languages = languages_of(ids)
    column_ids = [column.id for column in custom.columns()]
    customs = custom.book_values(ids) if column_ids else {}
    found = {}
    for book_id in ids:
        book = books.get(book_id)
        if book is None:
            continue
        values: dict[str, Any] = {name: book[name] for name in PLAIN}
        values["title"] = [book["title"], book["sort_title"]]
        values["authors"] = authors[book_id]
        values["tags"] = tags[book_id]
        values["languages"] = languages[book_id]
        values["isbn"] = [book["isbn13"], book["isbn10"]]
        values["cover"] = _cover(paths, book["cover_path"])
        state = states.get(book_id)
        for name in READING:
            values[name] = state[name] if state else _READING_DEFAULTS[name]
        for name in DATES:
            values[name] = [state[name], state[f"{name}_source"]] if state else [None, None]
        for column_id in column_ids:
            values[field_of(column_id)] = customs[book_id].get(column_id)
        values["marks"] = marks[book_id]
        found[book_id] = values
    return found


_IDS = "(SELECT value FROM json_each(?))"  # the ids given as one JSON list


def _rows(
    model: type[Book] | type[ReadingState], key: str, names: Sequence[str], ids: list[int]
) -> dict[int, dict[str, Any]]:
    """The rows of `ids` (in the column `key`): `names` as the model's fields give them."""
    fields = [model._meta.fields[name] for name in names]
    columns = ", ".join(field.column_name for field in fields)
    rows = database.execute_sql(
        f"SELECT {key}, {columns} FROM {model._meta.table_name} WHERE {key} IN {_IDS}",
        (json.dumps(ids),),
    )
    return {
        row[0]: {
            name: None if value is None else field.python_value(value)
            for name, field, value in zip(names, fields, row[1:], strict=True)
        }
        for row in rows
    }


def set_authors(book_id: int, names: list[str]) -> None:
    """The book's authors become `names`, in that order (authors new to the library added)."""
    set_authors_of({book_id: names})


def set_authors_of(books: Mapping[int, Sequence[str]]) -> None:
    """Each book's authors become its names, in that order (authors new to the library added
    with their sort name), a statement per kind of write however many books."""
    wanted = list(dict.fromkeys(name for names in books.values() for name in names))
    ids = _author_ids(wanted)
    new = [name for name in wanted if name not in ids]
    cursor = database.cursor()
    cursor.executemany(
        "INSERT INTO author (name, sort_name) VALUES (?, ?)",
        [(name, author_sort(name)) for name in new],
    )
    ids.update(_author_ids(new))
    cursor.executemany("DELETE FROM book_author WHERE book_id = ?", [(b,) for b in books])
    cursor.executemany(
        "INSERT INTO book_author (book_id, author_id, position, role) VALUES (?, ?, ?, 'aut')",
        [
            (book_id, ids[name], position)
            for book_id, names in books.items()
            for position, name in enumerate(names)
        ],
    )


def _author_ids(names: Sequence[str]) -> dict[str, int]:
    """The authors' ids by name, the names bound as they are (a name may hold any character,
    which a JSON list would not give back as it was)."""
    found: dict[str, int] = {}
    for start in range(0, len(names), _NAMES_A_QUERY):
        chunk = names[start : start + _NAMES_A_QUERY]
        rows = database.execute_sql(
            f"SELECT name, id FROM author WHERE name IN ({marks(chunk)})", tuple(chunk)
        )
        found.update((name, int(author_id)) for name, author_id in rows)
    return found


def write_values(
    book_id: int,
    values: Mapping[str, Any],
    marks: list[str] | None,
    *,
    cover_data: bytes | None = None,
    paths: Paths | None = None,
    now: float | None = None,
) -> None:
    """Write `values` (some fields of `read_values`) to the book, and its marks when given.
    `cover_data` is the image of a cover value with a hash (written to its path first)."""
    now = time.time() if now is None else now
    columns: dict[str, Any] = {n: values[n] for n in PLAIN if n in values}
    if "title" in values:
        columns["title"], columns["sort_title"] = values["title"]
    if "isbn" in values:
        columns["isbn13"], columns["isbn10"] = values["isbn"]
    if "cover" in values:
        path = values["cover"][0]
        if cover_data is not None and paths is not None and path is not None:
            write_atomically(cover_file(paths, path), cover_data)
        columns["cover_path"] = path
    customs = {
        column_id: value
        for name, value in values.items()
        if (column_id := column_of(name)) is not None
    }
    with database.atomic():
        if columns or customs or "languages" in values:
            Book.update(**columns, updated_at=now).where(Book.id == book_id).execute()
        for column_id, value in customs.items():
            custom.write(book_id, column_id, value)
        if "authors" in values:
            set_authors(book_id, list(values["authors"]))
        if "languages" in values:  # after `language`: the trigger made that the only one
            set_languages_of({book_id: list(values["languages"])})
        if "tags" in values:
            set_book_tags(book_id, values["tags"], now)
        _write_reading(book_id, values, now)
        if marks is not None:
            BookEdit.delete().where(BookEdit.book == book_id).execute()
            mark_edited(book_id, set(marks), now)


def _write_reading(book_id: int, values: Mapping[str, Any], now: float) -> None:
    row: dict[str, Any] = {n: values[n] for n in READING if n in values}
    for name in DATES:
        if name in values:
            row[name], row[f"{name}_source"] = values[name]
    if not row:
        return
    if ReadingState.get_or_none(ReadingState.book == book_id) is None:
        ReadingState.insert(book=book_id, **row, updated_at=now).execute()
    else:
        ReadingState.update(**row, updated_at=now).where(ReadingState.book == book_id).execute()
    kinds = []
    if {"status", *DATES} & set(values):
        kinds.append(outbox.STATUS)
    if "progress" in values:
        kinds.append(outbox.PROGRESS)
    if "rating" in values:
        kinds.append(outbox.RATING)
    outbox.note_change(book_id, kinds, now=now)
