"""The `books` listing read a page at a time by sort key: the first lines of a 250,000-book
library print at once (`books | head` ends before the rest is read), and memory holds one page.

A page starts right after the last (sort title, id) printed, so each costs what the first does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from bookorbit_desktop.library.search.compiler import Condition
from bookorbit_desktop.library.store.keyset import Key, Order, key_of
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.queries import list_books

PAGE = 1000
BY_TITLE = Order((("sort_title", False), ("id", False)))  # the order `list_books` gives


def title_pages(size: int = PAGE, found: Condition | None = None) -> Iterator[list[dict[str, Any]]]:
    """Every book's record (as `list_books` gives it), or those of the books a search `found`,
    in title order, `size` at a time."""
    key: Key | None = None
    search, search_params = ("1", ()) if found is None else (found.sql, found.params)
    while True:
        where, params = BY_TITLE.beyond(key) if key is not None else ("1", [])
        rows = database.execute_sql(
            f"SELECT id, {BY_TITLE.expressions} FROM book b WHERE {where} AND {search}"
            f" ORDER BY {BY_TITLE.order_by()} LIMIT ?",
            (*params, *search_params, size),
        ).fetchall()
        if not rows:
            return
        yield list_books([row[0] for row in rows])
        key = key_of(rows[-1], BY_TITLE)


def write_json_array(items: Iterator[dict[str, Any]], out: TextIO) -> None:
    """`items` as one indented JSON array, written as they come."""
    out.write("[")
    written = 0
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("," if written else "") + "\n  " + text)
        written += 1
    out.write("\n]\n" if written else "]\n")
