"""What a fresh read of the library changes in the table, worked out off the window's thread:
the rows to redraw in place, or a new order. Plain Python."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bookorbit_desktop.services.library_rows import library_order
from bookorbit_desktop.ui.library.model import Row


@dataclass(slots=True)
class RowDiff:
    """What a fresh read of the library changes in the rows shown (`diff_rows`)."""

    rows: list[Row]  # every book as read now, in its order; unchanged books keep the row shown
    shown: list[Row]  # the rows it was compared with
    fresh: dict[int, Row]  # the books that changed or came, by id
    replaced: dict[int, Row]  # the rows shown of the books in `fresh` that were shown
    gone: set[int]  # the ids of the books that went
    rebuild: bool  # a book came or went, or the library's order changed (a rename)


def diff_rows(shown: list[Row], rows: list[Row]) -> RowDiff:
    """Compare a fresh read with the rows shown; plain Python, for a worker thread. The rows of
    unchanged books are the ones shown: the fresh copies are freed at once."""
    old = {row.book.id: row for row in shown}
    kept: list[Row] = []
    fresh: dict[int, Row] = {}
    replaced: dict[int, Row] = {}
    still: set[int] = set()  # the books shown that are still there
    for row in rows:
        book_id = row.book.id
        before = old.get(book_id)
        if before is None:
            kept.append(row)
            fresh[book_id] = row
            continue
        still.add(book_id)
        if before.book == row.book:
            kept.append(before)
        else:
            kept.append(row)
            fresh[book_id] = row
            replaced[book_id] = before
    rebuild = len(rows) != len(shown) or any(
        row.book.id != before.book.id for row, before in zip(rows, shown, strict=True)
    )
    return RowDiff(kept, shown, fresh, replaced, old.keys() - still, rebuild)


def diff_changed(shown: list[Row], rows: list[Row], changed: Collection[int]) -> RowDiff:
    """`diff_rows` for a read of only the `changed` books (`rows`: those that still exist);
    every other book keeps the row shown. Plain Python, for a worker thread."""
    before = {row.book.id: row for row in shown if row.book.id in changed}
    now = {row.book.id: row for row in rows}
    fresh = {
        book_id: row
        for book_id, row in now.items()
        if book_id not in before or before[book_id].book != row.book
    }
    replaced = {book_id: before[book_id] for book_id in fresh if book_id in before}
    gone = before.keys() - now.keys()
    if (
        not gone
        and not (now.keys() - before.keys())
        and all(
            library_order(before[book_id].book) == library_order(row.book)
            for book_id, row in fresh.items()
        )
    ):
        # Swapped by identity: reading every shown row's book id would cost ten times as long.
        swap = {id(before[book_id]): row for book_id, row in fresh.items()}
        kept = [swap.get(id(row), row) for row in shown]
        return RowDiff(kept, shown, fresh, replaced, set(), False)
    kept = [fresh.get(row.book.id, row) for row in shown if row.book.id not in gone]
    kept.extend(row for book_id, row in fresh.items() if book_id not in before)
    kept.sort(key=lambda row: library_order(row.book))
    rebuild = [row.book.id for row in kept] != [row.book.id for row in shown]
    return RowDiff(kept, shown, fresh, replaced, gone, rebuild)
