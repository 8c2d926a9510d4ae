"""Keyset paging: the rows after (or before) a sort key, so page 5,000 costs what page 1 does.

An `Order` is the list's total order: SQL expressions, each ascending or descending, the last
one unique (a book's or an author's id). A page is asked for with a `Cursor`: from the start,
after a key (the next page), before a key (the previous page), from the end (the last page), or
by page number (old addresses; a deep one is as slow as OFFSET is).
Adding or removing rows between two requests never repeats or skips the rows that stay: the
next page starts right after the last key shown, whatever happened before it.

Key expressions must never be NULL (wrap a nullable column in `coalesce`): SQL compares NULL
with nothing. A key part may be an empty BLOB (`bytes`: the stored keys' empty key, which
SQLite orders after every text; `comparable` orders keys in Python as SQLite does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

KeyPart = str | int | float | bytes
Key = tuple[KeyPart, ...]


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after `key` (before it when `backward`), or at page `number`
    counted from the start (when there is no key)."""

    key: Key | None = None
    backward: bool = False
    number: int = 1

    @property
    def is_first(self) -> bool:
        return self.key is None and not self.backward and self.number == 1

    def offset(self, size: int) -> int:
        """Rows before the page, for a page number (0 with a key)."""
        return 0 if self.key is not None or self.backward else (self.number - 1) * size


FIRST = Cursor()
LAST = Cursor(backward=True)


@dataclass(frozen=True)
class Order:
    """A total order: (SQL expression, descending) pairs, the last one unique."""

    columns: tuple[tuple[str, bool], ...]

    @property
    def expressions(self) -> str:
        return ", ".join(expression for expression, _descending in self.columns)

    def order_by(self, backward: bool = False) -> str:
        return ", ".join(
            f"{expression} {'DESC' if descending != backward else 'ASC'}"
            for expression, descending in self.columns
        )

    def beyond(self, key: Key, backward: bool = False) -> tuple[str, list[KeyPart]]:
        """A condition true of the rows after `key` in this order (before it when `backward`),
        and its parameters.

        The condition starts with the bound it implies on the first expression alone (a row
        after the key is at or past its first part): SQLite takes an index range from a row
        value over plain columns, but over an expression (`lower(b.series)`) only from such a
        bound, and without it the check for a page before the first one read the whole index."""
        if len(key) != len(self.columns):
            raise ValueError(f"a key of {len(self.columns)} values was expected")
        first, first_descending = self.columns[0]
        bound = f"{first} {'<' if first_descending != backward else '>'}= ?"
        directions = {descending != backward for _expression, descending in self.columns}
        if len(directions) == 1:
            # One direction: a row-value comparison, which SQLite answers from an index.
            operator = "<" if directions.pop() else ">"
            marks = ", ".join("?" * len(key))
            return f"{bound} AND ({self.expressions}) {operator} ({marks})", [key[0], *key]
        terms, params = [], [key[0]]
        for number, (expression, descending) in enumerate(self.columns):
            equal = [f"{column} = ?" for column, _ in self.columns[:number]]
            operator = "<" if descending != backward else ">"
            terms.append("(" + " AND ".join([*equal, f"{expression} {operator} ?"]) + ")")
            params += [*key[:number], key[number]]
        return f"{bound} AND (" + " OR ".join(terms) + ")", params


def key_of(row: Sequence[KeyPart], order: Order) -> Key:
    """The sort key at the end of a row that selected `order.expressions` last."""
    return tuple(row[len(row) - len(order.columns) :])


def comparable(key: Key) -> tuple[tuple[bool, KeyPart], ...]:
    """`key` as Python compares it in SQLite's order: a BLOB part after any text or number
    (parts of other kinds compared as they are)."""
    return tuple((isinstance(part, bytes), part) for part in key)
