"""What the pull keeps in the library database (`library.store.pull_schema`).

Every write of one page is one transaction, and the pull's place (a full pass's cursor, the
high-water mark) is written in the same transaction as the rows it covers: a process killed
mid-pull resumes where the last page ended and never skips a row.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.library.store.models import database

FULL_OFFSET, FULL_PASS, SINCE, LISTS_SINCE = "full_cursor", "full_pass", "since", "lists_since"
SINCE_ID = "since_id"  # with SINCE: the high-water mark (timestamp, id)
LISTS_SINCE_ID = "lists_since_id"  # with LISTS_SINCE: the lists' high-water mark
FULL_MAX = "full_id"  # with FULL_OFFSET: a running full pass's cursor (timestamp, id)
USER = "user_id"  # the Hardcover account the marks and a running full pass belong to


@dataclass(frozen=True)
class PulledRow:
    """One of the user's Hardcover entries as the pull read it."""

    user_book_id: int
    hc_book_id: int
    entry: Mapping[str, Any]  # status_id, rating, privacy_id, edition_id, date_added, reads
    updated_at: str | None
    title: str | None = None
    authors: tuple[str, ...] = ()
    isbns: tuple[str, ...] = ()
    slug: str | None = None


@dataclass(frozen=True)
class Conflict:
    book_id: int
    field: str
    local: Any
    remote: Any
    noticed_at: float


def _rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return list(database.execute_sql(sql, tuple(params)).fetchall())


# ----------------------------------------------------------------------------- place
def state(key: str) -> str | None:
    found = _rows("SELECT value FROM hardcover_pull_state WHERE key = ?", (key,))
    return found[0][0] if found else None


def set_state(values: Mapping[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            database.execute_sql("DELETE FROM hardcover_pull_state WHERE key = ?", (key,))
        else:
            database.execute_sql(
                "INSERT INTO hardcover_pull_state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


# ----------------------------------------------------------------------------- entries
def save_page(rows: Iterable[PulledRow], pass_no: int, place: Mapping[str, str | None]) -> None:
    """Keep one page of entries and the pull's place after it, in one transaction. An entry
    whose values differ from the stored ones gets `changed_at` now and the changed fields."""
    now = time.time()
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        for row in rows:
            old = _rows(
                "SELECT entry, changed_at, changed_fields FROM hardcover_pulled "
                "WHERE user_book_id = ?",
                (row.user_book_id,),
            )
            entry = dict(row.entry)
            changed_at, fields = (old[0][1], old[0][2]) if old else (None, None)
            if old:
                before = json.loads(old[0][0])
                diff = sorted(k for k in entry if before.get(k) != entry.get(k))
                if diff:
                    changed_at, fields = now, json.dumps(diff)
            database.execute_sql(
                "INSERT OR REPLACE INTO hardcover_pulled (user_book_id, hc_book_id, entry, "
                "remote_updated_at, changed_at, changed_fields, title, authors, isbns, slug, "
                "seen_pass) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row.user_book_id,
                    row.hc_book_id,
                    json.dumps(entry, sort_keys=True),
                    row.updated_at,
                    changed_at,
                    fields,
                    row.title,
                    json.dumps(list(row.authors)),
                    json.dumps(list(row.isbns)),
                    row.slug,
                    pass_no,
                ),
            )
        set_state(place)


def forget_unseen(pass_no: int) -> int:
    """After a whole full pass: entries it did not see were removed on Hardcover."""
    cursor = database.execute_sql("DELETE FROM hardcover_pulled WHERE seen_pass < ?", (pass_no,))
    return int(cursor.rowcount or 0)


def _of_books(sql: str, hc_book_ids: Iterable[int] | None) -> tuple[str, list[int]]:
    """`sql` (a read of the stored entries) for these Hardcover books only (None: all)."""
    if hc_book_ids is None:
        return sql, []
    ids = sorted(set(hc_book_ids))
    return sql + (f" WHERE hc_book_id IN ({','.join('?' * len(ids))})" if ids else " WHERE 0"), ids


def stored_rows(hc_book_ids: Iterable[int] | None = None) -> list[PulledRow]:
    """The stored entries (all, or those of these Hardcover books) as the pull read them last
    (their reads in `entry`)."""
    sql = (
        "SELECT user_book_id, hc_book_id, entry, remote_updated_at, title, authors, isbns, "
        "slug FROM hardcover_pulled"
    )
    sql, params = _of_books(sql, hc_book_ids)
    return [
        PulledRow(
            r[0],
            r[1],
            json.loads(r[2]),
            r[3],
            r[4],
            tuple(json.loads(r[5] or "[]")),
            tuple(json.loads(r[6] or "[]")),
            r[7],
        )
        for r in _rows(sql + " ORDER BY user_book_id", params)
    ]


def pulled(hc_book_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """The stored entries (all, or those of these Hardcover books), oldest entry first."""
    sql = (
        "SELECT user_book_id, hc_book_id, entry, remote_updated_at, changed_at, changed_fields, "
        "title, authors, isbns, slug FROM hardcover_pulled"
    )
    sql, params = _of_books(sql, hc_book_ids)
    return [
        {
            "user_book_id": r[0],
            "hc_book_id": r[1],
            **json.loads(r[2]),
            "updated_at": r[3],
            "changed_at": r[4],
            "changed_fields": json.loads(r[5]) if r[5] else [],
            "title": r[6],
            "authors": json.loads(r[7] or "[]"),
            "isbns": json.loads(r[8] or "[]"),
            "slug": r[9],
        }
        for r in _rows(sql + " ORDER BY user_book_id", params)
    ]


# ----------------------------------------------------------------------------- lists
def save_lists(lists: Iterable[Mapping[str, Any]], pass_no: int, place: Mapping[str, Any]) -> None:
    with database.atomic():
        for item in lists:
            database.execute_sql(
                "INSERT OR REPLACE INTO hardcover_pulled_list (id, name, slug, remote_updated_at, "
                "book_ids, seen_pass) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    item["id"],
                    item["name"],
                    item.get("slug"),
                    item.get("updated_at"),
                    json.dumps(list(item["book_ids"])),
                    pass_no,
                ),
            )
        set_state(place)


def forget_unseen_lists(pass_no: int) -> None:
    database.execute_sql("DELETE FROM hardcover_pulled_list WHERE seen_pass < ?", (pass_no,))


def pulled_lists() -> list[dict[str, Any]]:
    return [
        {"id": r[0], "name": r[1], "slug": r[2], "book_ids": json.loads(r[3])}
        for r in _rows("SELECT id, name, slug, book_ids FROM hardcover_pulled_list ORDER BY id")
    ]


# ----------------------------------------------------------------------------- marks
def note_followed(book_ids: Iterable[int], field: str, value: Any, *, now: float) -> None:
    for book_id in book_ids:
        database.execute_sql(
            "INSERT OR REPLACE INTO hardcover_followed (book_id, field, value, followed_at) "
            "VALUES (?, ?, ?, ?)",
            (book_id, field, json.dumps(value), now),
        )


def followed(book_id: int) -> dict[str, tuple[Any, float]]:
    """The book's values that last came from Hardcover: field -> (value, when)."""
    return {
        r[0]: (json.loads(r[1]) if r[1] else None, float(r[2]))
        for r in _rows(
            "SELECT field, value, followed_at FROM hardcover_followed WHERE book_id = ?",
            (book_id,),
        )
    }


def followed_field(field: str) -> dict[int, Any]:
    """Every book's value of one field that last came from Hardcover: book id -> value."""
    return {
        r[0]: json.loads(r[1]) if r[1] else None
        for r in _rows("SELECT book_id, value FROM hardcover_followed WHERE field = ?", (field,))
    }


def forget_field(field: str) -> None:
    """Forget every book's value of `field` that came from Hardcover (the user's word now)."""
    database.execute_sql("DELETE FROM hardcover_followed WHERE field = ?", (field,))


def forget_followed(book_ids: Iterable[int], field: str) -> None:
    for book_id in book_ids:
        database.execute_sql(
            "DELETE FROM hardcover_followed WHERE book_id = ? AND field = ?", (book_id, field)
        )


def note_conflict(book_id: int, field: str, local: Any, remote: Any, *, now: float) -> None:
    database.execute_sql(
        "INSERT INTO hardcover_conflict (book_id, field, local_value, remote_value, noticed_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (book_id, field) DO UPDATE SET "
        "local_value = excluded.local_value, remote_value = excluded.remote_value",
        (book_id, field, json.dumps(local), json.dumps(remote), now),
    )


def conflicts(book_ids: Iterable[int] | None = None) -> list[Conflict]:
    sql = "SELECT book_id, field, local_value, remote_value, noticed_at FROM hardcover_conflict"
    params: list[int] = []
    if book_ids is not None:
        params = sorted(set(book_ids))
        sql += f" WHERE book_id IN ({','.join('?' * len(params))})" if params else " WHERE 0"
    return [
        Conflict(r[0], r[1], json.loads(r[2]), json.loads(r[3]), float(r[4]))
        for r in _rows(sql + " ORDER BY book_id, field", params)
    ]


def drop_conflict(book_id: int, field: str) -> None:
    database.execute_sql(
        "DELETE FROM hardcover_conflict WHERE book_id = ? AND field = ?", (book_id, field)
    )
