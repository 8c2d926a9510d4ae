"""Hasura-style row selection for the fake Hardcover: `where`, `order_by`, `limit`, `offset`.

Relations are declared once in `RELATIONS` so filters (`editions: {isbn_13: {_eq: …}}`),
ordering (`book: {users_count: desc}`) and nested selections all follow the same joins.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tests.fakes.hardcover_catalog import Catalog

# Pattern operators exist in the schema but Hardcover refuses them (hardcover-api.md §1.5).
PATTERN_OPERATORS = frozenset(
    {
        "_like",
        "_nlike",
        "_ilike",
        "_nilike",
        "_regex",
        "_nregex",
        "_iregex",
        "_niregex",
        "_similar",
        "_nsimilar",
    }
)


@dataclass(frozen=True)
class Relation:
    """`table` rows whose `remote` column equals the parent's `local` column."""

    table: str
    local: str
    remote: str
    many: bool


RELATIONS: dict[tuple[str, str], Relation] = {
    ("books", "editions"): Relation("editions", "id", "book_id", True),
    ("books", "contributions"): Relation("contributions", "id", "book_id", True),
    ("books", "book_series"): Relation("book_series", "id", "book_id", True),
    ("books", "user_books"): Relation("user_books", "id", "book_id", True),
    ("books", "canonical"): Relation("books", "canonical_id", "id", False),
    ("editions", "book"): Relation("books", "book_id", "id", False),
    ("editions", "language"): Relation("languages", "language_id", "id", False),
    ("editions", "reading_format"): Relation("reading_formats", "reading_format_id", "id", False),
    ("contributions", "author"): Relation("authors", "author_id", "id", False),
    ("contributions", "book"): Relation("books", "book_id", "id", False),
    ("authors", "contributions"): Relation("contributions", "id", "author_id", True),
    ("book_series", "book"): Relation("books", "book_id", "id", False),
    ("book_series", "series"): Relation("series", "series_id", "id", False),
    ("series", "book_series"): Relation("book_series", "id", "series_id", True),
    ("users", "user_books"): Relation("user_books", "id", "user_id", True),
    ("user_books", "book"): Relation("books", "book_id", "id", False),
    ("user_books", "edition"): Relation("editions", "edition_id", "id", False),
    ("user_books", "user"): Relation("users", "user_id", "id", False),
    ("user_books", "user_book_reads"): Relation("user_book_reads", "id", "user_book_id", True),
    ("user_books", "user_book_status"): Relation("user_book_statuses", "status_id", "id", False),
    ("user_book_reads", "user_book"): Relation("user_books", "user_book_id", "id", False),
    ("user_book_reads", "edition"): Relation("editions", "edition_id", "id", False),
    ("users", "lists"): Relation("lists", "id", "user_id", True),
    ("lists", "user"): Relation("users", "user_id", "id", False),
    ("lists", "list_books"): Relation("list_books", "id", "list_id", True),
    ("list_books", "list"): Relation("lists", "list_id", "id", False),
    ("list_books", "book"): Relation("books", "book_id", "id", False),
}


class QueryRefused(Exception):
    """The request uses something Hardcover refuses (the server answers 403)."""


class Selector:
    """Evaluates Hasura arguments against a catalogue."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        row_cap: int | None = 100,
        shuffle_unordered: bool = True,
        rng: random.Random | None = None,
        allow_pattern_operators: bool = False,
        computed: Callable[[str, dict[str, Any], str], Any] | None = None,
    ) -> None:
        self.catalog = catalog
        self.row_cap = row_cap
        self.shuffle_unordered = shuffle_unordered
        self.rng = rng or random.Random(0)
        self.allow_pattern_operators = allow_pattern_operators
        self._computed = computed

    # ----------------------------------------------------------------- relations
    def related(self, table: str, row: Mapping[str, Any], name: str) -> Any:
        relation = RELATIONS[(table, name)]
        key = row.get(relation.local)
        if not relation.many:
            if relation.remote == "id":
                return self.catalog.get(relation.table, key)
            matches = [
                r for r in self.catalog.tables[relation.table].values() if r[relation.remote] == key
            ]
            return matches[0] if matches else None
        return [
            r for r in self.catalog.tables[relation.table].values() if r.get(relation.remote) == key
        ]

    def value(self, table: str, row: Mapping[str, Any], column: str) -> Any:
        if (table, column) in RELATIONS:
            return self.related(table, row, column)
        if column in row:
            return row[column]
        if self._computed is not None:
            return self._computed(table, dict(row), column)
        return None

    # ----------------------------------------------------------------- where
    def matches(self, table: str, row: Mapping[str, Any], where: Mapping[str, Any] | None) -> bool:
        if not where:
            return True
        for key, condition in where.items():
            if key == "_and":
                if not all(self.matches(table, row, c) for c in condition or []):
                    return False
            elif key == "_or":
                if condition and not any(self.matches(table, row, c) for c in condition):
                    return False
            elif key == "_not":
                if self.matches(table, row, condition):
                    return False
            elif (table, key) in RELATIONS:
                relation = RELATIONS[(table, key)]
                target = self.related(table, row, key)
                if relation.many:
                    if not any(self.matches(relation.table, r, condition) for r in target):
                        return False
                elif target is None or not self.matches(relation.table, target, condition):
                    return False
            elif not self._compare(self.value(table, row, key), condition):
                return False
        return True

    def _compare(self, value: Any, condition: Mapping[str, Any]) -> bool:
        for op, operand in condition.items():
            if op in PATTERN_OPERATORS and not self.allow_pattern_operators:
                raise QueryRefused(f"{op} is a blocked operation")
            if not _OPERATORS[op](value, operand):
                return False
        return True

    # ----------------------------------------------------------------- select
    def select(
        self,
        table: str,
        rows: list[dict[str, Any]],
        *,
        where: Mapping[str, Any] | None = None,
        order_by: Any = None,
        limit: int | None = None,
        offset: int | None = None,
        distinct_on: Any = None,
    ) -> list[dict[str, Any]]:
        chosen = [r for r in rows if self.matches(table, r, where)]
        orders = _as_list(order_by)
        if orders:
            for spec in reversed(_flatten_order(orders)):
                path, direction = spec
                chosen = _stable_sort(
                    chosen, lambda r, p=path: self._path_value(table, r, p), direction
                )
        elif self.shuffle_unordered:
            # Hasura promises no order without order_by; shuffling exposes code relying on one.
            self.rng.shuffle(chosen)
        start = max(offset or 0, 0)
        end = None if limit is None else start + max(limit, 0)
        chosen = chosen[start:end]
        if self.row_cap is not None:
            chosen = chosen[: self.row_cap]
        return chosen

    def _path_value(self, table: str, row: Mapping[str, Any] | None, path: tuple[str, ...]) -> Any:
        current_table, current = table, row
        for part in path[:-1]:
            if current is None:
                return None
            relation = RELATIONS[(current_table, part)]
            current, current_table = self.related(current_table, current, part), relation.table
        return None if current is None else self.value(current_table, current, path[-1])


def _as_list(order_by: Any) -> list[Mapping[str, Any]]:
    if not order_by:
        return []
    return list(order_by) if isinstance(order_by, list) else [order_by]


def _flatten_order(
    orders: list[Mapping[str, Any]], prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], str]]:
    specs: list[tuple[tuple[str, ...], str]] = []
    for order in orders:
        for key, direction in order.items():
            if isinstance(direction, Mapping):
                specs.extend(_flatten_order([direction], (*prefix, key)))
            else:
                specs.append(((*prefix, key), str(direction)))
    return specs


def _stable_sort(
    rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any], direction: str
) -> list[dict[str, Any]]:
    descending = direction.startswith("desc")
    # Postgres: NULLS LAST for asc and NULLS FIRST for desc unless told otherwise.
    nulls_first = direction.endswith("nulls_first") or (
        descending and not direction.endswith("nulls_last")
    )
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    present.sort(key=key, reverse=descending)
    return missing + present if nulls_first else present + missing


def _like(value: Any, pattern: str, *, flags: int = 0) -> bool:
    if value is None:
        return False
    regex = "".join(
        ".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in str(pattern)
    )
    return re.fullmatch(regex, str(value), flags | re.DOTALL) is not None


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "_eq": lambda v, o: v is not None and v == o,
    "_neq": lambda v, o: v is not None and v != o,
    "_in": lambda v, o: v is not None and v in (o or []),
    "_nin": lambda v, o: v is not None and v not in (o or []),
    "_is_null": lambda v, o: (v is None) == bool(o),
    "_gt": lambda v, o: v is not None and v > o,
    "_gte": lambda v, o: v is not None and v >= o,
    "_lt": lambda v, o: v is not None and v < o,
    "_lte": lambda v, o: v is not None and v <= o,
    "_like": lambda v, o: _like(v, o),
    "_nlike": lambda v, o: v is not None and not _like(v, o),
    "_ilike": lambda v, o: _like(v, o, flags=re.IGNORECASE),
    "_nilike": lambda v, o: v is not None and not _like(v, o, flags=re.IGNORECASE),
}
