"""Reading the library as plain data (a book's reading state is edited by `reading.edits`).

Everything returned is made of dicts, lists, strings and numbers, ready for `json.dumps` and
for Qt models; callers never touch peewee rows. A book looks like:

    {"id": 1, "title": "Dune", "subtitle": None, "sort_title": "dune",
     "authors": ["Frank Herbert"],  # role aut
     "creators": [{"name": "Frank Herbert", "sort_name": "Herbert, Frank", "role": "aut"}],
     "language": "en", "languages": ["en"],  # every language in order, the first `language`
     "series": "Dune", "series_index": 1.0, "publisher": ..., "published": "1965",
     "description": ..., "cover_path": "covers/1.jpg", "isbn13": ..., "isbn10": ...,
     "pages": 412,
     "hardcover_id": None, "hardcover_slug": None, "identifiers": {"isbn": ...},
     "added_at": 1700000000.0, "updated_at": ...,
     "files": [{"id": 1, "path": "/books/dune.epub", "format": "epub", "size": 123,
                "mtime": ..., "partial_md5": "…", "missing": False, "added_at": ...,
                "documents": [{"document": "…", "kind": "content"}, ...]}],
     "other_documents": [{"document": "…", "kind": "manual"}],  # aliases bound to no file
     "reading": {"status": "reading", "progress": 0.42, "koreader_progress": "/body/…",
                 "started": "2024-03-01", "finished": None, "rating": None,
                 "updated_at": ...}}
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.store.languages import languages_of
from bookorbit_desktop.library.store.listing import credits
from bookorbit_desktop.library.store.models import ReadingState, database
from bookorbit_desktop.library.store.sql import in_list
from bookorbit_desktop.library.tags.store import book_tags

_BOOK_FIELDS = (
    "id",
    "title",
    "subtitle",
    "sort_title",
    "language",
    "series",
    "series_index",
    "publisher",
    "published",
    "description",
    "cover_path",
    "isbn13",
    "isbn10",
    "pages",
    "hardcover_id",
    "hardcover_slug",
    "identifiers",
    "added_at",
    "updated_at",
)


_READING_FIELDS = (
    "status",
    "progress",
    "koreader_progress",
    "started",
    "finished",
    "rating",
    "updated_at",
)
_FILE_FIELDS = ("id", "path", "format", "size", "mtime", "partial_md5", "missing", "added_at")


def reading_dict(state: ReadingState | None) -> dict[str, Any]:
    if state is None:
        return {
            "status": "unread",
            "progress": 0.0,
            "koreader_progress": None,
            "started": None,
            "finished": None,
            "rating": None,
            "updated_at": None,
        }
    return {name: getattr(state, name) for name in _READING_FIELDS}


def _rows(sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
    return database.execute_sql(sql, tuple(params)).fetchall()


def list_books(book_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Every book (or those in `book_ids`) ordered by sort title, in seven queries in all.

    The rows are read as plain tuples (a page of 1,000 books in about half the time peewee's
    model objects take): the columns hold what the models' fields give, but for the
    identifiers' JSON text and the files' 0/1 `missing`, converted here."""
    wanted = None if book_ids is None else sorted(set(book_ids))
    where = "1" if wanted is None else in_list("id", wanted)
    rows = _rows(
        f"SELECT {', '.join(_BOOK_FIELDS)} FROM book WHERE {where} ORDER BY sort_title, id",
        wanted or (),
    )
    if not rows:
        return []
    ids = [row[0] for row in rows]
    creators = credits(ids)
    documents: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    loose: dict[int, list[dict[str, Any]]] = defaultdict(list)
    aliases = _rows(
        "SELECT book_id, book_file_id, document, kind FROM document_alias"
        f" WHERE {in_list('book_id', ids)} ORDER BY id",
        ids,
    )
    for book_id, file_id, document, kind in aliases:
        entry = {"document": document, "kind": kind}
        (documents[file_id] if file_id is not None else loose[book_id]).append(entry)
    files: dict[int, list[dict[str, Any]]] = defaultdict(list)
    file_rows = _rows(
        f"SELECT book_id, {', '.join(_FILE_FIELDS)} FROM book_file"
        f" WHERE {in_list('book_id', ids)} ORDER BY id",
        ids,
    )
    for book_id, *values in file_rows:
        file = dict(zip(_FILE_FIELDS, values, strict=True))
        file["missing"] = bool(file["missing"])
        file["documents"] = documents.get(file["id"], [])
        files[book_id].append(file)
    states = {
        book_id: dict(zip(_READING_FIELDS, values, strict=True))
        for book_id, *values in _rows(
            f"SELECT book_id, {', '.join(_READING_FIELDS)} FROM reading_state"
            f" WHERE {in_list('book_id', ids)}",
            ids,
        )
    }
    tags = book_tags(ids)
    languages = languages_of(ids)
    custom = custom_values(ids)
    identifiers = _BOOK_FIELDS.index("identifiers")
    result = []
    for row in rows:
        book = dict(zip(_BOOK_FIELDS, row, strict=True))
        if row[identifiers] is not None:
            book["identifiers"] = json.loads(row[identifiers])
        book_id = book["id"]
        book["creators"] = creators.get(book_id, [])
        book["authors"] = author_names(book["creators"])
        book["languages"] = languages[book_id]  # in order, `language` the first
        book["tags"] = tags[book_id]
        book["custom"] = custom.get(book_id, {})
        book["files"] = files.get(book_id, [])
        book["other_documents"] = loose.get(book_id, [])
        book["reading"] = states.get(book_id) or reading_dict(None)
        result.append(book)
    return result


def custom_values(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each book's custom columns' values (those it has), by the label a search names."""
    rows = _rows(
        "SELECT v.book_id, c.label, v.value FROM custom_value v"
        f" JOIN custom_column c ON c.id = v.column_id WHERE {in_list('v.book_id', ids)}"
        " ORDER BY c.label",
        ids,
    )
    found: dict[int, dict[str, Any]] = defaultdict(dict)
    for book_id, label, value in rows:
        found[book_id][label] = json.loads(value)
    return found


def listing_lines(book_ids: Iterable[int]) -> list[dict[str, Any]]:
    """What a line of the `books` listing shows of each book in `book_ids` (in no particular
    order): {"id", "title", "authors", "status", "progress", "formats"}, the values
    `list_books` gives (`authors`, the reading state's `status` and `progress`) and the
    distinct formats of the book's files, sorted. Three queries, and none of the rest of a
    record read or built: a page of lines costs about half a page of records."""
    ids = sorted(set(book_ids))
    if not ids:
        return []
    rows = _rows(
        "SELECT b.id, b.title, rs.status, rs.progress FROM book b"
        f" LEFT JOIN reading_state rs ON rs.book_id = b.id WHERE {in_list('b.id', ids)}",
        ids,
    )
    creators = credits(ids)
    formats: dict[int, set[str]] = defaultdict(set)
    for book_id, file_format in _rows(
        f"SELECT book_id, format FROM book_file WHERE {in_list('book_id', ids)}", ids
    ):
        formats[book_id].add(file_format)
    unread = reading_dict(None)
    return [
        {
            "id": book_id,
            "title": title,
            "authors": author_names(creators.get(book_id, [])),
            # A state's status is never NULL: NULL there is a book without one.
            "status": unread["status"] if status is None else status,
            "progress": unread["progress"] if status is None else progress,
            "formats": sorted(formats.get(book_id, ())),
        }
        for book_id, title, status, progress in rows
    ]


def author_names(creators: list[dict[str, Any]]) -> list[str]:
    """The authors among a book's creators; editors and the like only when there is no author
    (an anthology credited to its editor still shows a name)."""
    authors = [creator["name"] for creator in creators if creator["role"] == "aut"]
    return authors or [creator["name"] for creator in creators]


def get_book(book_id: int) -> dict[str, Any]:
    """One book as `list_books` shows it; NotFoundError when there is no such book."""
    found = list_books([book_id])
    if not found:
        raise NotFoundError(
            f"There is no book with id {book_id}. List the library with "
            "`bookorbit-desktop books` to see the ids."
        )
    return found[0]
