"""A search's tree (`grammar.parse`) as one SQL condition on the library's books, `b` naming the
book in the query: the condition the table's order, the command line's pages and any other list
of books add to their own.

The fields, and what a value means in each:

    title, series, publisher, language    the book's text; author: any author's name;
    format: any file's format (epub); tags: any tag's name
        `word` the text holds it, `=word` it is the word, `~re` the pattern is found in it,
        all three case and accents aside; `true`: the book has one, `false`: it has none
    rating (0.5 to 5), pages                 `4` (or `=4`), `>=4`, `<300`, `!=3`; true/false
    added, finished, started, published      a date (`search.dates`): `2024`, `>2025-01-01`,
                                             `<30daysago`; true/false
    status       a reading status by name or label (`reading`, `want`, "on hold"); `=` exactly
    hardcover    `matched` (linked), `unmatched` (no Hardcover book yet: not matched, to be
                 reviewed, no match found, an error), or a state: linked, needs_review,
                 no_match, error, excluded, removed
Plain words look in the title, authors and series, through the library's search index, as the
filter box always has. Every value's mistake is a `SearchError` at the value's place.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from bookorbit_desktop.library.reading.values import READING_STATUSES
from bookorbit_desktop.library.search.dates import DATE_WORDS, bounds, period
from bookorbit_desktop.library.search.fold import fold, fold_column
from bookorbit_desktop.library.search.grammar import And, Node, Not, Or, SearchError, Term, parse
from bookorbit_desktop.library.search.query import match_condition
from bookorbit_desktop.library.search.regexp import SQL_REGEXP, PatternError, checked_pattern

Params = list[object]


@dataclass(frozen=True)
class Condition:
    """An SQL condition on the book `b`, and its parameters (hashable: it is part of a table's
    order, compared to know whether the order changed)."""

    sql: str
    params: tuple[object, ...]


@dataclass(frozen=True)
class _Place:
    """Where a field's values are: `column` in the query `where` makes of a test of it."""

    column: str
    where: str  # "{test}" for a column of `b`; else `b.id IN (SELECT ... AND {test})`

    def holds(self, test: str) -> str:
        # A column of `b` may be NULL: its test is then false, also under `not`.
        return f"coalesce({test}, 0)" if self.where == "{test}" else self.where.format(test=test)


def _of_book(column: str) -> _Place:
    return _Place(f"b.{column}", "{test}")


def _of_reading(column: str) -> _Place:
    return _Place(f"rs.{column}", "b.id IN (SELECT rs.book_id FROM reading_state rs WHERE {test})")


TEXT_PLACES = {
    "title": _of_book("title"),
    "series": _of_book("series"),
    "publisher": _of_book("publisher"),
    "language": _of_book("language"),
    "author": _Place(
        "a.name",
        "b.id IN (SELECT ba.book_id FROM author a"
        " JOIN book_author ba ON ba.author_id = a.id WHERE {test})",
    ),
    "format": _Place(
        "f.format", "b.id IN (SELECT f.book_id FROM book_file f WHERE f.missing = 0 AND {test})"
    ),
    "tags": _Place(
        "t.name",
        "b.id IN (SELECT bt.book_id FROM tag t JOIN book_tag bt ON bt.tag_id = t.id WHERE {test})",
    ),
}
NUMBER_PLACES = {"rating": _of_reading("rating"), "pages": _of_book("pages")}
DATE_PLACES = {
    "added": _of_book("added_at"),  # Unix seconds
    "finished": _of_reading("finished"),  # ISO dates, whole or partial ("2019-05")
    "started": _of_reading("started"),
    "published": _of_book("published"),
}
_INDEXED = frozenset({"title", "series", "author"})  # in the search index's text
ALIASES = {
    "authors": "author",
    "formats": "format",
    "tag": "tags",
    "date": "added",
    "pubdate": "published",
}
_PLACES = {**TEXT_PLACES, **NUMBER_PLACES, **DATE_PLACES}
FIELDS = (*TEXT_PLACES, *NUMBER_PLACES, *DATE_PLACES, "status", "hardcover")

HARDCOVER_STATES = ("linked", "needs_review", "unmatched", "no_match", "error", "excluded")
_HARDCOVER_WORDS = {
    **{state: (state,) for state in (*HARDCOVER_STATES, "removed")},
    "matched": ("linked",),
    "unmatched": ("unmatched", "needs_review", "no_match", "error"),
}


def _words(name: str) -> str:
    return " ".join(fold(name).replace("_", " ").replace("-", " ").split())


def _named(term: Term, names: Sequence[str], what: str) -> tuple[str, ...]:
    """The names `term` picks: its value exactly (`_` or `-` as spaces), else, unless the
    term says `=`, the names it begins."""
    wanted = _words(term.value)
    found = tuple(name for name in names if _words(name) == wanted)
    if not found and term.op == "":
        found = tuple(name for name in names if _words(name).startswith(wanted))
    if not found:
        raise SearchError(
            f"No {what} '{term.value}' — use one of: {', '.join(names)}", term.start, term.end
        )
    return found


class _Compiler:
    def __init__(self, today: date) -> None:
        self.today = today
        self.params: Params = []

    def node(self, node: Node) -> str:
        if isinstance(node, Not):
            return f"NOT ({self.node(node.item)})"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.node(item) for item in node.items) + ")"
        if isinstance(node, And):
            return self.both(node.items)
        return self.term(node)

    def both(self, items: Sequence[Node]) -> str:
        # Plain words together: one lookup in the index for all of them.
        words = [item for item in items if isinstance(item, Term) and item.field is None]
        parts = [self.words(words)] if words else []  # (the parameters in the text's order)
        parts += [self.node(item) for item in items if item not in words]
        return "(" + " AND ".join(parts) + ")"

    def words(self, terms: Sequence[Term]) -> str:
        condition, params = match_condition([fold(term.value) for term in terms])
        self.params += params
        return condition

    def term(self, term: Term) -> str:
        if term.field is None:
            return self.words([term])
        field = ALIASES.get(term.field, term.field)
        if term.op == "!=":
            exactly = Term(field, "=", term.value, term.quoted, term.start, term.end)
            return f"NOT ({self.term(exactly)})"
        if field not in FIELDS:
            close = difflib.get_close_matches(field, FIELDS, n=1)
            listed = f" — use one of: {', '.join(FIELDS)}"
            hint = f" — did you mean {close[0]}?" if close else listed
            raise SearchError(f"Unknown field '{term.field}'{hint}", term.start, term.end)
        if field == "status":
            return self.status(term)
        if field == "hardcover":
            return self.hardcover(term)
        place = _PLACES[field]
        presence = self.presence(term, place)
        if presence is not None:
            return presence
        if field in NUMBER_PLACES:
            return self.number(term, place)
        if field in DATE_PLACES:
            return self.date(term, place, unix=field == "added")
        return self.text(term, place, field in _INDEXED)

    def param(self, value: object) -> str:
        self.params.append(value)
        return "?"

    def presence(self, term: Term, place: _Place) -> str | None:
        """`field:true` (the book has a value) and `field:false` (it has none)."""
        word = term.value.lower()
        if term.quoted or term.op or word not in ("true", "false", "yes", "no"):
            return None
        has = place.holds(f"({place.column} IS NOT NULL AND {place.column} != '')")
        return has if word in ("true", "yes") else f"NOT {has}"

    def text(self, term: Term, place: _Place, indexed: bool) -> str:
        column = place.column
        if term.op == "~":
            try:
                checked_pattern(term.value)
            except PatternError as error:
                raise SearchError(str(error), term.start, term.end) from None
            return place.holds(f"{SQL_REGEXP}({self.param(term.value)}, {column})")
        if term.op not in ("", "="):
            raise SearchError(
                f"'{term.field}' is text: use {term.field}:word, ={term.value} or ~pattern",
                term.start,
                term.end,
            )
        value = fold(term.value)
        if term.op == "=":
            return place.holds(f"{fold_column(column)} = {self.param(value)}")
        # The index finds the few candidates first (its own text holds the field's).
        found = f"{self.words([term])} AND " if indexed and len(value) >= 3 else ""
        return f"({found}{place.holds(f'instr({fold_column(column)}, {self.param(value)}) > 0')})"

    def number(self, term: Term, place: _Place) -> str:
        if term.op == "~":
            raise SearchError(f"'{term.field}' is a number: no pattern", term.start, term.end)
        try:
            number = float(term.value.replace(",", "."))
        except ValueError:
            raise SearchError(
                f"'{term.field}' takes a number, not '{term.value}'", term.start, term.end
            ) from None
        op = term.op if term.op not in ("", "=") else "="
        return place.holds(f"{place.column} {op} {self.param(number)}")

    def date(self, term: Term, place: _Place, *, unix: bool) -> str:
        days = period(term.value, self.today) if term.op != "~" else None
        if days is None:
            raise SearchError(
                f"'{term.field}' takes a date ({DATE_WORDS}), not '{term.value}'",
                term.start,
                term.end,
            )
        first, before = bounds(term.op, *days)
        # Unix seconds from local midnight; ISO dates compared as texts, a partial one
        # ("2019-05") as its first day.
        column = place.column if unix else f"substr({place.column} || '-01-01', 1, 10)"
        tests = [f"{place.column} IS NOT NULL"]
        for day, op in ((first, ">="), (before, "<")):
            if day is not None:
                value = datetime.combine(day, time()).timestamp() if unix else day.isoformat()
                tests.append(f"{column} {op} {self.param(value)}")
        return place.holds(" AND ".join(tests))

    def status(self, term: Term) -> str:
        if term.op not in ("", "="):
            raise SearchError(
                "'status' takes a status name, such as status:reading", term.start, term.end
            )
        statuses = _named(term, READING_STATUSES, "reading status")
        return self.one_of("reading_state", "status", statuses, "unread")

    def hardcover(self, term: Term) -> str:
        if term.op not in ("", "="):
            raise SearchError(
                "'hardcover' takes a state, such as hardcover:unmatched", term.start, term.end
            )
        words = _named(term, tuple(_HARDCOVER_WORDS), "Hardcover state")
        states = tuple(sorted({state for word in words for state in _HARDCOVER_WORDS[word]}))
        return self.one_of("hardcover_match", "state", states, "unmatched")

    def one_of(self, table: str, column: str, values: Sequence[str], missing: str) -> str:
        """The book's `column` in `table` is one of `values`; a book without a row there has
        the value `missing`."""
        marks = ", ".join(self.param(value) for value in values)
        if missing in values:
            return f"b.id NOT IN (SELECT book_id FROM {table} WHERE {column} NOT IN ({marks}))"
        return f"b.id IN (SELECT book_id FROM {table} WHERE {column} IN ({marks}))"


def compile_search(node: Node, today: date) -> Condition:
    """The condition of a parsed search, dates counted from `today`."""
    compiler = _Compiler(today)
    sql = compiler.node(node)
    return Condition(sql, tuple(compiler.params))


def search_condition(text: str, today: date) -> Condition | None:
    """`text` parsed and compiled (None: a blank search, every book); `SearchError` if not."""
    node = parse(text)
    return None if node is None else compile_search(node, today)
