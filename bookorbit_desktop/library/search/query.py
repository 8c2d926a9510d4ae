"""Finding books by title, series and authors: one query over the `book_search` index, shared
by the catalog's search, the command line and the library window's filter.

Every term (already folded, see `fold`) must occur in the book's folded title, series or an
author's name, anywhere in a word. Terms of three characters or more are looked up in the
trigram index (a phrase of trigrams matches exactly the texts holding it); each candidate's
text is then checked for the shorter terms, which the index cannot look up. A query of short
terms only reads every book's indexed text and checks it, a scan of one narrow table.

A text is checked with GLOB and a pattern holding the term with every wildcard character
enclosed in brackets (`contained`): a plain, case-sensitive substring test, a quarter quicker
than `instr` (which counts the characters before the match). GLOB reads a text only up to a NUL
character, so the folded texts hold none (`fold` drops it).

`title:` is answered from the same rows (`title_query`): the index keeps the length of the
folded title its text begins with.
"""

from __future__ import annotations

from collections.abc import Sequence

_TRIGRAM = 3  # the shortest term the index can look up
# FTS5 keeps the indexed texts in this table (rowid `id`, the text `c0`): read through the
# virtual table, each row costs twice as much.
_TEXTS = "book_search_content"


# GLOB's wildcards and the opening of a set, each as a set of itself: a literal character.
_LITERAL = str.maketrans({"*": "[*]", "?": "[?]", "[": "[[]"})
_CHECK = " AND t.c0 GLOB ?"


def contained(term: str) -> str:
    """The GLOB pattern of the texts holding `term` (folded) anywhere."""
    return "*" + term.translate(_LITERAL) + "*"


def _phrase(term: str) -> str:
    """`term` as an FTS5 phrase: every character literal."""
    return '"' + term.replace('"', '""') + '"'


def looked_up(term: str) -> bool:
    """Whether the index looks `term` (folded) up, rather than each text being checked for it."""
    return len(term) >= _TRIGRAM


def found_query(terms: Sequence[str]) -> tuple[str, list[str]]:
    """`SELECT id` of the books (the index's rows) whose folded title, series or authors
    contain every one of `terms` (none: every book), and its parameters.

    The rows come one by one as the index finds them: as the source of a join (`FROM (found)
    hit CROSS JOIN book b ON b.id = hit.id`), a LIMIT stops the reading early."""
    # A phrase of trigrams matches exactly the texts that hold it: only shorter terms are
    # checked in the text itself.
    found = [term for term in terms if looked_up(term)]
    checked = [term for term in terms if not looked_up(term)]
    checks = _CHECK * len(checked)
    patterns = [contained(term) for term in checked]
    if not found:  # a scan: of the index's own table of texts, a plain table
        return f"SELECT t.id AS id FROM {_TEXTS} t WHERE 1{checks}", patterns
    phrases = " AND ".join(_phrase(term) for term in found)
    if not checked:
        return "SELECT s.rowid AS id FROM book_search s WHERE s.book_search MATCH ?", [phrases]
    # The candidates' texts read from that table too: quicker than through the index.
    return (
        f"SELECT t.id AS id FROM book_search s CROSS JOIN {_TEXTS} t ON t.id = s.rowid"
        f" WHERE s.book_search MATCH ?{checks}",
        [phrases, *patterns],
    )


def _title_test(value: str, exact: bool) -> tuple[str, list[object]]:
    """A test of the indexed text `t` true when its folded title, the text's first
    `title_length` (`c1`) characters (schema 40), holds `value` (folded), or is it (`exact`),
    and its parameters. The title holds the value when the value's first place in the text
    ends within the title: a later place would end later still. That test copies nothing
    (`substr` on every text cost twice the scan); the exact one copies only the titles of the
    value's length, to compare them."""
    if exact:
        return "t.c1 = ? AND substr(t.c0, 1, t.c1) = ?", [len(value), value]
    return "instr(t.c0, ?) BETWEEN 1 AND t.c1 - ? + 1", [value, len(value)]


def title_query(value: str, *, exact: bool = False) -> tuple[str, list[object]]:
    """`SELECT id` of the books whose folded title holds `value` (folded) anywhere, or is it
    (`exact`), and its parameters: read from the index's rows alone, neither the books' rows
    nor their titles folded again. The index's text begins with the folded title and a space:
    when that is long enough, the index finds the texts holding the value (`exact`: beginning
    with it and a space), and only theirs are checked; else every book's title is."""
    test, params = _title_test(value, exact)
    phrase = "^" + _phrase(value + " ") if exact else _phrase(value)
    if not looked_up(value + " " if exact else value):
        return f"SELECT t.id AS id FROM {_TEXTS} t WHERE {test}", params
    return (
        f"SELECT t.id AS id FROM book_search s CROSS JOIN {_TEXTS} t ON t.id = s.rowid"
        f" WHERE s.book_search MATCH ? AND {test}",
        [phrase, *params],
    )


def title_condition(
    value: str, book_id: str = "b.id", *, exact: bool = False
) -> tuple[str, list[object]]:
    """An SQL condition (and its parameters) true for the book whose id `book_id` names when its
    folded title holds `value` (folded), or is it (`exact`): its indexed text read by its id."""
    test, params = _title_test(value, exact)
    return f"EXISTS (SELECT 1 FROM {_TEXTS} t WHERE t.id = {book_id} AND {test})", params


def match_condition(
    terms: Sequence[str], book_id: str = "b.id", *, few: bool = False
) -> tuple[str, list[str]]:
    """An SQL condition (and its parameters) true for the books, `book_id` naming their id in
    the query, whose folded title, series or authors contain every one of `terms`. With
    `few` (the query reads a few books by id, or walks books in an order and stops early),
    each book's indexed text is read by its id and checked, rather than every matching book
    looked up first."""
    if not terms:
        return "0", []
    if few:
        checks = _CHECK * len(terms)
        patterns = [contained(term) for term in terms]
        return f"EXISTS (SELECT 1 FROM {_TEXTS} t WHERE t.id = {book_id}{checks})", patterns
    found, params = found_query(terms)
    return f"{book_id} IN ({found})", params
