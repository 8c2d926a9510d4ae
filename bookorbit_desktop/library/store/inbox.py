"""The Inbox: newly imported books that wait for the user's approval before they join the
library table, the catalog and Hardcover sync.

The Inbox is off by default (setting `library.inbox`). When it is on, every import holds the
books it created (`hold_new_books`, called by `importer.complete` whatever front end imported);
approving a book takes it out. Which queries skip a held book is said once, by
`store.sql.OUTSIDE_INBOX`. KOReader progress for a held book is still recorded: the device
already has the book. The table's SQL is the migration `inbox_schema`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from peewee import FloatField, ForeignKeyField

from bookorbit_desktop.library.store import listing
from bookorbit_desktop.library.store.models import BaseModel, Book, database
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from bookorbit_desktop.library.store.sql import in_list

SETTING = "library.inbox"
# A book created up to this long before the import's start still counts as its own (the
# clock of the summary's elapsed time and the books' added times are read a moment apart).
_SLACK_SECONDS = 1.0


class InboxEntry(BaseModel):
    """A book waiting for approval (the table `book_inbox`; this module writes it in SQL)."""

    book = ForeignKeyField(Book, primary_key=True, on_delete="CASCADE")
    book_id: int
    held_at = FloatField()

    class Meta:
        table_name = "book_inbox"


@dataclass(frozen=True)
class InboxBook:
    id: int
    title: str
    authors: tuple[str, ...]
    series: str | None
    series_index: float | None
    files: tuple[str, ...]
    held_at: float


def enabled() -> bool:
    return bool(get_setting(SETTING))


def set_enabled(on: bool) -> None:
    """Turn the Inbox on or off; turning it off leaves the books already in it there."""
    set_setting(SETTING, bool(on))


def hold_new_books(book_ids: Iterable[int], elapsed: float, now: float | None = None) -> int:
    """After an import that took `elapsed` seconds and changed `book_ids`: when the Inbox is on,
    hold the books it created (those added since it started); how many were held."""
    ids = list(dict.fromkeys(book_ids))
    if not ids or not enabled():
        return 0
    now = time.time() if now is None else now
    since = now - elapsed - _SLACK_SECONDS
    with database.atomic():
        cursor = database.execute_sql(
            "INSERT OR IGNORE INTO book_inbox (book_id, held_at)"
            f" SELECT id, ? FROM book WHERE {in_list('id', ids)} AND added_at >= ?",
            (now, *ids, since),
        )
    return int(cursor.rowcount or 0)


def hold(book_ids: Iterable[int], now: float | None = None) -> None:
    """Put these books in the Inbox (whatever the setting says)."""
    held_at = time.time() if now is None else now
    database.cursor().executemany(
        "INSERT OR IGNORE INTO book_inbox (book_id, held_at) VALUES (?, ?)",
        [(book_id, held_at) for book_id in book_ids],
    )


def count() -> int:
    return int(database.execute_sql("SELECT count(*) FROM book_inbox").fetchone()[0])


def held_ids() -> list[int]:
    """The books in the Inbox, oldest first."""
    rows = database.execute_sql("SELECT book_id FROM book_inbox ORDER BY held_at, book_id")
    return [book_id for (book_id,) in rows.fetchall()]


def is_held(book_id: int) -> bool:
    row = database.execute_sql("SELECT 1 FROM book_inbox WHERE book_id = ?", (book_id,))
    return row.fetchone() is not None


def waiting() -> list[InboxBook]:
    """Every book in the Inbox with what the user approves: title, authors, series, files."""
    rows = database.execute_sql(
        "SELECT b.id, b.title, b.series, b.series_index, i.held_at FROM book_inbox i"
        " JOIN book b ON b.id = i.book_id ORDER BY i.held_at, b.id"
    ).fetchall()
    ids = [row[0] for row in rows]
    authors = listing.names(ids)
    files: dict[int, list[str]] = {}
    for book_id, path in database.execute_sql(
        f"SELECT book_id, path FROM book_file WHERE {in_list('book_id', ids)} ORDER BY id",
        tuple(ids),
    ).fetchall():
        files.setdefault(book_id, []).append(path)
    return [
        InboxBook(
            book_id,
            title,
            tuple(authors.get(book_id, ())),
            series,
            index,
            tuple(files.get(book_id, ())),
            held_at,
        )
        for book_id, title, series, index, held_at in rows
    ]


def approve(book_ids: Sequence[int]) -> list[int]:
    """Let these books into the library; the ids that were in the Inbox."""
    ids = list(dict.fromkeys(book_ids))
    if not ids:
        return []
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        held = [
            book_id
            for (book_id,) in database.execute_sql(
                f"SELECT book_id FROM book_inbox WHERE {in_list('book_id', ids)}", tuple(ids)
            ).fetchall()
        ]
        database.execute_sql(f"DELETE FROM book_inbox WHERE {in_list('book_id', ids)}", tuple(ids))
        _touch(held)
    return held


def approve_all() -> list[int]:
    """Let every book in the Inbox into the library; their ids."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        held = held_ids()
        database.execute_sql("DELETE FROM book_inbox")
        _touch(held)
    return held


def _touch(book_ids: Sequence[int]) -> None:
    """An approved book counts as changed, so every list that follows changes shows it."""
    if book_ids:
        database.execute_sql(
            f"UPDATE book SET updated_at = ? WHERE {in_list('id', book_ids)}",
            (time.time(), *book_ids),
        )
