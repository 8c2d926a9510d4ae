"""The library as the catalog sees it: pages of books, authors and series, search, downloads.

Every list has a total order ending in the book's (or author's) id, so pages never overlap or
skip entries while the library is unchanged. Only books with at least one file not flagged
missing are listed. Results are plain dataclasses; the feeds never touch the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from peewee import SqliteDatabase

from bookorbit_desktop.library.store import listing
from bookorbit_desktop.library.store.models import (
    ALIAS_FILENAME,
    BookFile,
    DocumentAlias,
    database,
)
from bookorbit_desktop.library.store.sql import marks as in_marks

T = TypeVar("T")

_AVAILABLE = "EXISTS (SELECT 1 FROM book_file f WHERE f.book_id = b.id AND f.missing = 0)"

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
    authors: tuple[str, ...]
    language: str | None
    series: str | None
    series_index: float | None
    publisher: str | None
    published: str | None
    description: str | None
    isbn13: str | None
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
class Page(Generic[T]):
    items: list[T]
    number: int  # 1-based
    size: int
    total: int

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.last

    @property
    def has_previous(self) -> bool:
        return self.number > 1


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
    books = {}
    for row in _rows(
        "SELECT id, title, language, series, series_index, publisher, published, description,"
        f" isbn13, cover_path, added_at, updated_at FROM book WHERE id IN ({marks})",
        ids,
    ):
        book_id = row[0]
        books[book_id] = BookEntry(
            id=book_id,
            title=row[1],
            authors=tuple(authors.get(book_id, ())),
            language=row[2],
            series=row[3],
            series_index=row[4],
            publisher=row[5],
            published=row[6],
            description=row[7],
            isbn13=row[8],
            cover_path=row[9],
            added_at=row[10],
            updated_at=row[11],
            files=tuple(files.get(book_id, ())),
        )
    return [books[book_id] for book_id in ids if book_id in books]


def _book_page(
    where: str, params: Sequence[Any], order: str, page: int, size: int, join: str = ""
) -> Page[BookEntry]:
    condition = f"{_AVAILABLE} AND ({where})"
    total = _scalar(f"SELECT count(*) FROM book b {join} WHERE {condition}", params)
    ids = [
        row[0]
        for row in _rows(
            f"SELECT b.id FROM book b {join} WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, size, (page - 1) * size],
        )
    ]
    return Page(load_books(ids), page, size, total)


def recently_added(page: int, size: int) -> Page[BookEntry]:
    """Newest first; KOReader's catalog sync stops at the first book it already has."""
    return _book_page("1", (), "b.added_at DESC, b.id DESC", page, size)


def all_books(page: int, size: int) -> Page[BookEntry]:
    return _book_page("1", (), "b.sort_title, b.id", page, size)


def books_by_author(author_id: int, page: int, size: int) -> Page[BookEntry]:
    where = "EXISTS (SELECT 1 FROM book_author ba WHERE ba.book_id = b.id AND ba.author_id = ?)"
    return _book_page(where, (author_id,), "b.sort_title, b.id", page, size)


def books_in_series(series: str, page: int, size: int) -> Page[BookEntry]:
    order = "b.series_index IS NULL, b.series_index, b.sort_title, b.id"
    return _book_page("b.series = ?", (series,), order, page, size)


def books_with_status(statuses: Sequence[str], page: int, size: int) -> Page[BookEntry]:
    """Books whose reading status is one of `statuses`, most recently changed first."""
    marks = in_marks(statuses)
    order = "r.updated_at DESC, b.id DESC"
    if tuple(statuses) == READ:
        order = "r.finished IS NULL, r.finished DESC, " + order
    join = "JOIN reading_state r ON r.book_id = b.id"
    return _book_page(f"r.status IN ({marks})", statuses, order, page, size, join)


def author_name(author_id: int) -> str | None:
    rows = _rows("SELECT name FROM author WHERE id = ?", (author_id,))
    return rows[0][0] if rows else None


def authors(page: int, size: int) -> Page[AuthorEntry]:
    """Authors of at least one listed book, by sort name."""
    has_books = (
        "EXISTS (SELECT 1 FROM book_author ba JOIN book b ON b.id = ba.book_id"
        f" WHERE ba.author_id = a.id AND {_AVAILABLE})"
    )
    total = _scalar(f"SELECT count(*) FROM author a WHERE {has_books}")
    rows = _rows(
        f"SELECT a.id, a.name FROM author a WHERE {has_books}"
        " ORDER BY a.sort_name, a.id LIMIT ? OFFSET ?",
        (size, (page - 1) * size),
    )
    items = []
    for author_id, name in rows:
        count = _scalar(
            "SELECT count(DISTINCT b.id) FROM book_author ba JOIN book b ON b.id = ba.book_id"
            f" WHERE ba.author_id = ? AND {_AVAILABLE}",
            (author_id,),
        )
        items.append(AuthorEntry(author_id, name, count))
    return Page(items, page, size, total)


def series(page: int, size: int) -> Page[SeriesEntry]:
    """Series of listed books, by name."""
    where = f"b.series IS NOT NULL AND trim(b.series) != '' AND {_AVAILABLE}"
    total = _scalar(f"SELECT count(DISTINCT b.series) FROM book b WHERE {where}")
    rows = _rows(
        f"SELECT b.series, count(*) FROM book b WHERE {where}"
        " GROUP BY b.series ORDER BY lower(b.series), b.series LIMIT ? OFFSET ?",
        (size, (page - 1) * size),
    )
    return Page([SeriesEntry(name, count) for name, count in rows], page, size, total)


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
        " FROM book_file f JOIN book b ON b.id = f.book_id WHERE f.id = ?",
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
