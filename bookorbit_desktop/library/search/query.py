"""Finding books by title, series and authors: one query over the `book_search` index, shared
by the catalog's search and the command line.

Every term (already folded, see `fold`) must occur in the book's folded title, series or an
author's name, anywhere in a word. Terms of three characters or more are looked up in the
trigram index; each candidate's text is then checked for every term, so shorter terms (which
the index cannot look up) match exactly as well.
"""

from __future__ import annotations

from collections.abc import Sequence

from bookorbit_desktop.library.store.keyset import Key
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import AVAILABLE

_TRIGRAM = 3  # the shortest term the index can look up


def _phrase(term: str) -> str:
    """`term` as an FTS5 phrase: every character literal."""
    return '"' + term.replace('"', '""') + '"'


def match_condition(terms: Sequence[str], book_id: str = "b.id") -> tuple[str, list[str]]:
    """An SQL condition (and its parameters) true for the books, `book_id` naming their id in
    the query, whose folded title, series or authors contain every one of `terms`."""
    if not terms:
        return "0", []
    conditions = ["instr(s.text, ?) > 0" for _term in terms]
    params = list(terms)
    looked_up = [term for term in terms if len(term) >= _TRIGRAM]
    if looked_up:
        conditions.insert(0, "s.book_search MATCH ?")
        params.insert(0, " AND ".join(_phrase(term) for term in looked_up))
    found = f"SELECT s.rowid FROM book_search s WHERE {' AND '.join(conditions)}"
    return f"{book_id} IN ({found})", params


def matching_keys(terms: Sequence[str], *, available_only: bool) -> list[Key]:
    """(sort title, id) of the books whose folded title, series or authors contain every term,
    in that order; with `available_only`, only books with a file that is not missing."""
    if not terms:
        return []
    condition, params = match_condition(terms)
    if available_only:
        condition += f" AND {AVAILABLE}"
    cursor = database.execute_sql(
        f"SELECT b.sort_title, b.id FROM book b WHERE {condition} ORDER BY b.sort_title, b.id",
        params,
    )
    return [tuple(row) for row in cursor.fetchall()]
