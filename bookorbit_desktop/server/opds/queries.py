"""The library as the catalog sees it: pages of books, authors and series, search, downloads.

Every list has a total order ending in the book's (or author's) id and is paged by sort key
(`paging`), so pages never overlap or skip entries, even while books come and go. Only books
with at least one file not flagged missing are listed. Results are plain dataclasses; the
feeds never touch the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peewee import SqliteDatabase

from bookorbit_desktop.library.store import listing
from bookorbit_desktop.library.store.keyset import Cursor, Order
from bookorbit_desktop.library.store.models import (
    ALIAS_FILENAME,
    BookFile,
    DocumentAlias,
    database,
)
from bookorbit_desktop.library.store.sql import AVAILABLE, OUTSIDE_INBOX, available
from bookorbit_desktop.library.store.sql import marks as in_marks
from bookorbit_desktop.library.store.title_order import BY_TITLE as BY_TITLE
from bookorbit_desktop.server.opds.paging import Listing, Page

CURRENTLY_READING = ("reading", "rereading")
WANT_TO_READ = ("want_to_read",)
READ = ("read",)


@dataclass(frozen=True)
class FileEntry:
    id: int
    format: str
    size: int


@dataclass(frozen=True)
class BookEntry:
    id: int
    title: str
    subtitle: str | None
    authors: tuple[str, ...]
    languages: tuple[str, ...]  # in order, the first the main one
    series: str | None
    series_index: float | None
    publisher: str | None
    published: str | None
    description: str | None
    isbn13: str | None
    pages: int | None  # the book's printed pages, when the user or a source gave them
    cover_path: str | None
    added_at: float
    updated_at: float
    files: tuple[FileEntry, ...]


@dataclass(frozen=True)
class AuthorEntry:
    id: int
    name: str
    books: int


@dataclass(frozen=True)
class SeriesEntry:
    name: str
    books: int


@dataclass(frozen=True)
class DownloadTarget:
    file_id: int
    book_id: int
    path: str
    format: str
    missing: bool
    title: str
    authors: tuple[str, ...]
    size: int = -1  # as imported: a file of another size is not the book any more
    partial_md5: str = ""


def _db() -> SqliteDatabase:
    return database.obj


def _rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return list(_db().execute_sql(sql, tuple(params)).fetchall())


def _scalar(sql: str, params: Sequence[Any] = ()) -> int:
    return int(_rows(sql, params)[0][0])


def load_books(ids: Sequence[int]) -> list[BookEntry]:
    """The books with these ids, in the same order, with their authors and present files."""
    if not ids:
        return []
    marks = in_marks(ids)
    authors = listing.names(ids, _db())
    files: dict[int, list[FileEntry]] = {}
    for file_id, book_id, fmt, size in _rows(
        f"SELECT id, book_id, format, size FROM book_file WHERE book_id IN ({marks})"
        " AND missing = 0 ORDER BY id",
        ids,
    ):
        files.setdefault(book_id, []).append(FileEntry(file_id, fmt, size))
    languages: dict[int, list[str]] = {}
    for book_id, code in _rows(
        f"SELECT book_id, code FROM book_language WHERE book_id IN ({marks})"
        " ORDER BY book_id, position",
        ids,
    ):
        languages.setdefault(book_id, []).append(code)
    books = {}
    for row in _rows(
        "SELECT id, title, language, series, series_index, publisher, published, description,"
        f" isbn13, cover_path, added_at, updated_at, subtitle, pages FROM book"
        f" WHERE id IN ({marks})",
        ids,
    ):
        book_id = row[0]
        books[book_id] = BookEntry(
            id=book_id,
            title=row[1],
            subtitle=row[12],
            authors=tuple(authors.get(book_id, ())),
            languages=tuple(languages.get(book_id, ())),
            series=row[3],
            series_index=row[4],
            publisher=row[5],
            published=row[6],
            description=row[7],
            isbn13=row[8],
            pages=row[13],
            cover_path=row[9],
            added_at=row[10],
            updated_at=row[11],
            files=tuple(files.get(book_id, ())),
        )
    return [books[book_id] for book_id in ids if book_id in books]


# The orders of the lists; the indexes of `library.store.catalog_indexes` (the authors':
# `author_sort_schema`; titles: `sort_keys_schema`) serve them. By title is the library's
# title order (`store.title_order`), the window's: the stored folded keys `k`.
NEWEST = Order((("b.added_at", True), ("b.id", True)))
# A series' books by their number (those without one last), then by title.
IN_SERIES = Order(
    (("(b.series_index IS NULL)", False), ("coalesce(b.series_index, 0)", False), *BY_TITLE.columns)
)
# The series' books from the series index, each one's title keys looked up by its id.
_SERIES_BOOKS = "book b CROSS JOIN book_sort_key k ON k.book_id = b.id"
# The condition of the reading shelves' index (`store.pushed_keys_schema`: it leaves the
# unread books out), said in a shelf's query so SQLite reads the shelf from it.
SHELVED = "r.status != 'unread'"
# The book's id as the reading row holds it (`r.book_id`, equal to `b.id`): the index ends in
# it, so books whose states changed at the same moment (a bulk edit, a pull from Hardcover)
# come from the index in order; by `b.id`, SQLite sorted every one of them for each page.
BY_STATE_CHANGE = Order((("r.updated_at", True), ("r.book_id", True)))
# Latest finish first; books without a finish date last (the empty text sorts before every
# date), by their latest change. One direction, as `store.finished_index_schema` holds it.
BY_FINISH = Order((("coalesce(r.finished, '')", True), *BY_STATE_CHANGE.columns))
AUTHORS = Order((("a.sort_key", False), ("a.id", False)))
SERIES = Order((("lower(b.series)", False), ("b.series", False)))


def _book_page(
    where: str,
    params: Sequence[Any],
    order: Order,
    cursor: Cursor,
    size: int,
    source: str = "book b",
    arms: Sequence[tuple[str, Sequence[Any]]] = (("1", ()),),
) -> Page[BookEntry]:
    """The page at `cursor` of the listed books of `source` (the book `b`) meeting `where`."""
    books = Listing(source, f"{AVAILABLE} AND ({where})", params, order, arms=arms)
    rows, previous, following = books.page("b.id", cursor, size)
    return Page(load_books([row[0] for row in rows]), size, cursor, previous, following)


def titled_books(where: str, params: Sequence[Any], cursor: Cursor, size: int) -> Page[BookEntry]:
    """The page at `cursor` of the listed books meeting `where` (on the book's title keys `k`:
    `k.book_id` is its id), by title. The keys are read alone, from their index (all books)
    or by id (a group's books, sorted among themselves)."""
    books = Listing("book_sort_key k", f"{available('k.book_id')} AND ({where})", params, BY_TITLE)
    rows, previous, following = books.page("k.book_id", cursor, size)
    return Page(load_books([row[0] for row in rows]), size, cursor, previous, following)


def recently_added(cursor: Cursor, size: int) -> Page[BookEntry]:
    """Newest first; KOReader's catalog sync stops at the first book it already has."""
    return _book_page("1", (), NEWEST, cursor, size)


def all_books(cursor: Cursor, size: int) -> Page[BookEntry]:
    return titled_books("1", (), cursor, size)


def books_by_author(author_id: int, cursor: Cursor, size: int) -> Page[BookEntry]:
    where = "k.book_id IN (SELECT ba.book_id FROM book_author ba WHERE ba.author_id = ?)"
    return titled_books(where, (author_id,), cursor, size)


def books_in_series(series: str, cursor: Cursor, size: int) -> Page[BookEntry]:
    return _book_page("b.series = ?", (series,), IN_SERIES, cursor, size, _SERIES_BOOKS)


def books_with_status(statuses: Sequence[str], cursor: Cursor, size: int) -> Page[BookEntry]:
    """Books whose reading status is one of `statuses`, most recently changed first (finished
    books: latest finish first). Each status is read from the shelves' index on its own."""
    read = tuple(statuses) == READ
    order = BY_FINISH if read else BY_STATE_CHANGE
    # Named for the Read shelf: without the library's statistics (it has none) SQLite guesses
    # a status holds a handful of books, and would rather sort them than walk this index.
    index = "INDEXED BY reading_state_finished " if read else ""
    source = f"book b JOIN reading_state r {index}ON r.book_id = b.id"
    # Each status written out, not bound: SQLite uses a partial index (the Read shelf's) only
    # for a query whose own text says its condition.
    arms = [(f"r.status = '{_shelf_status(status)}'", ()) for status in dict.fromkeys(statuses)]
    return _book_page(SHELVED, (), order, cursor, size, source, arms)


def _shelf_status(status: str) -> str:
    if status not in {*CURRENTLY_READING, *WANT_TO_READ, *READ}:
        raise ValueError(f"not a shelf's status: {status!r}")
    return status


def author_name(author_id: int) -> str | None:
    rows = _rows("SELECT name FROM author WHERE id = ?", (author_id,))
    return rows[0][0] if rows else None


def authors(cursor: Cursor, size: int) -> Page[AuthorEntry]:
    """Authors of at least one listed book, by sort text (folded: `author_sort_schema`)."""
    has_books = (
        "EXISTS (SELECT 1 FROM book_author ba JOIN book b ON b.id = ba.book_id"
        f" WHERE ba.author_id = a.id AND {AVAILABLE})"
    )
    rows, previous, following = Listing("author a", has_books, (), AUTHORS).page(
        "a.id, a.name", cursor, size
    )
    items = []
    for author_id, name in rows:
        count = _scalar(
            "SELECT count(DISTINCT b.id) FROM book_author ba JOIN book b ON b.id = ba.book_id"
            f" WHERE ba.author_id = ? AND {AVAILABLE}",
            (author_id,),
        )
        items.append(AuthorEntry(author_id, name, count))
    return Page(items, size, cursor, previous, following)


def series(cursor: Cursor, size: int) -> Page[SeriesEntry]:
    """Series of listed books, by name."""
    # `lower(b.series) > ''` starts the index scan past the books without a series.
    where = f"lower(b.series) > '' AND trim(b.series) != '' AND {AVAILABLE}"
    names = Listing("book b", where, (), SERIES, group_by=SERIES.expressions)
    rows, previous, following = names.page("b.series, count(*)", cursor, size)
    items = [SeriesEntry(name, count) for name, count in rows]
    return Page(items, size, cursor, previous, following)


def cover_of(book_id: int) -> tuple[str, list[str]] | None:
    """The book's cover path (relative to the data folder) and the paths of its files present
    on disk (the cover is made from one of them when first asked for), if it has a cover."""
    rows = _rows("SELECT cover_path FROM book WHERE id = ?", (book_id,))
    if not rows or not rows[0][0]:
        return None
    files = _rows(
        "SELECT path FROM book_file WHERE book_id = ? AND NOT missing ORDER BY id", (book_id,)
    )
    return rows[0][0], [path for (path,) in files]


def download_target(file_id: int) -> DownloadTarget | None:
    rows = _rows(
        "SELECT f.id, f.book_id, f.path, f.format, f.missing, b.title, f.size, f.partial_md5"
        f" FROM book_file f JOIN book b ON b.id = f.book_id WHERE f.id = ? AND {OUTSIDE_INBOX}",
        (file_id,),
    )
    if not rows:
        return None
    fid, book_id, path, fmt, missing, title, size, digest = rows[0]
    names = _rows(
        "SELECT a.name FROM book_author ba JOIN author a ON a.id = ba.author_id"
        " WHERE ba.book_id = ? ORDER BY ba.position",
        (book_id,),
    )
    authors = tuple(name for (name,) in names)
    return DownloadTarget(fid, book_id, path, fmt, bool(missing), title, authors, size, digest)


def mark_missing(file_id: int, missing: bool = True) -> None:
    """Record whether the file is gone from disk (the library shows it; feeds skip it)."""
    BookFile.update(missing=missing).where(
        (BookFile.id == file_id) & (BookFile.missing != missing)
    ).execute()


def register_filename_aliases(
    book_id: int, file_id: int, documents: Sequence[str], now: float
) -> None:
    """Link KOReader "filename" document ids to the book; registering twice changes nothing."""
    rows = [
        {
            "document": document,
            "kind": ALIAS_FILENAME,
            "book": book_id,
            "book_file": file_id,
            "created_at": now,
        }
        for document in dict.fromkeys(documents)
    ]
    if rows:
        DocumentAlias.insert_many(rows).on_conflict_ignore().execute()
