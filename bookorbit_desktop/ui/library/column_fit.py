"""How the library table shares its width among its columns, as the window, the sidebar and the
book panel leave it.

Title takes the width the other columns leave. The others fit the longest text they can hold,
measured in the table's font, so no label is cut ("Not synced: unread") while there is room.
In a narrow window (1366x768 with the sidebar and the book panel open) Series, Tags and
Publisher give up width first (down to MIN_ELASTIC_WIDTH, cut with …), Authors down to 25
characters; then the GIVE_LAST columns, down to their heading's width (Status to "Reading":
`columns.least_widths`); then Title (down to 25 characters, `columns.legible_widths`); only then
does the table scroll sideways. A column the user drags keeps the width it was given
(`set_by_hand`), also at the next start.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QByteArray

from bookorbit_desktop.ui.library.columns import (
    column_widths,
    least_widths,
    legible_widths,
    tiered_widths,
)
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from bookorbit_desktop.ui.library.more_columns import hide_unsaved
from bookorbit_desktop.ui.widgets import BookTable

ELASTIC = ("authors", "series", "tags", "publisher")
GIVE_LAST = ("status", "progress", "format", "hardcover")  # Rating's stars are never cut
MIN_ELASTIC_WIDTH = 60


class ColumnFit:
    """Keeps the columns of `table` sharing its width (`fit`), from the first layout on."""

    def __init__(self, table: BookTable) -> None:
        self._table = table
        header = table.horizontalHeader()
        widths = column_widths(table.fontMetrics())
        legible = legible_widths(table.fontMetrics())
        self.min_title_width = legible["title"]
        self._floors = {key: legible.get(key, MIN_ELASTIC_WIDTH) for key in ELASTIC}
        self._floors |= least_widths(table.fontMetrics(), GIVE_LAST)
        # As wide as wanted (as measured, or as dragged), in a window with room for it.
        self._preferred = {key: widths[key] for key in (*ELASTIC, *GIVE_LAST)}
        self.set_by_hand: set[str] = set()  # the columns the user dragged: they keep that width
        self._fitting = False
        for key, width in widths.items():
            table.setColumnWidth(COLUMN_KEYS.index(key), width)
        header.sectionResized.connect(self._section_resized)
        table.resized.connect(self.fit)  # the room it has, once laid out

    def _section_resized(self, index: int, old: int, new: int) -> None:
        if self._fitting or index == 0 or not new or self._table.isColumnHidden(index):
            return  # (a column being hidden is first resized to nothing)
        key = COLUMN_KEYS[index] if index < len(COLUMN_KEYS) else None  # else a custom one
        if key in self._preferred:
            self._preferred[key] = new
            if old:  # dragged (shown again, it grows from nothing): the width it keeps
                self.set_by_hand.add(key)
        self.fit()

    def fit(self) -> None:
        """Share the table's width: the shown columns but Title, `ELASTIC` and `GIVE_LAST` as
        measured or as dragged; those as wanted, narrower in a narrow window, `ELASTIC` first
        (`tiered_widths`); Title the rest."""
        if self._fitting:
            return
        self._fitting = True
        try:
            table, header = self._table, self._table.horizontalHeader()
            tiers = [self._giving(keys) for keys in (ELASTIC, GIVE_LAST)]
            giving = {COLUMN_KEYS.index(key) for tier in tiers for key in tier}
            fixed = sum(header.sectionSize(i) for i in range(1, header.count()) if i not in giving)
            width = table.viewport().width()
            widths = tiered_widths(tiers, width - fixed - self.min_title_width, self._floors)
            for key, wanted in self._preferred.items():  # a hidden one: as it comes back
                if key not in self.set_by_hand:
                    table.setColumnWidth(COLUMN_KEYS.index(key), widths.get(key, wanted))
            others = sum(header.sectionSize(i) for i in range(1, header.count()))
            table.setColumnWidth(0, max(self.min_title_width, width - others))
        finally:
            self._fitting = False

    def _giving(self, keys: tuple[str, ...]) -> dict[str, int]:
        """The widths wanted of the columns `keys` shown and not dragged by the user."""
        header = self._table.horizontalHeader()
        return {
            key: self._preferred[key]
            for key in keys
            if key not in self.set_by_hand and not header.isSectionHidden(COLUMN_KEYS.index(key))
        }

    def save(self) -> QByteArray:
        """The column widths (as wanted, not as a narrow window shows them) and the sort order,
        for `restore` at the next start (with `set_by_hand`)."""
        self._fitting = True
        try:
            for key, width in self._preferred.items():
                self._table.setColumnWidth(COLUMN_KEYS.index(key), width)
            state = self._table.horizontalHeader().saveState()
        finally:
            self._fitting = False
        self.fit()
        return state

    def restore(self, state: QByteArray, by_hand: Iterable[str], hidden: Sequence[int]) -> None:
        """The columns as `save` kept them, and the sort order; `by_hand`: the columns the user
        dragged; `hidden`: the columns hidden where `state` does not say (`hide_unsaved`)."""
        header = self._table.horizontalHeader()
        self._fitting = True  # the widths restored are no drag
        try:
            restored = header.restoreState(state)  # also sorts the table as it was sorted
        finally:
            self._fitting = False
        if not restored:
            return
        hide_unsaved(self._table, state, hidden)
        for key in self._preferred:  # (a hidden one says its width once shown)
            if not header.isSectionHidden(index := COLUMN_KEYS.index(key)):
                self._preferred[key] = header.sectionSize(index)
        self.set_by_hand = set(by_hand) & set(self._preferred)
        self.fit()
