"""Bring a calibre library in: its books' files imported where they are (no copy) by the one
importer (dedupe, digests, document aliases), then every field calibre keeps laid on the books
they became, as one undo step.

A field the user edited here (`store.user_edits`) is left as it is, as a re-import of a file
leaves it; the reading status and the rating are filled only while the book has none of its
own. Running it again lays on what changed since: a book whose calibre `last_modified` is the
one brought last time is skipped (`links`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.descriptions import clean_description
from bookorbit_desktop.library.importer.calibre import links
from bookorbit_desktop.library.importer.calibre.reader import CalibreBook, read_library
from bookorbit_desktop.library.importer.complete import import_sources
from bookorbit_desktop.library.importer.summary import ImportSummary, ProgressCallback
from bookorbit_desktop.library.journal.book_values import set_authors
from bookorbit_desktop.library.journal.record import EDIT, finish_step, recording, start_step
from bookorbit_desktop.library.metadata.covers import store_cover
from bookorbit_desktop.library.metadata.languages import normalize_language
from bookorbit_desktop.library.metadata.naming import sort_title
from bookorbit_desktop.library.reading.rules import READ, READING, UNREAD, WANT_TO_READ
from bookorbit_desktop.library.store.models import Book, BookFile, ReadingState, database
from bookorbit_desktop.library.store.user_edits import edited_fields
from bookorbit_desktop.library.tags.store import set_book_tags

_STATUS_WORDS = {"read": READ, "done": READ, "finished": READ, "reading": READING}
_WANT_WORDS = ("to read", "want", "to-read")


@dataclass
class CalibreSummary:
    files: ImportSummary
    books: int  # calibre's books
    brought: int = 0  # books whose calibre fields were laid on
    missing: list[Path] = field(default_factory=list)  # files calibre lists that are not there


def import_calibre(
    folder: str | Path,
    paths: Paths,
    *,
    open_library: Callable[[], object] | None = None,
    progress: ProgressCallback | None = None,
    status_column: str | None = None,
    clock: Callable[[], float] = time.time,
) -> CalibreSummary:
    """Bring the calibre library in `folder` in (module docstring). InvalidValueError when it
    is no readable calibre library; nothing is written then."""
    books, columns = read_library(folder)
    if status_column is not None:
        label = status_column.removeprefix("#")
        if label not in {c.label for c in columns}:
            from bookorbit_desktop.errors import InvalidValueError

            known = ", ".join(f"#{c.label}" for c in columns) or "none"
            raise InvalidValueError(f"The library has no column #{label} (its columns: {known}).")
        status_column = label
    present = [f for book in books for f in book.files if f.is_file()]
    missing = [f for book in books for f in book.files if not f.is_file()]
    files = import_sources(
        [str(f) for f in present], paths, open_library=open_library, progress=progress
    )
    summary = CalibreSummary(files, len(books), missing=missing)
    if open_library is not None:
        open_library()  # when every file was known, the file import needed no library
    root = str(Path(folder).expanduser().resolve())
    targets = _targets(books)
    if not targets:
        return summary
    now = clock()
    earlier = links.brought(root)
    changed = [(b, i) for b, i in targets if earlier.get(b.id) != (i, b.last_modified)]
    if not changed:
        return summary
    step = start_step(EDIT, "Add calibre Library", now, paths)
    with (
        recording(
            "Add calibre Library", [i for _, i in changed], paths=paths, step=step, clock=clock
        ),
        database.atomic(),
    ):
        for book, book_id in changed:
            _lay_on(book, book_id, paths, now, status_column)
            links.keep(root, book.id, book_id, book.last_modified)
            links.keep_custom(book_id, columns, book.custom)
    summary.brought = finish_step(step, lambda n: f"Add calibre Library ({n} books)")
    return summary


def _targets(books: list[CalibreBook]) -> list[tuple[CalibreBook, int]]:
    """Each calibre book with the book its first imported file became."""
    found: list[tuple[CalibreBook, int]] = []
    for book in books:
        names = [str(f.resolve()) for f in book.files] + [str(f) for f in book.files]
        row = BookFile.select(BookFile.book).where(BookFile.path.in_(names)).first()
        if row is not None:
            found.append((book, row.book_id))
    return found


def _lay_on(
    book: CalibreBook, book_id: int, paths: Paths, now: float, status_column: str | None
) -> None:
    edited = edited_fields(book_id)
    language = normalize_language(book.languages[0]) if book.languages else None
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
    if "identifiers" not in edited and "isbn" in book.identifiers:
        columns["isbn13"] = book.identifiers["isbn"]
    wanted = {k: v for k, v in columns.items() if k not in edited and k not in {"isbn13"}}
    if "isbn13" in columns and "isbn" not in edited:
        wanted["isbn13"] = columns["isbn13"]
    if "title" in wanted:
        wanted["sort_title"] = book.sort or sort_title(book.title, language)
    if "cover" not in edited and book.cover is not None and book.cover.is_file():
        cover_path = store_cover(paths, book_id, book.cover.read_bytes())
        if cover_path is not None:
            wanted["cover_path"] = cover_path
    Book.update(**wanted, updated_at=now).where(Book.id == book_id).execute()
    if "authors" not in edited and book.authors:
        names = [name for name, _ in book.authors]
        if names != _author_names(book_id):  # the file's own authors are often calibre's
            set_authors(book_id, names)
        for name, sort in book.authors:
            database.execute_sql(
                "UPDATE author SET sort_name = ? WHERE name = ? AND sort_name != ?",
                (sort, name, sort),
            )
    if "tags" not in edited:
        set_book_tags(book_id, book.tags, now)
    _reading(book, book_id, now, status_column)


def _author_names(book_id: int) -> list[str]:
    rows = database.execute_sql(
        "SELECT a.name FROM book_author l JOIN author a ON a.id = l.author_id"
        " WHERE l.book_id = ? ORDER BY l.position",
        (book_id,),
    )
    return [name for (name,) in rows]


def _reading(book: CalibreBook, book_id: int, now: float, status_column: str | None) -> None:
    """The rating and the status from calibre, where the book has none of its own."""
    status = _status(book.custom.get(status_column)) if status_column else None
    if book.rating is None and status is None:
        return
    state = database.execute_sql(
        "SELECT status, rating FROM reading_state WHERE book_id = ?", (book_id,)
    ).fetchone()
    changes: dict[str, Any] = {}
    if book.rating is not None and (state is None or state[1] is None):
        changes["rating"] = book.rating
    if status is not None and (state is None or state[0] == UNREAD):
        changes["status"] = status
    if not changes:
        return
    if state is None:
        ReadingState.create(book=book_id, updated_at=now, **changes)
    else:
        ReadingState.update(**changes, updated_at=now).where(ReadingState.book == book_id).execute()


def _status(value: object) -> str | None:
    """A calibre column's value as a reading status: yes/no (yes: read) or a word."""
    if isinstance(value, bool):
        return READ if value else None
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if any(word in text for word in _WANT_WORDS):
        return WANT_TO_READ
    return _STATUS_WORDS.get(text)
