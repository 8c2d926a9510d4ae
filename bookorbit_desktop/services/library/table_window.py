"""The library table's order, filter and counts, worked out by SQLite: the window reads only
the books on screen (`library_rows.read_table` of a few hundred ids), however large the library.

`ordered_ids` returns the ids of the books a filter lets through, in the table's sort order,
as one compact array (8 bytes a book): its length is the table's row count, and the books of
rows 1000-1199 are `read_table(ids[1000:1200])`. The order is the one `ui.library.model`
sorts by in Python: folded texts with missing ones last, statuses and Hardcover states in
their listed order, and the library's order (sort title, then id) between equal keys in either
direction. The sorts by title, authors, series, format and the optional columns read the keys
the library stores (`store.sort_keys_schema`, kept by triggers), walking each key's index: no
sort of the whole library (descending, only the books of one key are sorted among themselves).
Texts are folded by the library search's `bookorbit_fold`, which `db.open_database` registers
on every connection it opens, so a worker thread's connection orders and filters as the
window's does.
The filter is `filter_condition`: the one place that says what a term
matches, by the library's search index. A keystroke in the filter box does not sort again:
`filtered` keeps, of the whole table's order, the books the search finds.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any, TypeVar

from bookorbit_desktop.library.reading.values import READING_STATUSES
from bookorbit_desktop.library.search.compiler import Condition as Condition
from bookorbit_desktop.library.search.compiler import compile_search
from bookorbit_desktop.library.search.fold import SQL_FOLD, fold_column
from bookorbit_desktop.library.search.fold import fold as fold
from bookorbit_desktop.library.search.grammar import And, Term, parse
from bookorbit_desktop.library.search.grammar import SearchError as SearchError
from bookorbit_desktop.library.search.query import found_query, match_condition
from bookorbit_desktop.library.store import changes, pushed_keys
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.store.sql import INBOX_IDS, in_list, outside_inbox
from bookorbit_desktop.library.store.title_order import BY_TITLE, TIES
from bookorbit_desktop.services.library.book_statuses import BookStatuses as BookStatuses
from bookorbit_desktop.services.library.custom_order import (
    CUSTOM,
    custom_order,
    first_in_custom_order,
)
from bookorbit_desktop.services.library.id_runs import kept, left_out

T = TypeVar("T")

# More changed books than this (an import, a sync of the whole library): reading the order
# again is quicker than looking for a long list of ids in it.
MAX_CHANGED = 2000
# The Hardcover states in the order the table sorts them.
HARDCOVER_STATES = (
    "linked",
    "needs_review",
    "unmatched",
    "no_match",
    "error",
    "excluded",
    "removed",
    "unread",
)


_STATUS = "coalesce(r.status, 'unread')"
_AUTHORS = (
    "coalesce((SELECT group_concat(name, ', ') FROM (SELECT a.name FROM book_author ba"
    " JOIN author a ON a.id = ba.author_id WHERE ba.book_id = b.id ORDER BY ba.position)), '')"
)
# The Tags column sorts by a book's first tag as it shows them, folded; a book without a tag
# after every text (the highest code point). One lookup in the tag links' key per book: a sort
# reads them all, a changed book's place only its own.
_FIRST_TAG = (
    f"coalesce(nullif({SQL_FOLD}((SELECT min(t.name) FROM book_tag bt"
    " JOIN tag t ON t.id = bt.tag_id WHERE bt.book_id = b.id)), ''), char(1114111))"
)
_HARDCOVER = (
    f"CASE WHEN coalesce(m.state, 'unmatched') = 'unmatched' AND {_STATUS} = 'unread'"
    " THEN 'unread' ELSE coalesce(m.state, 'unmatched') END"
)
# The average rating of a linked book's Hardcover book, as the table shows it.
_HC_RATING = "(CASE WHEN m.state = 'linked' THEN m.hc_rating END)"


def _rank(expression: str, values: Sequence[str]) -> str:
    """`expression`'s place in `values` (after them all when it is none of them)."""
    cases = " ".join(f"WHEN '{value}' THEN {n}" for n, value in enumerate(values))
    return f"CASE {expression} {cases} ELSE {len(values)} END"


# Each column's sort keys, most significant first. Title, authors, series, progress, format and
# the optional columns (date added to last read) are the keys the library stores
# (`store.sort_keys_schema`, `store.column_keys_schema`: folded, an empty one after every
# text), each with an index that gives them, with the library's order between equal keys,
# unsorted.
SORT_KEYS: dict[str, list[str]] = {
    "title": [BY_TITLE.columns[0][0]],  # the library's title order (`store.title_order`)
    "authors": ["k.authors"],
    "series": ["k.series", "k.series_index"],
    "status": [_rank(_STATUS, READING_STATUSES)],
    "progress": ["k.progress"],
    "rating": ["coalesce(r.rating, -1.0)"],
    "format": ["k.formats"],
    "hardcover": [_rank(f"({_HARDCOVER})", HARDCOVER_STATES)],
    "added": ["k.added"],
    "publisher": ["k.publisher"],
    "language": ["k.language"],
    "size": ["k.size"],
    "last_read": ["k.last_read"],
    "tags": [_FIRST_TAG],  # by each book's first tag; the books without a tag last
    "hc_rating": [f"{_HC_RATING} IS NULL", _HC_RATING],  # the books without one last
    # The books without a count last, walked from their index (`store.pages_index_schema`).
    "pages": ["b.pages IS NULL", "coalesce(b.pages, 0)"],
}
# Between equal keys (ascending either way), the library's order (sort title, then id, a book
# without a sort title first, as SQLite puts NULL first), or the stored one when the keys are,
# which their index gives with them.
LIBRARY_ORDER = "b.sort_title, b.id"
_STORED_ORDER = TIES.expressions
_JOINS = {
    "b.": " CROSS JOIN book b ON b.id = k.book_id",
    "r.": " LEFT OUTER JOIN reading_state r ON r.book_id = {id}",
    "m.": " LEFT OUTER JOIN hardcover_match m ON m.book_id = {id}",
}


def _tables(book_id: str, *clauses: str) -> str:
    """The FROM clause of a query of these clauses, `book_id` naming the book's id in them:
    the tables they read, and no others (the joins are most of the time of a sort). A query
    of the stored keys reads `book` only for a filter on its columns."""
    text = " ".join(clauses)
    stored = book_id.startswith("k.")
    tables = "FROM book_sort_key k" if stored else "FROM book b"
    for alias, join in _JOINS.items():
        if alias in text and (stored or alias != "b."):
            tables += join.format(id=book_id)
    return tables


_HAYSTACK = " || ' ' || ".join(
    (fold_column("b.title"), f"{SQL_FOLD}({_AUTHORS})", fold_column("b.series"))
)


def filter_terms(text: str) -> tuple[str, ...]:
    """The words typed in the filter box, folded as the library's search folds texts."""
    return tuple(fold(text).split())


def table_filter(text: str, today: date) -> tuple[tuple[str, ...], Condition | None]:
    """What the filter box's search (`library.search.grammar`) shows: its plain words, which
    the search index answers as it always has (`filter_condition`: a word typed on narrows the
    books shown), and the condition of the rest (None: nothing else), dates counted from
    `today`. `SearchError` says what is wrong and where."""
    node = parse(text)
    items = node.items if isinstance(node, And) else () if node is None else (node,)
    plain = [i for i in items if isinstance(i, Term) and i.field is None and not i.quoted]
    rest = [item for item in items if item not in plain]
    condition = None
    if rest:
        condition = compile_search(rest[0] if len(rest) == 1 else And(tuple(rest)), today)
    return filter_terms(" ".join(term.value for term in plain)), condition


def chosen_condition(search: str, today: date) -> Condition | None:
    """The condition of a search the library browser gives for a value it shows
    (`library.categories.terms`): the same language as the filter box's, and what both let
    through is what the table shows."""
    node = parse(search)
    return None if node is None else compile_search(node, today)


def before_the_mistake(text: str, error: SearchError, last_read: str) -> str | None:
    """While `text` cannot be read: the search whose books the table shows when the last one
    it could read (`last_read`) was only a stage of typing the broken term ("ratng" on the way
    to "ratng:>3"), the text before that term; None (the table keeps its books) otherwise."""
    before = text[: error.start]
    return before if text.startswith(last_read) and last_read.startswith(before) else None


def filter_condition(
    terms: Sequence[str], *, few: bool = False, book_id: str = "b.id"
) -> tuple[str, list[str]]:
    """An SQL condition (and its parameters) true for the books whose folded title, authors or
    series contain every one of the (folded) `terms`; `few`: the query reads a few books by id;
    `book_id` names the book's id in the query (`b` the book itself).

    The library's search index answers (`library.search.query`, as the catalog and the command
    line search): it holds the same folded texts, but joins authors with spaces where the table
    shows "A, B". So a term with a comma ("herbert,") is looked up by its pieces, then checked
    against the table's own text of the few books found."""
    if not terms:
        return "1", []
    commas = [term for term in terms if "," in term]
    looked_up = [term for term in terms if "," not in term]
    looked_up += [piece for term in commas for piece in term.split(",") if piece]
    condition, params = match_condition(looked_up, book_id, few=few) if looked_up else ("1", [])
    for term in commas:
        condition += f" AND instr({_HAYSTACK}, ?) > 0"
        params.append(term)
    return condition, params


def matching_ids(terms: Sequence[str]) -> set[int]:
    """The ids of the books every one of `terms` matches (`filter_condition`), in no order."""
    if any("," in term for term in terms):
        condition, params = filter_condition(terms)
        query = f"SELECT b.id FROM book b WHERE {condition}"
    else:  # the index's rows themselves: no lookup of each in `book`
        query, params = found_query(terms)
    return set(map(itemgetter(0), database.execute_sql(query, params)))


def filtered(ids: array[int], terms: Sequence[str], where: Condition | None = None) -> array[int]:
    """The books of `ids` (in their order) that every one of `terms` matches, and `where`
    holds for: the order of a filtered table, from the order of the whole (`ordered_ids`
    without terms or condition) and the search, without sorting again."""
    if not terms and where is None:
        return ids
    found = matching_ids(terms) if terms else None
    if where is not None and where.negation is not None:
        # Every book but those its opposite finds: these are read (`#mood:""`: 10 ms at
        # 250,000 books), not the ids of every other book (200 ms).
        opposite = _found_by(where.negation)
        if found is None:
            return left_out(ids, opposite.__contains__)
        found -= opposite
    elif where is not None:
        found = _found_by(where) if found is None else found & _found_by(where)
    assert found is not None
    return kept(ids, found.__contains__)


def _found_by(where: Condition) -> set[int]:
    """The ids of the books `where` finds, from its own query (no row of `book` read for
    each)."""
    return set(map(itemgetter(0), database.execute_sql(where.ids, where.ids_params)))


def _where(
    terms: Sequence[str],
    status: str | None,
    where: Condition | None,
    chosen: Condition | None,
    *,
    few: bool,
    book_id: str,
) -> tuple[str, list[Any]]:
    condition, words = filter_condition(terms, few=few, book_id=book_id)
    params: list[Any] = list(words)
    # The Inbox lists those (store.inbox).
    condition = f"{outside_inbox(book_id)} AND {condition}"
    if status is not None:
        condition += f" AND {_STATUS} = ?"
        params.append(status)
    for both in (where, chosen):  # a condition on `b`, the book: read from `book`, as `b`
        if both is not None:
            condition += f" AND {both.sql}"
            params += both.params
    return condition, params


def listed(among: Sequence[int]) -> set[int]:
    """The books of `among` the table lists whatever its filters: those that exist and are not
    waiting in the Inbox, by `ordered_ids`'s own rule (`_where` with no filter)."""
    condition, params = _where((), None, None, None, few=True, book_id="b.id")
    cursor = database.execute_sql(
        f"SELECT b.id FROM book b WHERE {in_list('b.id', among)} AND {condition}",
        [*among, *params],
    )
    return set(map(itemgetter(0), cursor))


def ordered_ids(
    column: str,
    descending: bool,
    terms: Sequence[str] = (),
    status: str | None = None,
    *,
    among: Sequence[int] | None = None,
    where: Condition | None = None,
    chosen: Condition | None = None,
    limit: int | None = None,
) -> array[int]:
    """The ids of the books the filters (the words, the status, the search's condition and
    the browser's choice, `chosen_condition`) let through (of those `among`, if given), in
    the order of sort `column`; only the first `limit` of them, if given (a sort's first page,
    read only as far as the page needs where an index gives the order)."""
    direction = " DESC" if descending else ""
    custom = column.startswith(CUSTOM)  # a custom column's: its values' keys (`custom_order`)
    sorts = SORT_KEYS["title"] if custom else SORT_KEYS[column]
    keys = ", ".join(f"{key}{direction}" for key in sorts)
    stored = sorts[0].startswith("k.")
    book_id, order = ("k.book_id", _STORED_ORDER) if stored else ("b.id", LIBRARY_ORDER)
    condition, params = _where(terms, status, where, chosen, few=among is not None, book_id=book_id)
    if among is not None:
        condition = f"{book_id} IN ({', '.join('?' for _id in among)}) AND {condition}"
        params = [*among, *params]
    tables = _tables(book_id, keys, condition)
    if custom and limit is not None:
        ties = f"{SORT_KEYS['title'][0]}, {_STORED_ORDER}"  # the title order's keys
        return first_in_custom_order(column, descending, tables, (condition, params), ties, limit)
    if custom:  # the books without a value in the title order, read the title's way
        with database.atomic():  # both in one snapshot
            by_title = ordered_ids(
                "title", False, terms, status, among=among, where=where, chosen=chosen
            )
            return custom_order(column, descending, tables, condition, params, by_title)
    if column in pushed_keys.FRESH and among is not None:
        keys = f"{_fresh(column)}{direction}"  # a few books: each one's key worked out afresh
    cap = "" if limit is None else f" LIMIT {int(limit)}"
    plain = f"SELECT {book_id} {tables} WHERE {condition} ORDER BY {keys}, {order}{cap}"
    if column not in pushed_keys.FRESH or among is not None:
        return array("q", (row[0] for row in database.execute_sql(plain, params)))
    with database.atomic():  # whether books are behind, and the order, in one snapshot
        if not database.execute_sql(pushed_keys.IS_BEHIND).fetchone()[0]:
            return array("q", (row[0] for row in database.execute_sql(plain, params)))
        return _pushed_order(column, direction, tables, condition, params, cap)


def _fresh(column: str) -> str:
    """The key of a push-moved column worked out afresh for the book `k` (`store.pushed_keys`)."""
    return pushed_keys.FRESH[column].replace("book_sort_key.", "k.")


def _pushed_order(
    column: str, direction: str, tables: str, condition: str, params: list[Any], cap: str
) -> array[int]:
    """The order by a key a KOReader push leaves behind (progress, last read:
    `store.pushed_keys`) while some books' keys are behind, without writing: the books whose
    key is up to date walked from its index, merged with those behind, whose key is worked out
    afresh (a few, sorted among themselves)."""
    arms = (
        f"SELECT k.book_id, {key} AS key, k.sort_title {tables} WHERE {condition}"
        f" AND k.book_id {among} behind"
        for key, among in ((f"k.{column}", "NOT IN"), (_fresh(column), "IN"))
    )
    cursor = database.execute_sql(
        f"WITH behind(book_id) AS ({pushed_keys.BEHIND_BOOKS}) SELECT book_id FROM"
        f" ({' UNION ALL '.join(arms)} ORDER BY 2{direction}, 3, 1){cap}",
        [*params, *params],
    )
    return array("q", (row[0] for row in cursor))


def status_counts() -> dict[str, int]:
    """How many books have each reading status (a book without a reading state is unread).

    Only the books read, being read or wanted are counted by status, from the index of those
    (a tenth of reading every book's state at 250,000 books); all the others are unread. The
    books are counted by SQLite's count of a table's rows, less those held in the Inbox."""
    outside = outside_inbox("r.book_id")  # the table's books only (store.inbox)
    counts = dict(
        database.execute_sql(
            "SELECT r.status, count(*) FROM reading_state r"
            f" WHERE r.status != 'unread' AND {outside} GROUP BY 1"
        )
    )
    books = int(database.execute_sql("SELECT count(*) FROM book").fetchone()[0])
    held = database.execute_sql(f"SELECT count(*) FROM book b WHERE b.id IN {INBOX_IDS}")
    unread = books - int(held.fetchone()[0]) - sum(counts.values())
    return {**counts, "unread": unread} if unread else counts


@dataclass(frozen=True)
class TableChanges:
    seq: int  # the latest change included
    changed: frozenset[int] | None  # the books changed since; None: any number of them


def changes_since(since: int | None) -> TableChanges:
    """Which books changed after change number `since` (None, or very many: any book)."""
    seq = changes.last_change()
    if since is not None and since <= seq:
        changed = changes.changed_since(since)
        if len(changed) <= MAX_CHANGED:
            return TableChanges(seq, frozenset(changed))
    return TableChanges(seq, None)


async def read_later(read: Callable[[], T]) -> T:
    """`read()` in a worker thread on a connection of its own, which the library opens as it
    opens every connection (with `bookorbit_fold`): it orders and filters as the window's."""
    return await off_loop(read)
