"""Read a calibre library's `metadata.db`, read-only, into plain values.

The database is opened with a read-only URI (`mode=ro`): nothing is ever written, and no
journal or lock file is made. calibre, when it runs, may hold a write lock; the read then
retries on an `immutable` connection, which takes no lock at all (and so never waits for, nor
holds up, calibre), reading the file as it stands: its last commit, as long as calibre does not
write the file meanwhile. So such a read counts only when the file's size and time of change
are the same after it as before; else it is read again, and after `TRIES` reads calibre kept
writing through, the import is refused with a message, never taken from a file half written.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from bookorbit_desktop.errors import InvalidValueError

T = TypeVar("T")
TRIES = 3  # unlocked reads while calibre writes, before the import is refused

UNDEFINED_YEAR = "0101"  # calibre's "no date" (0101-01-01)


@dataclass(frozen=True)
class CustomColumn:
    label: str  # without calibre's "#"
    name: str
    kind: str  # calibre's datatype: text, comments, int, float, rating, datetime, bool, ...
    multiple: bool
    choices: tuple[str, ...] = ()  # an enumeration's values


@dataclass
class CalibreBook:
    id: int
    title: str
    sort: str
    authors: list[tuple[str, str]] = field(default_factory=list)  # (name, calibre's sort)
    author_sort: str = ""
    series: str | None = None
    series_index: float | None = None
    tags: list[str] = field(default_factory=list)
    rating: float | None = None  # 0.5 .. 5 stars (calibre keeps 0 .. 10)
    publisher: str | None = None
    published: str | None = None  # ISO date
    languages: list[str] = field(default_factory=list)
    identifiers: dict[str, str] = field(default_factory=dict)
    comments: str | None = None
    files: list[Path] = field(default_factory=list)
    cover: Path | None = None
    last_modified: str = ""
    custom: dict[str, object] = field(default_factory=dict)  # label -> value (list if multiple)


def _connect(db: Path, immutable: bool) -> sqlite3.Connection:
    uri = f"file:{quote(str(db.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")
    return sqlite3.connect(uri, uri=True, timeout=0.5)


def read_library(folder: str | Path) -> tuple[list[CalibreBook], list[CustomColumn]]:
    """Every book of the calibre library in `folder` and its custom columns.

    InvalidValueError when the folder holds no readable calibre library."""
    return _reading(folder, _read)


def _reading(folder: str | Path, read: Callable[[Path, sqlite3.Connection], T]) -> T:
    """`read(root, connection)` on the library's database, read-only (module docstring)."""
    root = Path(folder).expanduser()
    db = root / "metadata.db"
    if not db.is_file():
        raise InvalidValueError(f"{root} is not a calibre library: it has no metadata.db.")
    try:
        try:
            return read(root, _connect(db, immutable=False))
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            return _unlocked(root, db, read)
    except sqlite3.DatabaseError as error:
        raise InvalidValueError(f"{db} cannot be read as a calibre library: {error}.") from error


def _unlocked(root: Path, db: Path, read: Callable[[Path, sqlite3.Connection], T]) -> T:
    """`read` without a lock, counted only when calibre did not write the file meanwhile."""
    for _ in range(TRIES):
        before = _stamp(db)
        found = read(root, _connect(db, immutable=True))
        if _stamp(db) == before:
            return found
        time.sleep(0.2)
    raise InvalidValueError(
        f"calibre kept writing {db} while it was read. Try again once calibre has saved its "
        "changes (or close calibre)."
    )


def _stamp(db: Path) -> tuple[int, int]:
    state = db.stat()
    return state.st_size, state.st_mtime_ns


def read_columns(folder: str | Path) -> list[CustomColumn]:
    """The calibre library's custom columns (InvalidValueError as `read_library`)."""
    return _reading(folder, _columns_only)


def _columns_only(root: Path, con: sqlite3.Connection) -> list[CustomColumn]:
    try:
        return _custom(con, {})
    finally:
        con.close()


def _date(value: str | None) -> str | None:
    if not value or value.startswith(UNDEFINED_YEAR):
        return None
    return value[:10]


def _read(root: Path, con: sqlite3.Connection) -> tuple[list[CalibreBook], list[CustomColumn]]:
    try:
        con.execute("BEGIN")  # one consistent reading of the whole library
        books = {
            row[0]: CalibreBook(
                id=row[0],
                title=row[1],
                sort=row[2] or row[1],
                author_sort=row[3] or "",
                series_index=row[4],
                published=_date(row[5]),
                files=[],
                cover=(root / row[6] / "cover.jpg") if row[7] else None,
                last_modified=row[8] or "",
            )
            for row in con.execute(
                "SELECT id, title, sort, author_sort, series_index, pubdate, path, has_cover,"
                " last_modified FROM books"
            )
        }
        paths = {b: p for b, p in con.execute("SELECT id, path FROM books")}
        for book, name, sort in con.execute(
            "SELECT l.book, a.name, a.sort FROM books_authors_link l"
            " JOIN authors a ON a.id = l.author ORDER BY l.id"
        ):
            books[book].authors.append((name.replace("|", ","), sort or name))
        for book, name in con.execute(
            "SELECT l.book, t.name FROM books_tags_link l JOIN tags t ON t.id = l.tag ORDER BY l.id"
        ):
            books[book].tags.append(name)
        for book, name in con.execute(
            "SELECT l.book, s.name FROM books_series_link l JOIN series s ON s.id = l.series"
        ):
            books[book].series = name
        for book, value in con.execute(
            "SELECT l.book, r.rating FROM books_ratings_link l JOIN ratings r ON r.id = l.rating"
        ):
            books[book].rating = value / 2 if value else None
        for book, name in con.execute(
            "SELECT l.book, p.name FROM books_publishers_link l"
            " JOIN publishers p ON p.id = l.publisher"
        ):
            books[book].publisher = name
        for book, code in con.execute(
            "SELECT l.book, g.lang_code FROM books_languages_link l"
            " JOIN languages g ON g.id = l.lang_code ORDER BY l.item_order, l.id"
        ):
            books[book].languages.append(code)
        for book, kind, value in con.execute("SELECT book, type, val FROM identifiers"):
            books[book].identifiers[kind] = value
        for book, text in con.execute("SELECT book, text FROM comments"):
            books[book].comments = text
        for book, fmt, name in con.execute("SELECT book, format, name FROM data ORDER BY id"):
            books[book].files.append(root / paths[book] / f"{name}.{fmt.lower()}")
        columns = _custom(con, books)
    finally:
        con.close()
    for book in books.values():
        if not book.series:
            book.series_index = None
    return list(books.values()), columns


def _custom(con: sqlite3.Connection, books: dict[int, CalibreBook]) -> list[CustomColumn]:
    import json

    columns: list[CustomColumn] = []
    for number, label, name, kind, multiple, normalized, display in con.execute(
        "SELECT id, label, name, datatype, is_multiple, normalized, display FROM custom_columns"
        " ORDER BY id"
    ).fetchall():
        if kind == "composite":  # a template calibre computes: no value stored
            continue
        shown = json.loads(display or "{}")
        column = CustomColumn(
            label, name, kind, bool(multiple), tuple(shown.get("enum_values") or ())
        )
        columns.append(column)
        if not books:  # the columns only
            continue
        table = f"custom_column_{int(number)}"
        if normalized:
            extra = ", l.extra" if kind == "series" else ", NULL"
            rows = con.execute(
                f"SELECT l.book, v.value{extra} FROM books_{table}_link l"
                f" JOIN {table} v ON v.id = l.value ORDER BY l.id"
            )
        else:
            rows = con.execute(f"SELECT book, value, NULL FROM {table}")
        for book, value, index in rows:
            if book not in books:
                continue
            values = books[book].custom
            if multiple:
                listed = values.setdefault(label, [])
                if isinstance(listed, list):
                    listed.append(value)
            elif kind == "series":
                values[label] = f"{value} [{float(index):g}]" if index is not None else value
            elif kind == "rating":
                values[label] = value / 2 if value else None
            elif kind == "bool":
                values[label] = bool(value)
            elif kind == "datetime":
                values[label] = _date(value)
            else:
                values[label] = value
    return columns
