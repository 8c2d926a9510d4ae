"""Reading the library as plain data (a book's reading state is edited by `reading.edits`).

Everything returned is made of dicts, lists, strings and numbers, ready for `json.dumps` and
for Qt models; callers never touch peewee rows. A book looks like:

    {"id": 1, "title": "Dune", "sort_title": "dune", "authors": ["Frank Herbert"],  # role aut
     "creators": [{"name": "Frank Herbert", "sort_name": "Herbert, Frank", "role": "aut"}],
     "language": "en", "series": "Dune", "series_index": 1.0, "publisher": ..., "published":
     "1965", "description": ..., "cover_path": "covers/1.jpg", "isbn13": ..., "isbn10": ...,
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

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.store.listing import credits
from bookorbit_desktop.library.store.models import (
    Book,
    BookFile,
    DocumentAlias,
    ReadingState,
)
from bookorbit_desktop.library.store.typed import tuples
from bookorbit_desktop.library.tags.store import book_tags

_BOOK_FIELDS = (
    "id",
    "title",
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
    "hardcover_id",
    "hardcover_slug",
    "identifiers",
    "added_at",
    "updated_at",
)


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
    return {
        "status": state.status,
        "progress": state.progress,
        "koreader_progress": state.koreader_progress,
        "started": state.started,
        "finished": state.finished,
        "rating": state.rating,
        "updated_at": state.updated_at,
    }


def list_books(book_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Every book (or those in `book_ids`) ordered by sort title, in six queries in all."""
    wanted = None if book_ids is None else sorted(set(book_ids))
    books = Book.select().order_by(Book.sort_title, Book.id)
    if wanted is not None:
        books = books.where(Book.id.in_(wanted))
    rows = list(books)
    if not rows:
        return []
    ids = [row.id for row in rows]
    creators = {
        book_id: [credit._asdict() for credit in found] for book_id, found in credits(ids).items()
    }
    documents: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    loose: dict[int, list[dict[str, Any]]] = defaultdict(list)
    alias_query = (
        DocumentAlias.select(
            DocumentAlias.book, DocumentAlias.book_file, DocumentAlias.document, DocumentAlias.kind
        )
        .where(DocumentAlias.book.in_(ids))
        .order_by(DocumentAlias.id)
    )
    for book_id, file_id, document, kind in tuples(alias_query):
        entry = {"document": document, "kind": kind}
        (documents[file_id] if file_id is not None else loose[book_id]).append(entry)
    files: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for file in BookFile.select().where(BookFile.book.in_(ids)).order_by(BookFile.id):
        files[file.book_id].append(
            {
                "id": file.id,
                "path": file.path,
                "format": file.format,
                "size": file.size,
                "mtime": file.mtime,
                "partial_md5": file.partial_md5,
                "missing": bool(file.missing),
                "added_at": file.added_at,
                "documents": documents.get(file.id, []),
            }
        )
    states = {
        state.book_id: state for state in ReadingState.select().where(ReadingState.book.in_(ids))
    }
    tags = book_tags(ids)
    result = []
    for row in rows:
        book = {name: getattr(row, name) for name in _BOOK_FIELDS}
        book["creators"] = creators.get(row.id, [])
        book["authors"] = author_names(book["creators"])
        book["tags"] = tags[row.id]
        book["files"] = files.get(row.id, [])
        book["other_documents"] = loose.get(row.id, [])
        book["reading"] = reading_dict(states.get(row.id))
        result.append(book)
    return result


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
