"""What the library table reads, safe to run in a worker thread on a connection of its own
(`LazyLibraryModel` shows it on the window's thread): the order of a sort or a filter, and
what changes to some books do to the order and the rows shown."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeAlias

from bookorbit_desktop.services.library import table_window
from bookorbit_desktop.services.library.id_runs import left_out
from bookorbit_desktop.services.library.rows import TableBook
from bookorbit_desktop.services.library.table_window import Condition

Reader = Callable[[Sequence[int]], list[TableBook]]
ShownOrder: TypeAlias = (
    "tuple[array[int], array[int]]"  # the books shown, and without the filter's terms
)
Page = dict[int, TableBook]  # a page's books, by id


@dataclass(frozen=True)
class Order:
    """What the table shows: the books the filters let through, sorted by `column`: the filter
    box's plain words (`terms`) and the condition of the rest of its search (`where`)."""

    column: str
    descending: bool
    terms: tuple[str, ...]
    status: str | None
    where: Condition | None = None
    chosen: Condition | None = None  # the library browser's choice

    def ids(self, among: Sequence[int] | None = None) -> array[int]:
        return table_window.ordered_ids(
            self.column,
            self.descending,
            self.terms,
            self.status,
            among=among,
            where=self.where,
            chosen=self.chosen,
        )

    def first(self, count: int) -> array[int]:
        """The first `count` books of `ids()`, read only as far as they need where an index
        gives the order: a sort's first page, shown while its whole order is read."""
        return table_window.ordered_ids(
            self.column,
            self.descending,
            self.terms,
            self.status,
            where=self.where,
            chosen=self.chosen,
            limit=count,
        )

    def same_books(self, other: Order) -> bool:
        """Whether `other` shows the same books, perhaps in another order."""
        return replace(self, column=other.column, descending=other.descending) == other

    @property
    def narrowed(self) -> bool:
        """Whether a filter lets only some books through."""
        return bool(self.terms) or any(
            narrowing is not None for narrowing in (self.status, self.where, self.chosen)
        )

    @property
    def whole(self) -> Order:
        """The same order without the filter box's search: the table `filtered` narrows."""
        return replace(self, terms=(), where=None)


@dataclass(frozen=True)
class Found:
    """What changes to some books do to the table (`LazyLibraryModel.find`)."""

    stamp: int  # the state of the table the read began from
    ids: array[int] | None  # the new order; None: the books keep their rows
    rows: dict[int, int]  # the changed books shown, by id: their rows
    fresh: dict[int, TableBook]  # the changed books the table lists, shown or not
    whole: array[int] | None = None  # with `ids`: the order before the filter box's terms
    counts: Mapping[str, int] | None = None  # with `ids`: how many books have each status
    gone: frozenset[int] = frozenset()  # the changed books the table no longer lists


def rows_of(ids: array[int], wanted: Collection[int]) -> dict[int, int]:
    """The rows of the `wanted` books in `ids` (those shown)."""
    if len(wanted) == 1:
        (book_id,) = wanted
        try:
            return {book_id: ids.index(book_id)}
        except ValueError:
            return {}
    return {book_id: row for row, book_id in enumerate(ids) if book_id in wanted}


def page_of(read: Reader | None, ids: Sequence[int]) -> Page:
    """The books of `ids`, as `read` reads them (none without a reader)."""
    return {} if read is None else {book.id: book for book in read(list(ids))}


def with_first_page(
    read_order: Callable[[], ShownOrder], read: Reader | None, count: int
) -> tuple[ShownOrder, Page]:
    """A sort or filter's order, and the books of its first `count` rows: read beside it in
    the worker thread, so that showing it reads nothing on the window's thread."""
    order = read_order()
    return order, page_of(read, order[0][:count])


def first_rows(
    order_by: Order, count: int, ids: array[int], read: Reader | None
) -> tuple[frozenset[int], array[int] | None, Page]:
    """What a sort's first page shows while its whole order is read, read in a worker thread:
    the books of its first `count` (`Order.first`), and the rows: those at the top, then the
    other books of `ids` (the same books, shown in the order before) as they were until the
    whole order comes; None when the page holds a book not shown (the books changed); and the
    page's books, as `read` reads them."""
    first = order_by.first(count)
    on_page = frozenset(first)
    rest = left_out(ids, on_page.__contains__)
    rows = first + rest if len(rest) + len(first) == len(ids) else None
    return on_page, rows, page_of(read, first) if rows is not None else {}


def kept_places(ids: array[int], changed: set[int], order_by: Order) -> dict[int, int] | None:
    """The rows in `ids` of the changed books it holds, when every changed book keeps its place
    in the order as `order_by` reads it now; None when one moved, came or went."""
    place = rows_of(ids, changed)
    rows = dict(place)  # the changed books shown and their neighbours, by id
    for row in place.values():
        for near in range(max(0, row - 1), min(len(ids), row + 2)):
            rows[ids[near]] = near
    now = order_by.ids(among=sorted(changed | rows.keys()))
    if changed & set(now) != place.keys() or list(now) != sorted(now, key=rows.__getitem__):
        return None
    return place


def order_of(
    order_by: Order, whole: array[int] | None = None, among: array[int] | None = None
) -> ShownOrder:
    """The books `order_by` shows, and its order without the filter box's terms: of `whole`
    (that order, None: read again), or of `among` (a part of it, when the terms narrow)."""
    whole = order_by.whole.ids() if whole is None else whole
    shown = table_window.filtered(whole if among is None else among, order_by.terms, order_by.where)
    return shown, whole


def read_all(stamp: int, order_by: Order) -> Found:
    """The whole order again (and the counts), filtered from the unfiltered one."""
    ids, whole = order_of(order_by)
    return Found(stamp, ids, {}, {}, whole, table_window.status_counts())


def find_changes(
    read: Reader | None,
    order_by: Order,
    ids: array[int],
    whole: array[int] | None,
    stamp: int,
    changed: Collection[int] | None,
) -> Found:
    """What `LazyLibraryModel.find` reads, from the model's state when it was asked."""
    if read is None or (changed is not None and not changed):
        return Found(stamp, None, {}, {})
    if changed is None:
        return read_all(stamp, order_by)
    wanted = set(changed)
    place = kept_places(ids, wanted, order_by)
    # The unfiltered order too, which the next keystroke narrows (it is `ids` without terms).
    if place is None or (
        whole is not None
        and whole is not ids
        and kept_places(whole, wanted, order_by.whole) is None
    ):
        return read_all(stamp, order_by)  # a book moved, came or went
    # Every changed book, shown or not: the status counts follow them all, of the books the
    # table lists (an import held in the Inbox, a book removed, are not counted).
    listed = table_window.listed(sorted(wanted))
    fresh = {book.id: book for book in read(sorted(listed))} if listed else {}
    return Found(stamp, None, place, fresh, gone=frozenset(wanted - listed))
