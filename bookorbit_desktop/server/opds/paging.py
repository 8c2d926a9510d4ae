"""Pages of the catalog's lists, found by sort key, and the opaque cursors in their links.

A feed's `next` link carries the sort key of the page's last entry, its `previous` link the key
of its first, as a URL-safe token (base64 of a small JSON array): the database finds the page
from an index whatever its depth, and books added or removed between two requests never make a
reader see a book twice or miss one that stays. Old `?page=N` addresses still work (they count
rows from the start, so a deep one is slower); the links of the page they show carry keys.

A token comes back from outside, so it is read strictly, before anything else sees it: at most
`MAX_TOKEN` characters; exactly `["a", [part, ...]]` or `["b", [part, ...] | null]`, each part a
JSON string or number, or null for an empty key (an empty BLOB: the title key of a book without
a title, `store.title_order`), nothing nested (`_SHAPE`, checked before the JSON is parsed, so
no depth of nesting costs anything); whole numbers within SQLite's 64 bits, other numbers
finite, text that is valid Unicode; as many parts as the list's order has columns. Anything
else is `BadCursor`, which the catalog answers with 400 and one plain sentence.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from peewee import SqliteDatabase

from bookorbit_desktop.library.store.keyset import (
    FIRST,
    LAST,
    Cursor,
    Key,
    KeyPart,
    Order,
    comparable,
    key_of,
)
from bookorbit_desktop.library.store.models import database

T = TypeVar("T")

MAX_TOKEN = 4096  # characters: a key holds a title or a name, never more
_FORWARD, _BACKWARD = "a", "b"  # after the key, before it
_STRING = r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"'
_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
_PART = rf"(?:{_STRING}|{_NUMBER}|null)"
_SHAPE = re.compile(rf'\["[ab]",(?:null|\[{_PART}(?:,{_PART})*\])\]')  # what `encode` writes
_SQLITE_INTEGERS = range(-(2**63), 2**63)


class BadCursor(ValueError):
    """A page token this catalog did not make (or one for another list)."""


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    size: int
    at: Cursor  # the cursor the page was asked with
    previous: Cursor | None
    next: Cursor | None
    total: int | None = None  # search results only, when known
    start: int | None = 0  # search results only: how many come before this page, when known


def encode(cursor: Cursor) -> str:
    """The token of a key cursor, or of the last page."""
    direction = _BACKWARD if cursor.backward else _FORWARD
    key = None if cursor.key is None else [None if part == b"" else part for part in cursor.key]
    raw = json.dumps([direction, key], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode(token: str, order: Order) -> Cursor:
    """The cursor of a token made by `encode` for a list in `order`; BadCursor otherwise."""
    if len(token) > MAX_TOKEN:
        raise BadCursor("page token too long")
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise BadCursor("unreadable page token") from error
    if not _SHAPE.fullmatch(text):
        raise BadCursor("not a page token of this catalog")
    direction, key = json.loads(text)  # flat and small: `_SHAPE` allows nothing else
    backward = direction == _BACKWARD
    if key is None:
        if not backward:
            raise BadCursor("a forward token needs a key")
        return LAST
    if len(key) != len(order.columns) or not all(_usable(part) for part in key):
        raise BadCursor("the key does not fit this list")
    return Cursor(tuple(b"" if part is None else part for part in key), backward)


def _usable(part: KeyPart | None) -> bool:
    """True for a key part SQLite can compare with: a 64-bit whole number, a finite number,
    text without lone surrogates, an empty key (None)."""
    if part is None or isinstance(part, bytes):
        return True
    if isinstance(part, int):
        return part in _SQLITE_INTEGERS
    if isinstance(part, float):
        return math.isfinite(part)
    try:
        part.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    db: SqliteDatabase = database.obj
    return list(db.execute_sql(sql, tuple(params)).fetchall())


@dataclass(frozen=True)
class Listing:
    """One list in SQL: `SELECT <columns> FROM <source> WHERE <where> [GROUP BY] ORDER BY`.

    `arms`: conditions (with their parameters) of which each listed row meets one, each read
    in order from an index of its own, such as one per reading status. The list is then the
    rows of each arm merged (`UNION ALL`, which SQLite merges in order, stopping at the page's
    end); one condition over them all (`status IN (...)`) had SQLite sort the whole list for
    every page."""

    source: str
    where: str
    params: Sequence[Any]
    order: Order
    group_by: str = ""
    arms: Sequence[tuple[str, Sequence[Any]]] = (("1", ()),)

    def _query(
        self, columns: str, cursor: Cursor, limit: int, offset: int = 0
    ) -> list[tuple[Any, ...]]:
        where, params = self.where, list(self.params)
        if cursor.key is not None:
            # The key's condition first: of two bounds on the same index column (the key's
            # and a list's own, such as `lower(b.series) > ''`), SQLite seeks by the first.
            condition, extra = self.order.beyond(cursor.key, cursor.backward)
            where, params = f"{condition} AND ({where})", [*extra, *params]
        group = f" GROUP BY {self.group_by}" if self.group_by else ""
        selects, arm_params = [], []
        for arm, values in self.arms:
            selects.append(f"SELECT {columns} FROM {self.source} WHERE ({arm}) AND {where}{group}")
            arm_params += [*values, *params]
        # A compound's ORDER BY names its output columns: the order's expressions, selected
        # last by every query of a list (`page`, `_any`).
        return _rows(
            f"{' UNION ALL '.join(selects)} ORDER BY {self.order.order_by(cursor.backward)}"
            " LIMIT ? OFFSET ?",
            [*arm_params, limit, offset],
        )

    def _any(self, cursor: Cursor) -> bool:
        return bool(self._query(self.order.expressions, cursor, 1))

    def page(
        self, columns: str, cursor: Cursor, size: int
    ) -> tuple[list[tuple[Any, ...]], Cursor | None, Cursor | None]:
        """Up to `size` rows of `columns` from `cursor` on, in order, and the cursors of the
        pages before and after them (None at either end)."""
        columns = f"{columns}, {self.order.expressions}"
        found = self._query(columns, cursor, size + 1, cursor.offset(size))
        more = len(found) > size
        rows = found[:size]
        if cursor.backward:
            rows.reverse()
        first = key_of(rows[0], self.order) if rows else cursor.key
        last = key_of(rows[-1], self.order) if rows else cursor.key
        if cursor.backward:
            previous = Cursor(first, backward=True) if more and first is not None else None
            following = Cursor(last) if last is not None else None
            after = following if following is not None and self._any(following) else None
            return [row[: -len(self.order.columns)] for row in rows], previous, after
        following = Cursor(last) if more and last is not None else None
        if first is not None:
            before: Cursor | None = Cursor(first, backward=True)
        else:  # an empty page asked for by offset: the last page is the one before it
            before = LAST if cursor.number > 1 else None
        if before is not None and not self._any(before):
            before = None
        return [row[: -len(self.order.columns)] for row in rows], before, following


def list_page(
    ids: Sequence[int], key: Callable[[int], Key], cursor: Cursor, size: int
) -> tuple[int, int, Cursor | None, Cursor | None]:
    """A page of a list held in memory (ids in order; `key` gives an id's sort key):
    (start, stop) of its slice and the cursors of the pages before and after it."""
    count = len(ids)

    def place(book_id: int) -> tuple[tuple[bool, KeyPart], ...]:
        return comparable(key(book_id))

    try:
        if cursor.key is None:
            start = count - min(size, count) if cursor.backward else min(cursor.offset(size), count)
            stop = count if cursor.backward else min(start + size, count)
        elif cursor.backward:
            stop = bisect_left(ids, comparable(cursor.key), key=place)
            start = max(0, stop - size)
        else:
            start = bisect_right(ids, comparable(cursor.key), key=place)
            stop = min(start + size, count)
    except TypeError:  # a key of the right length with parts of the wrong kinds
        raise BadCursor("the key does not fit this list") from None
    previous = None
    if start > 0:
        previous = Cursor(key(ids[start]), backward=True) if start < count else LAST
    following = None
    if stop < count:
        following = Cursor(key(ids[stop - 1])) if stop > 0 else FIRST
    return start, stop, previous, following
