"""A search's tree (`grammar.parse`) as SQL (`Condition`): a condition on the book `b`, which
lists of books add to their own, and a query of the ids of the books it finds. The fields:

    title, series, publisher    the book's text; author: any author's name; language: any of
    the book's languages; format: any file's format (epub); tags: any tag's name
        `word` the text holds it, `=word` it is the word, `~re` the pattern is found in it,
        all three case and accents aside; `true`: the book has one, `false`: it has none
    rating (0.5 to 5), pages                 `4` (or `=4`), `>=4`, `<300`, `!=3`; true/false
    added, finished, started, published      a date (`search.dates`): `2024`, `>2025-01-01`,
                                             `<30daysago`; true/false
    status       a reading status by name or label (`reading`, `want`, "on hold"); `=` exactly
    hardcover    `matched` (linked), `unmatched` (not matched, to review, no match, an error),
                 or a state: linked, needs_review, no_match, error, excluded, removed
    #label       a custom column (`search.custom_fields`) as the fields of its kind (text as
                 publisher, tag-like as tags, number or rating as pages, date as published);
                 yes/no `true` or `false`; `#label:""` no value
Plain words look in the title, authors and series (the search index). Every value's mistake
is a `SearchError` at the value's place."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from bookorbit_desktop.library.reading.values import READING_STATUSES
from bookorbit_desktop.library.search import custom_fields
from bookorbit_desktop.library.search.dates import DATE_WORDS, bounds, period
from bookorbit_desktop.library.search.fold import fold, fold_column
from bookorbit_desktop.library.search.grammar import And, Node, Not, Or, SearchError, Term, parse
from bookorbit_desktop.library.search.names import named
from bookorbit_desktop.library.search.query import (
    found_query,
    looked_up,
    match_condition,
    title_condition,
    title_query,
)
from bookorbit_desktop.library.search.regexp import SQL_REGEXP, PatternError, checked_pattern


@dataclass(frozen=True)
class Condition:
    """A search as SQL, two ways (hashable: it is part of a table's order, compared to know
    whether the order changed): `sql`, a condition on the book `b` for a query that reads
    books anyway (a sort, a few books by id); `ids`, a query of the ids of the books it finds
    (one column, `id`), whose parts look up their own tables and indexes, without reading
    each book's row: `a and b` reads a's ids and keeps those in b's (so the first part, the
    plain words when there are some, is read whole), `a or b` is a UNION, `not a` every book
    not in a's. And `each`, when every part has one: the condition again on the book `b`,
    reading only that book's own rows (its indexed text by its id, where `sql` reads the
    index's whole list of matches first), for a walk along an order that checks books one by
    one and stops at a full page. `scans`: `ids` reads books one by one (every book's row or
    indexed text, or the row of each book an index gives), not only what an index keeps."""

    sql: str
    params: tuple[object, ...]
    ids: str
    ids_params: tuple[object, ...]
    # What this is the negation of, if it is one: `not` of it is that again, not a second
    # pass over every book (`not status:unread`).
    negation: Condition | None = dataclasses.field(default=None, compare=False)
    # Made from `sql` and the same rules: what `sql` says, so not compared.
    each: str | None = dataclasses.field(default=None, compare=False)
    each_params: tuple[object, ...] = dataclasses.field(default=(), compare=False)
    scans: bool = dataclasses.field(default=False, compare=False)

    def __and__(self, other: Condition) -> Condition:
        return _both((self, other))


def _both(parts: Sequence[Condition]) -> Condition:
    # The first part is read whole: one that is not a negation, when there is one (`not a`
    # reads every book). The others' ids only test the first's: `not a` as not among a's.
    at = next((at for at, part in enumerate(parts) if part.negation is None), 0)
    first = parts[at]
    tests = [_kept_by(part) for number, part in enumerate(parts) if number != at]
    return Condition(
        "(" + " AND ".join(part.sql for part in parts) + ")",
        tuple(param for part in parts for param in part.params),
        # LIMIT -1 (none) keeps the first part a query of its own: SQLite would otherwise
        # push the others' test into it, and look each of their ids up in the search index.
        f"SELECT id FROM ({first.ids} LIMIT -1) WHERE " + " AND ".join(t for t, _ in tests),
        first.ids_params + tuple(param for _, params in tests for param in params),
        scans=first.scans,
        **_each_of(parts, " AND "),
    )


def _kept_by(part: Condition) -> tuple[str, tuple[object, ...]]:
    """A test of a book's `id` (and its parameters) true when `part` finds the book: a
    negation's, that its opposite does not."""
    if part.negation is not None:
        return f"id NOT IN ({part.negation.ids})", part.negation.ids_params
    return f"id IN ({part.ids})", part.ids_params


def _either(parts: Sequence[Condition]) -> Condition:
    return Condition(
        "(" + " OR ".join(part.sql for part in parts) + ")",
        tuple(param for part in parts for param in part.params),
        " UNION ".join(f"SELECT id FROM ({part.ids})" for part in parts),
        tuple(param for part in parts for param in part.ids_params),
        scans=any(part.scans for part in parts),
        **_each_of(parts, " OR "),
    )


def _each_of(parts: Sequence[Condition], joint: str) -> dict[str, Any]:
    """`each` of the parts joined by `joint` (none when a part has none)."""
    eaches = [part.each for part in parts if part.each is not None]
    if len(eaches) < len(parts):
        return {}
    return {
        "each": "(" + joint.join(eaches) + ")",
        "each_params": tuple(param for part in parts for param in part.each_params),
    }


def _negated(part: Condition) -> Condition:
    if part.negation is not None:
        return part.negation
    return Condition(
        f"NOT ({part.sql})",
        part.params,
        f"SELECT id FROM book WHERE id NOT IN ({part.ids})",
        part.ids_params,
        part,
        None if part.each is None else f"NOT ({part.each})",
        part.each_params,
        scans=True,
    )


def _among(subquery: str, params: Sequence[object]) -> Condition:
    """The books whose ids `subquery` selects."""
    return Condition(f"b.id IN ({subquery})", tuple(params), subquery, tuple(params))


@dataclass(frozen=True)
class _Place:
    """Where a field's values are: `column`, in `b` itself or in the query `among` selecting
    the ids of the books whose rows there pass a test (`{test}`). `by_value`: a column of `b`
    that an index begins with, whose values repeat (series): its ids are found by testing each
    distinct value once, read from the index, then looking their books up by it. `keyed`: the
    column of `book_sort_key` that keeps `column` folded, with an index: `=` looks its books up
    there."""

    column: str
    among: str | None = None
    by_value: bool = False
    folded: str | None = None  # a column the library keeps `column` folded in
    keyed: str | None = None

    def holds(self, test: str, params: Sequence[object]) -> Condition:
        if self.among is not None:
            return _among(self.among.format(test=test), params)
        # A column of `b` may be NULL: its test is then false, also under `not`.
        sql = f"coalesce({test}, 0)"
        if not self.by_value:
            ids = f"SELECT b.id AS id FROM book b WHERE {test}"
            return Condition(sql, tuple(params), ids, tuple(params), None, sql, tuple(params), True)
        # The test is a function of the value alone: `b` is here a table of the values (no
        # NULL: `IN` never matches one). LIMIT -1 keeps SQLite from testing every book's.
        name = self.column.removeprefix("b.")
        values = f"SELECT DISTINCT {name} FROM book WHERE {name} IS NOT NULL LIMIT -1"
        ids = (
            f"SELECT id FROM book WHERE {name} IN (SELECT b.{name} FROM ({values}) b WHERE {test})"
        )
        return Condition(sql, tuple(params), ids, tuple(params), None, sql, tuple(params))


def _of_book(column: str) -> _Place:
    return _Place(f"b.{column}")


def _of_reading(column: str) -> _Place:
    return _Place(f"rs.{column}", "SELECT rs.book_id AS id FROM reading_state rs WHERE {test}")


TEXT_PLACES = {
    "title": _of_book("title"),
    "series": _Place("b.series", by_value=True, keyed="series"),  # indexed (`book_series_order`)
    # Kept folded by the stored sort keys (`store.column_keys_schema`).
    "publisher": _Place("b.publisher", keyed="publisher"),
    # Any of a book's languages (`store.language_schema`), `=` by the folded key's index.
    "language": _Place(
        "l.code", "SELECT l.book_id AS id FROM book_language l WHERE {test}", folded="l.key"
    ),
    # Authors and tags are few: the matching ones are found first, then their books by the
    # credits' and tags' index (CROSS JOIN keeps that order; SQLite would read every credit).
    "author": _Place(
        "a.name",
        "SELECT ba.book_id AS id FROM author a"
        " CROSS JOIN book_author ba ON ba.author_id = a.id WHERE {test}",
        folded="a.fold",
    ),
    "format": _Place(
        "f.format", "SELECT f.book_id AS id FROM book_file f WHERE f.missing = 0 AND {test}"
    ),
    "tags": _Place(
        "t.name",
        "SELECT bt.book_id AS id FROM tag t CROSS JOIN book_tag bt ON bt.tag_id = t.id"
        " WHERE {test}",
    ),
}
NUMBER_PLACES = {"rating": _of_reading("rating"), "pages": _of_book("pages")}
DATE_PLACES = {
    "added": _of_book("added_at"),  # Unix seconds
    "finished": _of_reading("finished"),  # ISO dates, whole or partial ("2019-05")
    "started": _of_reading("started"),
    "published": _of_book("published"),
}
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


class _Compiler:
    def __init__(self, today: date) -> None:
        self.today = today

    def node(self, node: Node) -> Condition:
        if isinstance(node, Not):
            return _negated(self.node(node.item))
        if isinstance(node, Or):
            return _either([self.node(item) for item in node.items])
        if isinstance(node, And):
            return self.both(node.items)
        return self.term(node)

    def both(self, items: Sequence[Node]) -> Condition:
        # Plain words together: one lookup in the index for all of them.
        words = [item for item in items if isinstance(item, Term) and item.field is None]
        parts = [self.words(words)] if words else []
        parts += [self.node(item) for item in items if item not in words]
        return parts[0] if len(parts) == 1 else _both(parts)

    def words(self, terms: Sequence[Term]) -> Condition:
        folded = [fold(term.value) for term in terms]
        found, params = found_query(folded)
        each, each_params = match_condition(folded, few=True)
        scans = not any(looked_up(term) for term in folded)
        among = _among(found, params)
        return dataclasses.replace(among, each=each, each_params=(*each_params,), scans=scans)

    def term(self, term: Term) -> Condition:
        if term.field is None:
            return self.words([term])
        field = ALIASES.get(term.field, term.field)
        if term.op == "!=":
            return _negated(self.term(dataclasses.replace(term, op="=")))
        if field.startswith("#"):
            return self.custom(term)
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
        if (presence := self.presence(term, place)) is not None:
            return presence
        if field in NUMBER_PLACES:
            return self.number(term, place)
        if field in DATE_PLACES:
            return self.date(term, place, unix=field == "added")
        return self.text(term, place, title=field == "title")

    def custom(self, term: Term) -> Condition:
        """`#label:value`, by the rules of the built-in fields of the column's kind."""
        found = custom_fields.custom_field(term)
        among = found.patterned if term.op == "~" and found.patterned else found.among
        place = _Place(found.column, among, folded=found.folded)
        if term.quoted and not term.value:  # `#label:""`: no value
            return _negated(place.holds("1", ()))
        if found.kind == custom_fields.YES_NO:
            return place.holds(f"{place.column} = ?", [custom_fields.yes_no(term)])
        if (presence := self.presence(term, place)) is not None:
            return presence
        if found.kind == custom_fields.NUMBER:
            return self.number(term, place)
        if found.kind == custom_fields.DATE:
            return self.date(term, place, unix=False)
        return self.text(term, place, title=False)

    def presence(self, term: Term, place: _Place) -> Condition | None:
        """`field:true` (the book has a value) and `field:false` (it has none)."""
        word = term.value.lower()
        if term.quoted or term.op or word not in ("true", "false", "yes", "no"):
            return None
        has = place.holds(f"({place.column} IS NOT NULL AND {place.column} != '')", ())
        return has if word in ("true", "yes") else _negated(has)

    def text(self, term: Term, place: _Place, *, title: bool) -> Condition:
        column = place.column
        if term.op == "~":
            try:
                checked_pattern(term.value)
            except PatternError as error:
                raise SearchError(str(error), term.start, term.end) from None
            return place.holds(f"{SQL_REGEXP}(?, {column})", [term.value])
        if term.op not in ("", "="):
            raise SearchError(
                f"'{term.field}' is text: use {term.field}:word, ={term.value} or ~pattern",
                term.start,
                term.end,
            )
        value = fold(term.value)
        exact = term.op == "="
        if title:
            # The index's text begins with the folded title (`query.title_query`): the title is
            # checked there, in the index's own rows, not folded again from each book's.
            ids, ids_params = title_query(value, exact=exact)
            each, each_params = title_condition(value, exact=exact)
            return Condition(
                f"b.id IN ({ids})",
                tuple(ids_params),
                ids,
                tuple(ids_params),
                each=each,
                each_params=tuple(each_params),
                scans=True,  # each candidate's text, or every book's
            )
        if exact and place.keyed is not None and value:  # (an empty key is no text: x'')
            keyed = f"SELECT k.book_id AS id FROM book_sort_key k WHERE k.{place.keyed} = ?"
            return _among(keyed, [value])
        folded = place.folded or fold_column(column)
        return place.holds(f"{folded} = ?" if exact else f"instr({folded}, ?) > 0", [value])

    def number(self, term: Term, place: _Place) -> Condition:
        if term.op == "~":
            raise SearchError(f"'{term.field}' is a number: no pattern", term.start, term.end)
        try:
            number = float(term.value.replace(",", "."))
        except ValueError:
            raise SearchError(
                f"'{term.field}' takes a number, not '{term.value}'", term.start, term.end
            ) from None
        op = term.op if term.op not in ("", "=") else "="
        return place.holds(f"{place.column} {op} ?", [number])

    def date(self, term: Term, place: _Place, *, unix: bool) -> Condition:
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
        tests, params = [f"{place.column} IS NOT NULL"], list[object]()
        for day, op in ((first, ">="), (before, "<")):
            if day is not None:
                tests.append(f"{column} {op} ?")
                params.append(
                    datetime.combine(day, time()).timestamp() if unix else day.isoformat()
                )
        return place.holds(" AND ".join(tests), params)

    def status(self, term: Term) -> Condition:
        if term.op not in ("", "="):
            raise SearchError(
                "'status' takes a status name, such as status:reading", term.start, term.end
            )
        statuses = named(term, READING_STATUSES, "reading status")
        return _one_of("reading_state", "status", statuses, "unread")

    def hardcover(self, term: Term) -> Condition:
        if term.op not in ("", "="):
            raise SearchError(
                "'hardcover' takes a state, such as hardcover:unmatched", term.start, term.end
            )
        words = named(term, tuple(_HARDCOVER_WORDS), "Hardcover state")
        states = tuple(sorted({state for word in words for state in _HARDCOVER_WORDS[word]}))
        return _one_of("hardcover_match", "state", states, "unmatched")


def _one_of(table: str, column: str, values: Sequence[str], missing: str) -> Condition:
    """The book's `column` in `table` is one of `values`; a book without a row there has the
    value `missing`."""
    marks = ", ".join("?" * len(values))
    if missing in values:
        others = f"SELECT book_id AS id FROM {table} WHERE {column} NOT IN ({marks})"
        return _negated(_among(others, values))
    return _among(f"SELECT book_id AS id FROM {table} WHERE {column} IN ({marks})", values)


def compile_search(node: Node, today: date) -> Condition:
    """The condition of a parsed search, dates counted from `today`."""
    return _Compiler(today).node(node)


def search_condition(text: str, today: date) -> Condition | None:
    """`text` parsed and compiled (None: a blank search, every book); `SearchError` if not."""
    node = parse(text)
    return None if node is None else compile_search(node, today)
