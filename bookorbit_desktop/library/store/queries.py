"""Reading the library as plain data, and editing a book's reading state.

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

import datetime
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.reading import rules as reading
from bookorbit_desktop.library.reading.values import (
    check_dates,
    parse_date,
    parse_progress,
    parse_rating,
    parse_status,
)
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import (
    Author,
    Book,
    BookAuthor,
    BookFile,
    DocumentAlias,
    ReadingState,
    database,
)
from bookorbit_desktop.library.store.settings import get_setting


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()  # "leave this field as it is" in update_reading_state

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


def _reading_dict(state: ReadingState | None) -> dict[str, Any]:
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
    """Every book (or those in `book_ids`) ordered by sort title, in five queries in all."""
    wanted = None if book_ids is None else sorted(set(book_ids))
    books = Book.select().order_by(Book.sort_title, Book.id)
    if wanted is not None:
        books = books.where(Book.id.in_(wanted))
    rows = list(books)
    if not rows:
        return []
    ids = [row.id for row in rows]
    creators: dict[int, list[dict[str, Any]]] = defaultdict(list)
    author_query = (
        BookAuthor.select(BookAuthor.book, BookAuthor.role, Author.name, Author.sort_name)
        .join(Author)
        .where(BookAuthor.book.in_(ids))
        .order_by(BookAuthor.book, BookAuthor.position)
        .tuples()
    )
    for book_id, role, name, sort_name in author_query:
        creators[book_id].append({"name": name, "sort_name": sort_name, "role": role})
    documents: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    loose: dict[int, list[dict[str, Any]]] = defaultdict(list)
    alias_query = (
        DocumentAlias.select(
            DocumentAlias.book, DocumentAlias.book_file, DocumentAlias.document, DocumentAlias.kind
        )
        .where(DocumentAlias.book.in_(ids))
        .order_by(DocumentAlias.id)
        .tuples()
    )
    for book_id, file_id, document, kind in alias_query:
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
    result = []
    for row in rows:
        book = {name: getattr(row, name) for name in _BOOK_FIELDS}
        book["creators"] = creators.get(row.id, [])
        book["authors"] = author_names(book["creators"])
        book["files"] = files.get(row.id, [])
        book["other_documents"] = loose.get(row.id, [])
        book["reading"] = _reading_dict(states.get(row.id))
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


def _changed_kinds(state: ReadingState | None, values: dict[str, Any]) -> list[str]:
    """Which kinds of change (for the sync outbox) an edit makes."""
    old = {
        "status": state.status if state else "unread",
        "progress": state.progress if state else 0.0,
        "started": state.started if state else None,
        "finished": state.finished if state else None,
        "rating": state.rating if state else None,
    }
    kinds = []
    if any(values[key] != old[key] for key in ("status", "started", "finished")):
        kinds.append(outbox.STATUS)
    if values["progress"] != old["progress"]:
        kinds.append(outbox.PROGRESS)
    if values["rating"] != old["rating"]:
        kinds.append(outbox.RATING)
    return kinds


def update_reading_state(
    book_id: int,
    *,
    status: Any = UNSET,
    progress: Any = UNSET,
    started: Any = UNSET,
    finished: Any = UNSET,
    rating: Any = UNSET,
    now: float | None = None,
    today: datetime.date | None = None,
    finish_threshold: float | None = None,
) -> dict[str, Any]:
    """Change some of a book's reading state and return the new `reading` dict.

    Pass only the fields the user changed (text as typed, or typed values); `None` clears an
    optional field. Every value is validated before anything is written. A new status brings
    the dates the reading rules imply (for example "read" sets today's finish date) unless the
    same call gives those dates explicitly. A new progress without a new status moves the
    status as a device push would (`reading.set_progress`: an unread book becomes "reading",
    reaching `finish_threshold`, by default the setting, makes it "read"); when the same call
    also sets the status, the status given wins.
    """
    today = today or datetime.date.today()
    new_status = parse_status(status) if status is not UNSET else UNSET
    new_progress = parse_progress(progress) if progress is not UNSET else UNSET
    new_started = parse_date(started, field="start", today=today) if started is not UNSET else UNSET
    new_finished = (
        parse_date(finished, field="finish", today=today) if finished is not UNSET else UNSET
    )
    new_rating = parse_rating(rating) if rating is not UNSET else UNSET
    with database.atomic():
        if not Book.select().where(Book.id == book_id).exists():
            get_book(book_id)  # raises NotFoundError with the usual message
        state = ReadingState.get_or_none(ReadingState.book == book_id)
        before = reading.snapshot_of(state)
        current = before
        if new_status is not UNSET:
            current = reading.set_status(before, new_status, today).state
        elif new_progress is not UNSET:
            if finish_threshold is None:
                finish_threshold = reading.usable_threshold(get_setting("reading.finish_threshold"))
            current = reading.set_progress(before, new_progress, today, finish_threshold).state
        values = {
            "status": current.status,
            "progress": current.progress,
            "started": current.started.isoformat() if current.started else None,
            "finished": current.finished.isoformat() if current.finished else None,
            "rating": state.rating if state is not None else None,
        }
        for key, value in (
            ("progress", new_progress),
            ("started", new_started),
            ("finished", new_finished),
            ("rating", new_rating),
        ):
            if value is not UNSET:
                values[key] = value
        implied_start = new_started is UNSET and current.started not in (None, before.started)
        if implied_start and isinstance(new_finished, str) and values["started"] > new_finished:
            # "Read, finished in March" on a book never started: the start the new status
            # implied (today) cannot come after the finish the user gave in the same edit.
            values["started"] = new_finished
        check_dates(values["started"], values["finished"])
        values["updated_at"] = now if now is not None else time.time()
        if state is None:
            ReadingState.insert(book=book_id, **values).execute()
        else:
            ReadingState.update(**values).where(ReadingState.book == book_id).execute()
        outbox.note_change(book_id, _changed_kinds(state, values), now=values["updated_at"])
        return _reading_dict(ReadingState.get(ReadingState.book == book_id))
