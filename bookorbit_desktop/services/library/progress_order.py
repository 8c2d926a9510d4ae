"""The library table's order by progress (`table_window.ordered_ids`), read without sorting
the whole library: the progress index (`reading_state_progress`) gives the books with some
progress in order, the sort title index the books without in the library's order.

The rule is the table's: progress ascending or descending, a book without a reading state or
without progress counted as 0 %, and the library's order (`LIBRARY_ORDER`) between equal
progress in either direction. So, ascending: the books below 0 % (none that KOReader sends;
kept for the rule), the books at 0 % in the library's order, then the books above it;
descending the other way round, the books at 0 % still in the library's order. The index
orders equal progress by id: the runs of books sharing one progress (finished books, at
100 %) are read again in the library's order and put in their place.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import Any

from bookorbit_desktop.library.store.models import database

# The library's order: sort title, then id, a book without a sort title first (SQLite puts
# NULL first), as the sort title index gives it.
LIBRARY_ORDER = "b.sort_title, b.id"
# The condition of the books the table lists (and their parameters), the book's id named as
# given: `b` names the book, `r` its reading state.
Where = Callable[[str], tuple[str, list[Any]]]


def progress_ids(descending: bool, where: Where) -> array[int]:
    """The ids of the books `where` lets through, in the order of their progress."""
    below, above = (_side(f"r.progress {side} 0", descending, where) for side in "<>")
    with_progress = set(below)
    with_progress.update(above)
    none = _none(where, with_progress)
    return above + none + below if descending else below + none + above


def _none(where: Where, with_progress: set[int]) -> array[int]:
    """The books at 0 % in the library's order: those of the books listed without `with_progress`
    (none to read when these are all of them)."""
    condition, params = where("b.id")
    tables = "FROM book b"
    if "r." in condition:
        tables += " LEFT OUTER JOIN reading_state r ON r.book_id = b.id"
    (listed,) = database.execute_sql(
        f"SELECT count(*) {tables} WHERE {condition}", params
    ).fetchone()
    if listed == len(with_progress):
        return array("q")
    rows = database.execute_sql(
        f"SELECT b.id {tables} WHERE {condition} ORDER BY {LIBRARY_ORDER}", params
    )
    return array("q", (row[0] for row in rows if row[0] not in with_progress))


def _side(side: str, descending: bool, where: Where) -> array[int]:
    """The books on one side of 0 % in the progress index's order, each run of equal progress
    in the library's order."""
    condition, params = where("r.book_id")
    condition = f"{side} AND {condition}"
    book = " CROSS JOIN book b ON b.id = r.book_id"
    rows = database.execute_sql(
        f"SELECT r.book_id FROM reading_state r{book if 'b.' in condition else ''}"
        f" WHERE {condition} ORDER BY r.progress{' DESC' if descending else ''}",
        params,
    )
    walked = array("q", (row[0] for row in rows))
    runs: dict[float, list[int]] = {}
    for progress, book_id in database.execute_sql(
        f"SELECT r.progress, r.book_id FROM reading_state r{book} WHERE r.progress IN"
        f" (SELECT progress FROM reading_state r WHERE {side} GROUP BY 1 HAVING count(*) > 1)"
        f" AND {condition} ORDER BY r.progress, {LIBRARY_ORDER}",
        params,
    ):
        runs.setdefault(progress, []).append(book_id)
    run_of = {book_id: run for run in runs.values() if len(run) > 1 for book_id in run}
    return _in_place(walked, run_of) if run_of else walked


def _in_place(walked: array[int], run_of: dict[int, list[int]]) -> array[int]:
    """`walked` with each run of equal progress (its books next to one another) in the order
    `run_of` gives it."""
    ordered = array("q")
    current: list[int] | None = None
    for book_id in walked:
        run = run_of.get(book_id)
        if run is None:
            ordered.append(book_id)
        elif run is not current:
            ordered.extend(run)
            current = run
    return ordered
