"""Catalog search: every listed book's title, series and authors, folded, kept in memory.

Scanning and folding the whole library per search would take tens of milliseconds at 10,000
books, so the folded text is indexed once and then kept up to date:

- writes on this process's connection that can change what search sees (titles, series,
  authors, files) are recorded by TEMP triggers as a list of touched book ids, and only those
  books are looked at again; reading progress, aliases and settings touch nothing;
- a commit by any other connection changes SQLite's `data_version`, which rebuilds it all.

Triggers, `data_version` and so the index belong to one connection: the server searches on its
database threads, each with its own connection, so each keeps its own index.

Results are in title order; every query word must occur in the book's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import SqliteDatabase

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import marks as in_marks
from bookorbit_desktop.server.opds.queries import BookEntry, Page, load_books
from bookorbit_desktop.server.opds.text import fold

_CHANGES = "bookorbit_search_changes"
_CHUNK = 500  # ids per IN (...) list, well below SQLite's variable limit
_FULL_REBUILD_AFTER = 2000  # touched books beyond which a full rebuild is quicker

# (trigger suffix, event, affected book ids)
_TRIGGERS = (
    ("book_insert", "AFTER INSERT ON main.book", "SELECT NEW.id"),
    ("book_delete", "AFTER DELETE ON main.book", "SELECT OLD.id"),
    ("book_update", "AFTER UPDATE OF id, title, series, sort_title ON main.book",
     "SELECT OLD.id UNION SELECT NEW.id"),
    ("author_update", "AFTER UPDATE OF name ON main.author",
     "SELECT book_id FROM main.book_author WHERE author_id = NEW.id"),
    ("author_delete", "BEFORE DELETE ON main.author",
     "SELECT book_id FROM main.book_author WHERE author_id = OLD.id"),
    ("credit_insert", "AFTER INSERT ON main.book_author", "SELECT NEW.book_id"),
    ("credit_delete", "AFTER DELETE ON main.book_author", "SELECT OLD.book_id"),
    ("credit_update", "AFTER UPDATE ON main.book_author",
     "SELECT OLD.book_id UNION SELECT NEW.book_id"),
    ("file_insert", "AFTER INSERT ON main.book_file", "SELECT NEW.book_id"),
    ("file_delete", "AFTER DELETE ON main.book_file", "SELECT OLD.book_id"),
    ("file_update", "AFTER UPDATE OF book_id, missing ON main.book_file",
     "SELECT OLD.book_id UNION SELECT NEW.book_id"),
)  # fmt: skip


@dataclass
class _Index:
    data_version: int
    texts: dict[int, str]  # book id -> folded "title series authors", listed books only
    entries: list[tuple[int, str]]  # the same in title order


# By id() of the connection; a new connection at a reused id installs its triggers first,
# which drops whatever was kept under that id.
_indexes: dict[int, _Index] = {}
_MAX_INDEXES = 16


def _rows(db: SqliteDatabase, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return list(db.execute_sql(sql, tuple(params)).fetchall())


def _install_triggers(db: SqliteDatabase) -> None:
    db.execute_sql(f"CREATE TEMP TABLE IF NOT EXISTS {_CHANGES} (book_id INTEGER NOT NULL)")
    for suffix, event, affected in _TRIGGERS:
        db.execute_sql(
            f"CREATE TEMP TRIGGER IF NOT EXISTS {_CHANGES}_{suffix} {event}"
            f" BEGIN INSERT INTO {_CHANGES} (book_id) {affected}; END"
        )


def _triggers_installed(db: SqliteDatabase) -> bool:
    found = _rows(
        db, "SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = ?", (_CHANGES,)
    )
    return bool(found)


def _texts(db: SqliteDatabase, ids: Iterable[int] | None) -> dict[int, str]:
    """Folded text of the listed books among `ids` (all books when None)."""
    if ids is None:
        chunks: list[list[int] | None] = [None]
    else:
        wanted = sorted(set(ids))
        chunks = [wanted[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK)]
    texts: dict[int, str] = {}
    for chunk in chunks:
        where, params = ("", []) if chunk is None else (f" IN ({in_marks(chunk)})", chunk)
        available = {
            row[0]
            for row in _rows(
                db,
                "SELECT book_id FROM book_file WHERE missing = 0"
                + (f" AND book_id{where}" if where else ""),
                params,
            )
        }
        credits: dict[int, list[tuple[int, str]]] = {}
        for book_id, position, name in _rows(
            db,
            "SELECT ba.book_id, ba.position, a.name FROM book_author ba"
            " JOIN author a ON a.id = ba.author_id"
            + (f" WHERE ba.book_id{where}" if where else ""),
            params,
        ):
            credits.setdefault(book_id, []).append((position, fold(name)))
        for book_id, title, series in _rows(
            db,
            "SELECT id, title, series FROM book" + (f" WHERE id{where}" if where else ""),
            params,
        ):
            if book_id in available:
                names = [name for _position, name in sorted(credits.get(book_id, ()))]
                texts[book_id] = " ".join((fold(title or ""), fold(series or ""), *names))
    return texts


def _in_title_order(db: SqliteDatabase, texts: dict[int, str]) -> list[tuple[int, str]]:
    order = _rows(db, "SELECT id FROM book ORDER BY sort_title, id")
    return [(book_id, texts[book_id]) for (book_id,) in order if book_id in texts]


def _current_index() -> _Index:
    db: SqliteDatabase = database.obj
    connection = db.connection()
    if not _triggers_installed(db):
        _install_triggers(db)
        _indexes.pop(id(connection), None)
    data_version = int(_rows(db, "PRAGMA data_version")[0][0])
    index = _indexes.get(id(connection))
    if connection.in_transaction:
        # Rows written in an open transaction may yet be rolled back: answer from a fresh
        # index and keep nothing.
        texts = _texts(db, None)
        return _Index(data_version, texts, _in_title_order(db, texts))
    touched = {row[0] for row in _rows(db, f"SELECT DISTINCT book_id FROM {_CHANGES}")}
    if touched:
        db.execute_sql(f"DELETE FROM {_CHANGES}")
    if index is None or index.data_version != data_version or len(touched) > _FULL_REBUILD_AFTER:
        texts = _texts(db, None)
    elif touched:
        texts = dict(index.texts)
        for book_id in touched:
            texts.pop(book_id, None)
        texts.update(_texts(db, touched))
    else:
        return index
    index = _Index(data_version, texts, _in_title_order(db, texts))
    if len(_indexes) >= _MAX_INDEXES:
        _indexes.clear()
    _indexes[id(connection)] = index
    return index


def search_books(query_terms: Sequence[str], page: int, size: int) -> Page[BookEntry]:
    """Books whose title, series or authors contain every term (already folded), by title."""
    if not query_terms:
        return Page([], page, size, 0)
    # The longest term first: it rules out the most books in one fast pass.
    first, *others = sorted(query_terms, key=len, reverse=True)
    found = [entry for entry in _current_index().entries if first in entry[1]]
    ids = [book_id for book_id, text in found if all(term in text for term in others)]
    start = (page - 1) * size
    return Page(load_books(ids[start : start + size]), page, size, len(ids))
