"""The Hardcover page's rows as SQLite reads them: which books it shows, each one's dashboard
state, the counts per state, and its books a window at a time in the page's order.

A book is shown when it was looked up on Hardcover or is not unread. Its state is the
dashboard's: `STATE` in SQL and `state_of` for one book, the one rule of both.
`books_after` walks the title index (sort title, then
id, either way) from where the last window stopped; `members` reads the candidates for the
groups a window starts (by series, and by Hardcover book through
`hardcover_match_hc_book_id_state`); `found_books` the few books a search finds. Grouping is
`services.hardcover.dashboard.order`'s. Plain SQL on the connection `open_database` opened; no Qt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

from bookorbit_desktop.library.search.query import found_query
from bookorbit_desktop.library.store import hardcover_tally
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import in_list

_SHOWN_TABLES = (
    "FROM book b LEFT JOIN reading_state r ON r.book_id = b.id"
    " LEFT JOIN hardcover_match m ON m.book_id = b.id"
)
_TABLES = (  # and what the state needs
    f"{_SHOWN_TABLES} LEFT JOIN hardcover_sync s ON s.book_id = b.id"
    " LEFT JOIN sync_outbox o ON o.book_id = b.id"
)


def _tables(state: str | None) -> str:
    """The tables a read of the books in `state` (None: any) joins: no more than it needs."""
    return _SHOWN_TABLES if state is None else _TABLES


SHOWN = "(m.book_id IS NOT NULL OR coalesce(r.status, 'unread') != 'unread')"
# A book with a field changed both here and on hardcover.app (`hardcover_conflict`).
_IN_CONFLICT = "EXISTS (SELECT 1 FROM hardcover_conflict c WHERE c.book_id = b.id)"
STATE = (
    "(CASE WHEN m.state IN ('excluded', 'removed') THEN m.state"
    f" WHEN {_IN_CONFLICT} THEN 'conflict'"
    " WHEN m.state = 'needs_review' OR s.state = 'ahead' THEN 'needs_review'"
    " WHEN coalesce(m.state, '') IN ('', 'no_match', 'unmatched') THEN 'not_matched'"
    " WHEN m.state = 'error' OR s.state IN ('failed', 'blocked') THEN 'failed'"
    " WHEN o.held IS NOT NULL THEN 'held'"
    " WHEN s.state IS NULL OR o.book_id IS NOT NULL THEN 'pending'"
    " ELSE 'synced' END)"
)
_AUTHORS = (
    "coalesce((SELECT group_concat(name, ', ') FROM (SELECT a.name FROM book_author ba"
    " JOIN author a ON a.id = ba.author_id WHERE ba.book_id = b.id ORDER BY ba.position)), '')"
)


def search_condition(terms: Sequence[str]) -> tuple[str, list[str]]:
    """True for the books whose folded title, series or authors hold every (folded) term,
    looked up in the library's search index (`library.search.query`)."""
    if not terms:
        return "1", []
    found, params = found_query(terms)
    return f"b.id IN ({found})", params


def _where(state: str | None, terms: Sequence[str]) -> tuple[str, list[Any]]:
    condition, params = search_condition(terms)
    condition = f"{SHOWN} AND {condition}"
    if state is not None:
        condition += f" AND {STATE} = ?"
        params.append(state)
    return condition, params


def state_of(
    match: str | None, synced: str | None, queued: bool, conflict: bool = False, held: bool = False
) -> str:
    """`STATE` for one book: its match state, its sync state, whether a change waits, whether a
    field is in conflict with hardcover.app, whether the user's Cancel holds it."""
    if match in ("excluded", "removed"):
        return match
    if conflict:
        return "conflict"
    if match == "needs_review" or synced == "ahead":
        return "needs_review"
    if not match or match in ("no_match", "unmatched"):
        return "not_matched"
    if match == "error" or synced in ("failed", "blocked"):
        return "failed"
    if held:
        return "held"
    return "pending" if synced is None or queued else "synced"


def state_counts() -> dict[str, int]:
    """How many shown books are in each state: `state_of` each combination of facts the
    library's books have, as kept by triggers (`hardcover_tally`), times the books that have
    it."""
    counts: Counter[str] = Counter()
    for facts, books in hardcover_tally.tally():
        if facts.has("matched") or not facts.has("unread"):  # `SHOWN`
            state = state_of(
                facts.match_state,
                facts.sync_state,
                facts.has("queued"),
                facts.has("conflict"),
                facts.has("held"),
            )
            counts[state] += books
    return {state: number for state, number in counts.items() if number}


def states_of(book_ids: Sequence[int]) -> dict[int, str]:
    """The state of each of these books that the page shows."""
    if not book_ids:
        return {}
    rows = database.execute_sql(
        f"SELECT b.id, {STATE} {_TABLES} WHERE {SHOWN} AND {in_list('b.id', book_ids)}",
        tuple(book_ids),
    )
    return {int(book_id): str(state) for book_id, state in rows}


def other_copies(book_id: int) -> list[int]:
    """The other shown books linked to the Hardcover book `book_id` is linked to."""
    rows = database.execute_sql(
        "SELECT o.book_id FROM hardcover_match m JOIN hardcover_match o"
        " ON o.hc_book_id = m.hc_book_id AND o.state = 'linked'"
        " WHERE m.book_id = ? AND m.state = 'linked' AND o.book_id != m.book_id"
        " ORDER BY o.book_id",
        (book_id,),
    )
    return [int(other) for (other,) in rows]


def count(state: str | None, terms: Sequence[str]) -> int:
    """How many shown books are in `state` (None: any) and hold every search term."""
    condition, params = _where(state, terms)
    return int(database.execute_sql(f"SELECT count(*) {_TABLES} WHERE {condition}", params)
               .fetchone()[0])  # fmt: skip


class Book(NamedTuple):
    """A shown book as the page's order and groups need it."""

    id: int
    sort_title: str | None
    series: str | None
    number: float | None  # in its series
    hc: int | None  # the Hardcover book it is linked to


_COLUMNS = (
    "SELECT b.id, b.sort_title, b.series, b.series_index,"
    " CASE WHEN m.state = 'linked' THEN m.hc_book_id END"
)


def books_after(
    after: tuple[str | None, int] | None,
    state: str | None,
    terms: Sequence[str],
    *,
    titled: bool,
    descending: bool,
    limit: int,
) -> list[Book]:
    """The next `limit` shown books in the library's order (sort title, then id; `descending`:
    reversed) after the book keyed `after`, among those with a sort title (`titled`) or
    without: each read walks the title index from where the last one stopped."""
    condition, params = _where(state, terms)
    if titled:
        condition += " AND b.sort_title IS NOT NULL"
        order = "b.sort_title, b.id"
        if after is not None and after[0] is not None:
            condition += f" AND (b.sort_title, b.id) {'<' if descending else '>'} (?, ?)"
            params.extend(after)
    else:
        condition += " AND b.sort_title IS NULL"
        order = "b.id"
        if after is not None and after[0] is None:
            condition += f" AND b.id {'<' if descending else '>'} ?"
            params.append(after[1])
    if descending:
        order = ", ".join(f"{column} DESC" for column in order.split(", "))
    rows = database.execute_sql(
        f"{_COLUMNS} {_tables(state)} WHERE {condition} ORDER BY {order} LIMIT ?", [*params, limit]
    )
    return [Book(*row) for row in rows]


def found_books(state: str | None, terms: Sequence[str]) -> list[Book]:
    """Every shown book (in `state`) holding the search terms, in no order: a search reads
    the few it finds at once (the search index finds them) rather than walking every title."""
    condition, params = _where(state, terms)
    rows = database.execute_sql(f"{_COLUMNS} {_tables(state)} WHERE {condition}", params)
    return [Book(*row) for row in rows]


def members(
    series: Sequence[str], hc_books: Sequence[int], state: str | None, terms: Sequence[str]
) -> list[Book]:
    """The shown books (in `state`, holding the terms) of these series or linked to these
    Hardcover books: the candidates for their groups."""
    condition, params = _where(state, terms)
    wanted: list[str] = []
    values: list[object] = []
    if series:
        wanted.append(in_list("b.series", series))
        values.extend(series)
    if hc_books:
        wanted.append(
            "b.id IN (SELECT book_id FROM hardcover_match WHERE state = 'linked'"
            f" AND {in_list('hc_book_id', hc_books)})"
        )
        values.extend(hc_books)
    if not wanted:
        return []
    rows = database.execute_sql(
        f"{_COLUMNS} {_tables(state)} WHERE ({' OR '.join(wanted)}) AND {condition}",
        [*values, *params],
    )
    return [Book(*row) for row in rows]


def match_states(book_ids: Sequence[int] | None) -> dict[int, str]:
    """These books' stored match states (books without a match are left out)."""
    ids = list(book_ids or ())
    rows = database.execute_sql(
        f"SELECT book_id, state FROM hardcover_match WHERE {in_list('book_id', ids)}", tuple(ids)
    )
    return {int(book_id): str(state) for book_id, state in rows}
