"""The library browser's tree as a Qt model: "All Books", then one row a category (Authors,
Series, …, Tags, then the custom columns listed), its values under it, the tags (and a tag-like
column's values) as their tree of dotted names. Two columns: the value and how many books have
it. A category not read (`show` is given the ones the browser reads: those open) has no rows
yet, but shows that it has some to open.

A category's values stay as the library read them (`services.library.categories`: plain rows,
the trees): an item is made only for a row on screen, so 50,000 authors cost no more than ten.
An index's internal id says where its row is: a top row by its number; a value of a flat
category by its category's row and its own (`_FLAT`); a value of a tree by its number in
`_tags`, the values of every tree numbered one after the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt

from bookorbit_desktop.services.library.categories import (
    TITLES,
    Browsed,
    Category,
    Head,
    Row,
    Value,
    renamed,
)
from bookorbit_desktop.ui.table_model import Index

ALL_BOOKS = "All Books"
_FLAT = 1 << 32  # (category row + 1) * _FLAT + value row + 1: a value of a flat category
_TAG = 1 << 56  # _TAG + the tree value's number in `_tags`


def books(count: int) -> str:
    return "1 book" if count == 1 else f"{count:,} books"


@dataclass(frozen=True)
class Choice:
    """What a row of the browser stands for: a category's value (`kind` and `key`, the value or
    a tag's path) with the search that finds its books, and the name a rename changes (None:
    it cannot be renamed). A row that is no value (All Books, a category) is no `Choice`."""

    kind: str
    key: str
    search: str
    name: str | None
    books: int
    below: int = 0  # the tags below a tag (a rename or a delete changes the tag alone)


def _below(value: Value) -> int:
    return sum(1 + _below(child) for child in value.children)


@dataclass(frozen=True)
class _Tag:
    value: Value
    parent: int  # its parent's number; -1: its category's row's
    row: int
    top: int  # its category's row


class BrowserModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._heads: list[Head] = list(TITLES.items())  # the categories' rows, in order
        self._categories: list[Category | None] = [None] * len(self._heads)  # None: not read
        self._tags: list[_Tag] = []
        self._first: dict[int, int] = {}  # a tree value's number -> its first child's
        self._tops: dict[int, int] = {}  # a tree category's row -> its first value's number

    def show(self, browsed: Browsed) -> None:
        """The categories there are now, those read with their values, the others not read
        (a reset: a view keeps nothing but what it stores by key)."""
        self.beginResetModel()
        self._heads = list(browsed.heads)
        read = {category.kind: category for category in browsed.categories}
        self._categories = [read.get(kind) for kind, _title in self._heads]
        self._tags = []
        self._first = {}
        self._tops = {}
        for row, category in enumerate(self._categories, 1):
            if category is not None and category.tree:
                self._tops[row] = len(self._tags)
                self._number(category.tree, -1, row)
        self.endResetModel()

    @property
    def kinds(self) -> list[str]:
        """Every category's kind, in order."""
        return [kind for kind, _title in self._heads]

    def browsed(self) -> Browsed:
        """What the model shows."""
        return Browsed(tuple(self._heads), tuple(self.categories))

    @property
    def categories(self) -> list[Category]:
        """The categories read, in order."""
        return [category for category in self._categories if category is not None]

    def kind_at(self, index: Index) -> str | None:
        """The kind of a category's own row."""
        if index.isValid() and index.internalId() < _FLAT and index.row() > 0:
            return self._heads[index.row() - 1][0]
        return None

    def _number(self, values: Sequence[Value], parent: int, top: int) -> None:
        first = len(self._tags)
        if parent >= 0:
            self._first[parent] = first
        self._tags += [_Tag(value, parent, row, top) for row, value in enumerate(values)]
        for number, value in enumerate(values, first):
            self._number(value.children, number, top)

    # -- what a row is ----------------------------------------------------------------------

    def category_at(self, index: Index) -> Category | None:
        """The category of a category's own row, once read."""
        if index.isValid() and index.internalId() < _FLAT and index.row() > 0:
            return self._categories[index.row() - 1]
        return None

    def _flat(self, ident: int) -> tuple[Category, Row]:
        """A flat category's value: its category and row."""
        category = self._categories[ident // _FLAT - 2]
        assert category is not None
        return category, category.rows[ident % _FLAT - 1]

    def search_of(self, kind: str, value: str) -> str | None:
        """The search for the books of a category's value (None: no such category read)."""
        found = [category for category in self.categories if category.kind == kind]
        return found[0].search(value) if found else None

    def choice_at(self, index: Index) -> Choice | None:
        """The value a row stands for; None for All Books and the categories' own rows."""
        if not index.isValid():
            return None
        ident = index.internalId()
        if ident >= _TAG:
            tag = self._tags[ident - _TAG]
            kind, value = self._heads[tag.top - 1][0], tag.value
            return Choice(kind, value.path, value.search, value.name, value.books, _below(value))
        if ident >= _FLAT:
            category, (key, count) = self._flat(ident)
            name = key if renamed(category) else None
            return Choice(category.kind, key, category.search(key), name, count)
        return None

    def find(self, kind: str, key: str) -> QModelIndex:
        """The row of a category's value (an invalid index when it has none)."""
        for row, category in enumerate(self._categories, 1):
            if category is None or category.kind != kind:
                continue
            if category.tree:
                folded = key.casefold()
                for number, tag in enumerate(self._tags):
                    if tag.top == row and tag.value.path.casefold() == folded:
                        return self.createIndex(tag.row, 0, _TAG + number)
                return QModelIndex()
            for at, (value, _count) in enumerate(category.rows):
                if value == key:
                    return self.createIndex(at, 0, (row + 1) * _FLAT + at + 1)
        return QModelIndex()

    # -- the model --------------------------------------------------------------------------

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 2

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.column() > 0:
            return 0
        if not parent.isValid():
            return len(self._heads) + 1
        ident = parent.internalId()
        if ident >= _TAG:
            return len(self._tags[ident - _TAG].value.children)
        if ident >= _FLAT:
            return 0
        category = self.category_at(parent)
        if category is None:
            return 0
        return len(category.tree) if category.tree else len(category.rows)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if self.kind_at(parent) is not None and self.category_at(parent) is None:
            return True  # not read yet: opening it reads it
        return self.rowCount(parent) > 0

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, row)
        ident = parent.internalId()
        if ident >= _TAG or (ident < _FLAT and parent.row() in self._tops):
            first = self._first[ident - _TAG] if ident >= _TAG else self._tops[parent.row()]
            return self.createIndex(row, column, _TAG + first + row)
        return self.createIndex(row, column, (parent.row() + 1) * _FLAT + row + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid():
            return QModelIndex()
        ident = child.internalId()
        if ident >= _TAG:
            tag = self._tags[ident - _TAG]
            if tag.parent < 0:
                return self.createIndex(tag.top, 0, tag.top)
            return self.createIndex(self._tags[tag.parent].row, 0, _TAG + tag.parent)
        if ident >= _FLAT:
            row = ident // _FLAT - 1
            return self.createIndex(row, 0, row)
        return QModelIndex()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        shown, count = self._shown(index)
        if role == Qt.ItemDataRole.ToolTipRole:
            return None if count is None else f"{shown}: {books(count)}"
        if index.column() == 1:
            return None if count is None else f"{count:,}"
        return shown

    def _shown(self, index: Index) -> tuple[str, int | None]:
        """A row's text and count (None: a row without one)."""
        ident = index.internalId()
        if ident >= _TAG:
            value = self._tags[ident - _TAG].value
            return value.label, value.books
        if ident >= _FLAT:
            category, (key, count) = self._flat(ident)
            return category.label(key), count
        if index.row() == 0:
            return ALL_BOOKS, None
        return self._heads[index.row() - 1][1], None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
