"""Finding books by title, series and authors: one query over the `book_search` index, shared
by the catalog's search, the command line and the library window's filter.

Every term (already folded, see `fold`) must occur in the book's folded title, series or an
author's name, anywhere in a word. Terms of three characters or more are looked up in the
trigram index (a phrase of trigrams matches exactly the texts holding it); each candidate's
text is then checked for the shorter terms, which the index cannot look up. A query of short
terms only reads every book's indexed text and checks it (`instr`: a plain substring test of
the folded text, where LIKE would take `%` and `_` as wildcards), a scan of one narrow table.
"""

from __future__ import annotations

from collections.abc import Sequence

from bookorbit_desktop.library.store.keyset import Key
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import AVAILABLE

_TRIGRAM = 3  # the shortest term the index can look up
# FTS5 keeps the indexed texts in this table (rowid `id`, the text `c0`): scanned through the
# virtual table, each row costs twice as much.
_TEXTS = "book_search_content"


def _phrase(term: str) -> str:
    """`term` as an FTS5 phrase: every character literal."""
    return '"' + term.replace('"', '""') + '"'


def found_query(terms: Sequence[str]) -> tuple[str, list[str]]:
    """`SELECT rowid` of the books (the index's rows) whose folded title, series or authors
    contain every one of `terms` (none: every book), and its parameters."""
    # A phrase of trigrams matches exactly the texts that hold it: only shorter terms are
    # checked in the text itself.
    looked_up = [term for term in terms if len(term) >= _TRIGRAM]
    checked = [term for term in terms if len(term) < _TRIGRAM]
    if not looked_up:  # a scan: of the index's own table of texts, a plain table
        checks = " AND ".join(f"instr({_TEXTS}.c0, ?) > 0" for _term in checked) or "1"
        return f"SELECT {_TEXTS}.id FROM {_TEXTS} WHERE {checks}", list(checked)
    phrases = " AND ".join(_phrase(term) for term in looked_up)
    found = "SELECT s.rowid FROM book_search s WHERE s.book_search MATCH ?"
    if not checked:
        return found, [phrases]
    # The candidates' texts read from that table too: a quarter quicker than through the index.
    checks = "".join(f" AND instr({_TEXTS}.c0, ?) > 0" for _term in checked)
    return f"SELECT {_TEXTS}.id FROM {_TEXTS} WHERE {_TEXTS}.id IN ({found}){checks}", [
        phrases,
        *checked,
    ]


def match_condition(
    terms: Sequence[str], book_id: str = "b.id", *, few: bool = False
) -> tuple[str, list[str]]:
    """An SQL condition (and its parameters) true for the books, `book_id` naming their id in
    the query, whose folded title, series or authors contain every one of `terms`. With
    `few` (the query reads a few books by id), each book's indexed text is read by its id and
    checked, rather than every matching book looked up first."""
    if not terms:
        return "0", []
    if few:
        checks = "".join(" AND instr(s.text, ?) > 0" for _term in terms)
        return f"EXISTS (SELECT 1 FROM book_search s WHERE s.rowid = {book_id}{checks})", [*terms]
    found, params = found_query(terms)
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
