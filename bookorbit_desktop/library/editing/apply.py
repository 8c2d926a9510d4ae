"""Save a checked edit (`values.BookChanges`) to one book or several, and mark the fields.

Every book is checked to exist before anything is written; then all of them change in one
transaction, with the fields marked "edited by the user" (`store.user_edits`) so that an import
that re-reads the book's file leaves them as they are. The change-log triggers tell the window,
the OPDS catalog and Hardcover matching; the book's file is not rewritten (`file_write` does
that, on the user's request). Each edit is one step of the change journal (`library.journal`),
or part of a bulk action's step when one is given.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.editing.values import UNSET, BookChanges, check_shared
from bookorbit_desktop.library.journal.book_values import set_authors
from bookorbit_desktop.library.journal.record import recording
from bookorbit_desktop.library.journal.rules import books_label
from bookorbit_desktop.library.metadata.covers import write_cover
from bookorbit_desktop.library.metadata.naming import sort_title
from bookorbit_desktop.library.store.found import check_found
from bookorbit_desktop.library.store.languages import set_languages_of
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.user_edits import mark_edited


def edit_books(
    book_ids: Sequence[int],
    changes: BookChanges,
    paths: Paths,
    *,
    clock: Callable[[], float] = time.time,
    step: int | None = None,
    verb: str = "Edit",
) -> list[int]:
    """Apply `changes` to every book of `book_ids`; return the ids saved (in the order given).
    The edit is a journal step of its own named by `verb` ("Edit “Emma”"), or part of `step`
    (a bulk action's) when given.

    NotFoundError when a book does not exist, InvalidValueError when the edit is empty or gives
    several books a field that belongs to one; nothing is written then."""
    ids = list(dict.fromkeys(book_ids))
    changed = changes.changed()
    if not ids or not changed:
        raise InvalidValueError("Nothing to change. Give at least one book and one new value.")
    check_shared(changes, len(ids))
    found = {book.id: book for book in Book.select().where(Book.id.in_(ids))}
    check_found(ids, found)
    now = clock()
    label = books_label(verb, [found[book_id].title for book_id in ids])
    # The covers' images are read (to keep the old one) only when the edit gives a cover.
    covers = changes.cover is not UNSET
    with (
        recording(label, ids, paths=paths, covers=covers, step=step, clock=clock),
        database.atomic(),
    ):
        # The cover file is written first: a failure to write it leaves the library as it was.
        cover_path = None
        if changes.cover is not UNSET:
            cover_path = write_cover(paths, ids[0], changes.cover)
        for book_id in ids:
            columns = _columns(found[book_id], changes)
            if cover_path is not None:
                columns["cover_path"] = cover_path
            Book.update(**columns, updated_at=now).where(Book.id == book_id).execute()
            if changes.authors is not UNSET:
                set_authors(book_id, changes.authors)
            if changes.language is not UNSET:
                set_languages_of({book_id: changes.language})
            mark_edited(book_id, set(changed), now)
    return ids


def _columns(book: Book, changes: BookChanges) -> dict[str, Any]:
    """The book's columns this edit sets."""
    columns: dict[str, Any] = {}
    if changes.language is not UNSET:  # the first language (`store.languages` writes them all)
        columns["language"] = changes.language[0] if changes.language else None
    if changes.title is not UNSET:
        language = columns["language"] if changes.language is not UNSET else book.language
        columns["title"] = changes.title
        columns["sort_title"] = sort_title(changes.title, language)
    if changes.series is not UNSET:
        columns["series"] = changes.series
        if changes.series is None:  # no series, no number in it
            columns["series_index"] = None
    if changes.series_index is not UNSET:
        columns["series_index"] = changes.series_index
    if changes.identifiers is not UNSET:
        columns["identifiers"] = changes.identifiers
    if changes.isbn is not UNSET:
        columns["isbn13"] = changes.isbn.isbn13 if changes.isbn else None
        columns["isbn10"] = changes.isbn.isbn10 if changes.isbn else None
        # The identifiers hold the ISBN too: the one the edit gives, or none.
        given = columns.get("identifiers", book.identifiers) or {}
        identifiers = {k: v for k, v in given.items() if k != "isbn"}
        columns["identifiers"] = (
            {"isbn": changes.isbn.isbn13, **identifiers} if changes.isbn else identifiers
        )
    for name in ("subtitle", "publisher", "published", "pages", "description"):
        value = getattr(changes, name)
        if value is not UNSET:
            columns[name] = value
    return columns
