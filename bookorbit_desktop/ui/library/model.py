"""The library table's Qt model: a plain list of book dicts, filtered and sorted in Python.

Filtering and sorting run over precomputed keys instead of a QSortFilterProxyModel calling
back into Python for every row and comparison. Rows are kept sorted, so a filter keystroke
only picks rows (it never sorts), and a keystroke that narrows the filter (adds letters or
words) looks only at the rows the previous one left: typing stays quick with 50,000 books.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from bookorbit_desktop.gc_pause import paused_collection

if TYPE_CHECKING:  # the comparison module builds on these rows
    from bookorbit_desktop.ui.library.row_diff import RowDiff
from bookorbit_desktop.services.library import (
    HARDCOVER_LABELS,
    HARDCOVER_STATES,
    READING_STATUSES,
    STATUS_LABELS,
    BookRow,
    progress_text,
)

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("authors", "Authors"),
    ("series", "Series"),
    ("status", "Status"),
    ("progress", "Progress"),
    ("rating", "Rating"),
    ("format", "Format"),
    ("hardcover", "Hardcover"),
)
COLUMN_KEYS = tuple(key for key, _ in COLUMNS)
BOOK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 2
_STATUS_ORDER = {status: n for n, status in enumerate(READING_STATUSES)}
_HARDCOVER_ORDER = {state: n for n, state in enumerate(HARDCOVER_STATES)}


class _Marks(dict[int, int | None]):
    """`str.translate` table dropping combining marks (accents): each code point is looked up
    with `unicodedata.combining` once, then answered by the dict itself."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """Lower-case `text` and drop accents, so "Émile" matches "emile"."""
    if text.isascii():  # most titles: nothing to decompose, and casefold() is lower() here
        return text.lower()
    return unicodedata.normalize("NFKD", text.casefold()).translate(_MARKS)


def filter_terms(text: str) -> tuple[str, ...]:
    return tuple(fold(text).split())


def narrows(old: Sequence[str], new: Sequence[str]) -> bool:
    """True when every book matching `new` also matches `old` (each old term lies inside a new
    one), so the new filter can search the old filter's result instead of the whole library."""
    return all(any(term in longer for longer in new) for term in old)


def format_rating(rating: float | None) -> str:
    """Stars for a 0.5..5 rating in half steps: 3.5 -> "★★★½"."""
    if rating is None or rating <= 0:
        return ""
    whole = int(rating)
    return "★" * whole + ("½" if rating - whole >= 0.5 else "")


def format_series(series: str | None, index: float | None) -> str:
    if not series:
        return ""
    if index is None:
        return series
    number = f"{index:g}"
    return f"{series} #{number}"


def _missing_last(value: str) -> tuple[bool, str]:
    return (value == "", value)


@dataclass(slots=True)
class Row:
    """A book as the table shows, sorts and filters it (made once per change of the book)."""

    book: BookRow
    display: tuple[str, ...]
    keys: tuple[Any, ...]
    haystack: str


def prepare_rows(books: Sequence[BookRow]) -> list[Row]:
    """The table's rows for `books`; plain Python, so a worker thread can make them."""
    shared: dict[Any, Any] = {}

    def one(value: Any) -> Any:
        """The first copy of an equal text or key (authors, series and formats repeat)."""
        return shared.setdefault(value, value)

    with paused_collection():
        return [_make_row(book, one) for book in books]


def row_runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Ascending row numbers as runs of adjacent rows: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _status(row: Row) -> str:
    return str(row.book.get("status") or "unread")


def _own(value: Any) -> Any:
    return value


def _make_row(book: BookRow, one: Callable[[Any], Any] = _own) -> Row:
    title = book["title"]
    authors = one(", ".join(book["authors"]))
    series = one(format_series(book.get("series"), book.get("series_index")))
    progress = float(book.get("progress") or 0.0)
    rating = book.get("rating")
    formats = one(", ".join(f.upper() for f in book.get("formats", ())))
    hardcover = str(book.get("hardcover") or "unmatched")
    status = str(book.get("status") or "unread")
    display = (
        title,
        authors,
        series,
        STATUS_LABELS.get(status, status),
        progress_text(progress, book.get("pages")),
        format_rating(rating),
        formats,
        HARDCOVER_LABELS.get(hardcover, hardcover),
    )
    # Each text is folded once: the filter's haystack joins the folded parts (folding works
    # character by character, so that is the fold of the joined text).
    sort_title = book.get("sort_title") or title
    folded_title = fold(title)
    folded_authors = one(fold(authors))
    folded_series = one(fold(book.get("series") or ""))
    keys = (
        _missing_last(folded_title if sort_title == title else fold(sort_title)),
        one(_missing_last(folded_authors)),
        one((_missing_last(folded_series), book.get("series_index") or 0.0)),
        _STATUS_ORDER.get(status, len(_STATUS_ORDER)),
        progress,
        rating if rating is not None else -1.0,
        one(_missing_last(formats)),
        _HARDCOVER_ORDER.get(hardcover, len(_HARDCOVER_ORDER)),
    )
    haystack = f"{folded_title} {folded_authors} {folded_series}"
    return Row(book, display, keys, haystack)


class LibraryModel(QAbstractTableModel):
    """Books as rows, `COLUMNS` as columns; `set_filter`/`set_status_filter`/`sort` reorder."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._given: list[Row] = []  # every book, in the order the library gave them
        self._all: list[Row] = []  # every book, in the current sort order
        self._rows: list[Row] = []  # the books the filters let through, in that order
        self._terms: tuple[str, ...] = ()
        self._status: str | None = None
        self._counts: Counter[str] = Counter()  # books per reading status, of every book
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- data in ----------------------------------------------------------------------------

    def set_books(self, books: Sequence[BookRow]) -> None:
        self.set_rows(prepare_rows(books))

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._given = rows
        self._counts = Counter(_status(row) for row in rows)
        self._all = self._sorted(self._given)
        self._rows = self._visible(self._all)
        self.endResetModel()

    def books(self) -> list[BookRow]:
        """Every book as shown, in the library's order."""
        return [row.book for row in self._given]

    @property
    def shown_rows(self) -> list[Row]:
        """Every book's row as shown (never changed in place: a worker may compare with it)."""
        return self._given

    def apply_diff(self, diff: RowDiff) -> set[int] | None:
        """Show the library as `diff` says (`diff_rows` against `shown_rows`, in a worker
        thread), touching the table only where a book changed; the ids of the books that
        changed, came or went. None, with nothing done, when the rows shown changed since the
        comparison (the window's own edit): the caller reads again."""
        if diff.shown is not self._given:
            return None
        if diff.rebuild:
            self.set_rows(diff.rows)
        else:
            self._replace(diff.fresh)
        return set(diff.fresh) | diff.gone

    def update_books(self, books: Sequence[BookRow]) -> None:
        """Replace (or add) these books, keeping every other row as it is."""
        fresh = {book["id"]: _make_row(book) for book in books}
        if fresh.keys() <= {row.book["id"] for row in self._given}:
            self._replace(fresh)
            return
        rows = [fresh.pop(row.book["id"], row) for row in self._given]
        rows.extend(fresh.values())
        self.set_rows(rows)

    def _replace(self, fresh: dict[int, Row]) -> None:
        """Put `fresh` in place of these books' rows. Rows that keep their place in the sort
        and in the filters are only repainted (the view keeps its scroll position and
        selection); otherwise every row is sorted and filtered again."""
        if not fresh:
            return
        column = self._sort_column
        before = {row.book["id"]: row for row in self._given if row.book["id"] in fresh}
        in_place = all(
            before[book_id].keys[column] == row.keys[column]
            and bool(self._visible([before[book_id]])) == bool(self._visible([row]))
            for book_id, row in fresh.items()
        )
        self._given = [fresh.get(row.book["id"], row) for row in self._given]
        if not in_place:
            self.set_rows(self._given)
            return
        for book_id, row in fresh.items():
            self._counts[_status(before[book_id])] -= 1
            self._counts[_status(row)] += 1
        self._all = [fresh.get(row.book["id"], row) for row in self._all]
        self._rows = [fresh.get(row.book["id"], row) for row in self._rows]
        last = len(COLUMNS) - 1
        for number, row in enumerate(self._rows):
            if row.book["id"] in fresh:
                self.dataChanged.emit(self.index(number, 0), self.index(number, last))

    def set_filter(self, text: str) -> None:
        terms = filter_terms(text)
        if terms != self._terms:
            narrower = narrows(self._terms, terms)
            self._terms = terms
            self._refilter(self._rows if narrower else self._all)

    def set_status_filter(self, status: str | None) -> None:
        if status != self._status:
            self._status = status
            self._refilter(self._all)

    def _refilter(self, candidates: list[Row]) -> None:
        self.beginResetModel()
        self._rows = self._visible(candidates)
        self.endResetModel()

    def _visible(self, candidates: list[Row]) -> list[Row]:
        """The candidates the filters let through, in their (sorted) order."""
        # One plain pass per filter (no call per row): a keystroke on 50,000 books stays short.
        rows = list(candidates)
        if self._status is not None:
            status = self._status
            rows = [row for row in rows if row.book.get("status") == status]
        for term in self._terms:
            rows = [row for row in rows if term in row.haystack]
        return rows

    def _sorted(self, rows: list[Row]) -> list[Row]:
        """A sorted copy; equal keys keep the library's order (the sort is stable)."""
        column = self._sort_column
        return sorted(
            rows,
            key=lambda row: row.keys[column],
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )

    # -- lookups ----------------------------------------------------------------------------

    @property
    def total_count(self) -> int:
        return len(self._all)

    @property
    def status_counts(self) -> Mapping[str, int]:
        """How many of all the books have each reading status (filters aside)."""
        return self._counts

    @property
    def filter_active(self) -> bool:
        return bool(self._terms) or self._status is not None

    def book_at(self, row: int) -> BookRow:
        return self._rows[row].book

    def row_of(self, book_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.book["id"] == book_id:
                return number
        return None

    # -- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.display[column]
        if role == BOOK_ID_ROLE:
            return row.book["id"]
        if role == PROGRESS_ROLE:
            return float(row.book.get("progress") or 0.0)
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMN_KEYS[column] == "progress":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # A reset, not layoutChanged: views re-select the current book by id afterwards.
        self._sort_column = column
        self._sort_order = order
        self._all = self._sorted(self._given)
        self._refilter(self._all)
