"""The query every listing of books shares: who wrote them, in the order the files say.

The full records (`queries.list_books`), the window's table (`services.library.rows`)
and the catalog's pages (`server.opds.queries`) each read the columns they show, but the
credits of their books come from here: one query, one order, one way to narrow it to some
books.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import in_list

_CREDIT_KEYS = ("name", "sort_name", "role")  # role: MARC relator, "aut", "edt", "trl", ...


def credits(
    book_ids: Collection[int] | None, db: Any = database
) -> dict[int, list[dict[str, Any]]]:
    """book id -> its creators ({"name", "sort_name", "role"}), in the order the book lists
    them (every book's when `book_ids` is None). `db` is the connection to use (the server's
    threads pass theirs)."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for book_id, *credit in _credit_rows("a.name, a.sort_name, ba.role", book_ids, db):
        found[book_id].append(dict(zip(_CREDIT_KEYS, credit, strict=True)))
    return found


def names(book_ids: Collection[int] | None, db: Any = database) -> dict[int, list[str]]:
    """book id -> the names of its creators, in order (what a list of books shows)."""
    found: dict[int, list[str]] = defaultdict(list)
    shared: dict[str, str] = {}  # each name's text once, however many books it wrote
    for book_id, name in _credit_rows("a.name", book_ids, db):
        found[book_id].append(shared.setdefault(name, name))
    return found


def _credit_rows(columns: str, book_ids: Collection[int] | None, db: Any) -> Any:
    where = "" if book_ids is None else f" WHERE {in_list('ba.book_id', book_ids)}"
    return db.execute_sql(
        f"SELECT ba.book_id, {columns} FROM book_author ba JOIN author a ON a.id = ba.author_id"
        f"{where} ORDER BY ba.book_id, ba.position",
        tuple(book_ids or ()),
    )
