"""The Hardcover page's order and groups, read a window at a time however large the library.

The page lists the shown books (`library.store.dashboard_rows`) in the library's order (sort
title, then id; or reversed), each group where its first book is: the linked books that share a
Hardcover book (two or more), then the other books of a series (two or more, in series order).
`PageStream.more` reads the next top-level rows from where the last read stopped: a window of
books from the title index, and the members of the groups they start (indexed by series and
by Hardcover book), so the first screen costs the same at 1,000 books and at 250,000. Plain
data: a stream holds no connection, so it can be started in a worker thread and continued on
the window's.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bookorbit_desktop.library.store import dashboard_rows
from bookorbit_desktop.library.store.dashboard_rows import Book

WINDOW = 200  # books read from the title index at once


@dataclass
class Layout:
    """The page's top-level rows read so far: `ids` their books in display order, `starts[n]`
    where row n begins in `ids` (it ends where the next begins), `groups` the rows that are
    groups with their key ("s" + series, or "c" + Hardcover book id)."""

    ids: array[int] = field(default_factory=lambda: array("q"))
    starts: array[int] = field(default_factory=lambda: array("q"))
    groups: dict[int, str] = field(default_factory=dict)
    complete: bool = False  # every row is read

    def span(self, top: int) -> tuple[int, int]:
        end = self.starts[top + 1] if top + 1 < len(self.starts) else len(self.ids)
        return self.starts[top], end

    def add(self, key: str | None, book_ids: Sequence[int]) -> None:
        if key is not None:
            self.groups[len(self.starts)] = key
        self.starts.append(len(self.ids))
        self.ids.extend(book_ids)

    def same_rows(self, other: Layout) -> bool:
        return self.ids == other.ids and self.starts == other.starts and self.groups == other.groups


class PageStream:
    """The rows of the shown books in `state` (None: any) holding every search term."""

    def __init__(
        self, state: str | None = None, terms: Sequence[str] = (), *, descending: bool = False
    ) -> None:
        self.state, self.terms, self.descending = state, tuple(terms), descending
        self.layout = Layout()
        self._phases = [True, False] if descending else [False, True]  # titled first or not
        self._after: tuple[str | None, int] | None = None
        self._placed: set[int] = set()
        self._by_hc: dict[int, list[Book]] = {}
        self._by_series: dict[str, list[Book]] = {}
        self.total: int | None = None  # how many books it shows, when known
        self._found: list[Book] | None = None  # a search's books, in order
        if self.terms:
            self._read_found()

    def _read_found(self) -> None:
        """A search: its books (the search index finds them) ordered and grouped here."""
        found = self._in_order(dashboard_rows.found_books(self.state, self.terms))
        self._found, self.total = found, len(found)
        for book in found:
            if book.series:
                self._by_series.setdefault(book.series, []).append(book)
            if book.hc is not None:
                self._by_hc.setdefault(book.hc, []).append(book)

    def more(self, rows: int = 1) -> int:
        """Read at least `rows` more top-level rows (fewer at the end); how many were read."""
        before = len(self.layout.starts)
        while not self.layout.complete and len(self.layout.starts) - before < rows:
            window = self._window()
            if not window:
                continue
            self._find_groups(window)
            for book in window:
                self._place(book)
        return len(self.layout.starts) - before

    def until(self, rows: int) -> None:
        """Read until the layout has `rows` top-level rows (or all)."""
        if len(self.layout.starts) < rows:
            self.more(rows - len(self.layout.starts))

    def _window(self) -> list[Book]:
        if self._found is not None:
            window, self._found = self._found[:WINDOW], self._found[WINDOW:]
            self.layout.complete = not self._found
            return window
        if not self._phases:
            self.layout.complete = True
            return []
        titled = self._phases[0]
        books = dashboard_rows.books_after(
            self._after,
            self.state,
            self.terms,
            titled=titled,
            descending=self.descending,
            limit=WINDOW,
        )
        if len(books) < WINDOW:
            self._phases.pop(0)
        if books:
            self._after = (books[-1].sort_title, books[-1].id)
        return books

    def _find_groups(self, window: Sequence[Book]) -> None:
        """Read the members of every group a book of `window` may belong to."""
        hc_books = {b.hc for b in window if b.hc is not None and b.hc not in self._by_hc}
        series = {b.series for b in window if b.series and b.series not in self._by_series}
        found = self._members(sorted(series), sorted(hc_books)) if series or hc_books else []
        for name in series:
            self._by_series[name] = []
        for hc in hc_books:
            self._by_hc[hc] = []
        for book in found:
            if book.series in series:
                self._by_series[book.series].append(book)
            if book.hc in hc_books:
                self._by_hc[book.hc].append(book)
        # A series member linked to another Hardcover book may be one of its copies instead.
        more = sorted({b.hc for b in found if b.hc is not None and b.hc not in self._by_hc})
        if more:
            for hc in more:
                self._by_hc[hc] = []
            for book in self._members([], more):
                self._by_hc[book.hc].append(book)  # type: ignore[index]

    def _members(self, series: Sequence[str], hc_books: Sequence[int]) -> list[Book]:
        return dashboard_rows.members(series, hc_books, self.state, self.terms)

    def _place(self, book: Book) -> None:
        if book.id in self._placed:
            return  # under the group of a book before it
        copies = self._by_hc.get(book.hc, []) if book.hc is not None else []
        if len(copies) > 1:
            self._add_group(f"c{book.hc}", self._in_order(copies))
            return
        if book.series:
            others = [b for b in self._by_series[book.series] if not self._is_copy(b)]
            if len(others) > 1:
                ordered = self._in_order(others)
                ordered.sort(key=lambda b: (b.number is None, b.number or 0.0))
                self._add_group(f"s{book.series}", ordered)
                return
        self._placed.add(book.id)
        self.layout.add(None, [book.id])

    def _is_copy(self, book: Book) -> bool:
        return book.hc is not None and len(self._by_hc.get(book.hc, ())) > 1

    def _in_order(self, books: Iterable[Book]) -> list[Book]:
        def place(b: Book) -> tuple[bool, str, int]:
            return (b.sort_title is not None, b.sort_title or "", b.id)

        return sorted(books, key=place, reverse=self.descending)

    def _add_group(self, key: str, books: Sequence[Book]) -> None:
        ids = [b.id for b in books]
        self._placed.update(ids)
        self.layout.add(key, ids)
