"""The rules of keyset paging, table-driven: which rows come after a key, page tokens, and the
pages of a list held in memory."""

from __future__ import annotations

import itertools
import sqlite3

import pytest

from bookorbit_desktop.library.store.keyset import FIRST, LAST, Cursor, Order
from bookorbit_desktop.server.opds.paging import BadCursor, decode, encode, list_page

ROWS = [
    (title, finished, number)
    for number, (title, finished) in enumerate(itertools.product("bab", ["", "2024", "2025"]))
]
ORDERS = {
    "all ascending": Order((("title", False), ("id", False))),
    "all descending": Order((("title", True), ("id", True))),
    "mixed": Order((("title", False), ("finished", True), ("id", False))),
}


def _python_order(order: Order, row: tuple[str, str, int]) -> tuple[object, ...]:
    values = {"title": row[0], "finished": row[1], "id": row[2]}
    key: list[object] = []
    for expression, descending in order.columns:
        value = values[expression]
        key.append(
            (-value if isinstance(value, int) else [-ord(c) for c in value] + [1])
            if descending
            else value
        )
    return tuple(key)


@pytest.mark.parametrize("backward", [False, True])
@pytest.mark.parametrize("name", ORDERS)
def test_beyond_selects_exactly_the_rows_after_the_key(name, backward):
    order = ORDERS[name]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (title TEXT, finished TEXT, id INTEGER PRIMARY KEY)")
    db.executemany("INSERT INTO t VALUES (?, ?, ?)", ROWS)
    ordered = sorted(ROWS, key=lambda row: _python_order(order, row))
    columns = [expression for expression, _ in order.columns]
    for position, row in enumerate(ordered):
        key = tuple(dict(zip(("title", "finished", "id"), row, strict=True))[c] for c in columns)
        condition, params = order.beyond(key, backward)
        found = db.execute(
            f"SELECT title, finished, id FROM t WHERE {condition}"
            f" ORDER BY {order.order_by(backward)}",
            params,
        ).fetchall()
        expected = ordered[:position][::-1] if backward else ordered[position + 1 :]
        assert found == expected, (key, condition)


@pytest.mark.parametrize(
    "cursor",
    [
        LAST,
        Cursor(("Dune", 12)),
        Cursor(("naïve — 東京 & ?=/", 3), backward=True),
        Cursor((1.5, 2)),
    ],
)
def test_tokens_are_url_safe_and_read_back(cursor):
    token = encode(cursor)
    assert all(c.isalnum() or c in "-_" for c in token)
    assert decode(token, ORDERS["all ascending"]) == cursor


@pytest.mark.parametrize(
    "token",
    [
        "",
        "%%%",
        "bm90IGpzb24",  # "not json"
        encode(Cursor(("a", "b", 3))),  # three values for a two-value order
        encode(Cursor((True, 1))),
        "WyJ4IixbImEiLDFdXQ",  # ["x",["a",1]]: no such direction
        "WyJhIixudWxsXQ",  # ["a",null]: forward without a key
        "A" * 5000,
    ],
)
def test_tokens_this_catalog_did_not_make_are_refused(token):
    with pytest.raises(BadCursor):
        decode(token, ORDERS["all ascending"])


IDS = [10, 11, 12, 13, 14, 15, 16]  # keys: (id,)


@pytest.mark.parametrize(
    ("cursor", "expected"),
    [
        (FIRST, (0, 3, None, Cursor((12,)))),
        (Cursor((12,)), (3, 6, Cursor((13,), True), Cursor((15,)))),
        (Cursor((15,)), (6, 7, Cursor((16,), True), None)),
        (Cursor((16,)), (7, 7, LAST, None)),  # past the end: an empty page
        (Cursor((12,), backward=True), (0, 2, None, Cursor((11,)))),
        (LAST, (4, 7, Cursor((14,), True), None)),
        (Cursor(number=2), (3, 6, Cursor((13,), True), Cursor((15,)))),
        (Cursor((11.5,)), (2, 5, Cursor((12,), True), Cursor((14,)))),  # a key that went away
        (Cursor((9,), backward=True), (0, 0, None, FIRST)),
    ],
)
def test_pages_of_a_list_in_memory(cursor, expected):
    assert list_page(IDS, lambda i: (i,), cursor, 3) == expected
