"""The library table's columns: how wide each is for its longest text, and which are shown
(View ▸ Columns, and the same menu on the table's header). Title is always shown; the choice is
kept with the column widths (`LibraryView.save_columns`). The optional columns of
`more_columns` and the custom columns (`custom_columns`) start hidden."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import QMenu, QTableView

from bookorbit_desktop.services.library.service import HARDCOVER_LABELS, STATUS_LABELS
from bookorbit_desktop.ui.library import more_columns
from bookorbit_desktop.ui.library.model import COLUMN_KEYS, COLUMNS
from bookorbit_desktop.ui.widgets import CELL_PADDING

_WIDEST = {
    "authors": "Frank Herbert, Brian Herb",  # as LEGIBLE: longer ones are cut with …
    "series": "Discworld #12",
    "status": max(STATUS_LABELS.values(), key=len),
    "progress": "35 % · p. 403 of 1152",  # longer ones are cut with …
    "rating": "★★★★★",
    "format": "EPUB, PDF",
    "hardcover": "",  # every Hardcover label, measured one by one
    **more_columns.WIDEST,
    "tags": "Science Fiction, Cl",  # longer ones are cut with …
}


# Title and Authors show at least this many characters of a typical text, whatever else the
# table shows: Title takes the rest but never less, Authors gives up width only down to it.
LEGIBLE_CHARACTERS = 25
LEGIBLE = {"title": "Jonathan Strange & Mr Norrell", "authors": _WIDEST["authors"]}


def legible_widths(metrics: QFontMetrics) -> dict[str, int]:
    """The least widths of Title and Authors (`LEGIBLE`) in the font of `metrics`."""
    return {
        key: metrics.horizontalAdvance(text[:LEGIBLE_CHARACTERS]) + CELL_PADDING
        for key, text in LEGIBLE.items()
    }


# What a column narrowed in a narrow window still shows whole, besides its heading: a status
# cut shorter than "Reading" would read as "Read".
_LEAST = {"status": STATUS_LABELS["reading"]}


def least_widths(metrics: QFontMetrics, keys: Sequence[str]) -> dict[str, int]:
    """The least widths of the columns `keys`: their heading whole (but the sort arrow), and
    their `_LEAST` text."""
    texts = {key: (dict(COLUMNS)[key], _LEAST.get(key, "")) for key in keys}
    return {
        key: max(metrics.horizontalAdvance(text) for text in shown) + CELL_PADDING
        for key, shown in texts.items()
    }


def column_widths(metrics: QFontMetrics) -> dict[str, int]:
    """Each column's width (but Title's) for text measured with `metrics`."""
    widths = {key: metrics.horizontalAdvance(text) for key, text in _WIDEST.items()}
    widths["hardcover"] = max(metrics.horizontalAdvance(t) for t in HARDCOVER_LABELS.values())
    for key, _title in COLUMNS[1:]:
        header = metrics.horizontalAdvance(dict(COLUMNS)[key]) + 12  # the sort arrow
        widths[key] = max(widths[key], header) + CELL_PADDING
    return widths


def shared_widths(
    preferred: dict[str, int], room: int, floors: Mapping[str, int]
) -> dict[str, int]:
    """The widths of columns that give up width in a narrow window: as `preferred` when they
    fit in `room`; otherwise all narrowed by one factor until they fit, none below its floor
    in `floors` (nor above its preferred width), the ones at the floor leaving the rest to the
    others."""
    if sum(preferred.values()) <= room:
        return dict(preferred)
    free, floored = dict(preferred), dict[str, int]()
    scale = 0.0
    while free:
        scale = max(0, room - sum(floored.values())) / sum(free.values())
        low = {key: width for key, width in free.items() if width * scale < floors[key]}
        if not low:
            break
        for key, width in low.items():
            floored[key] = min(floors[key], width)
            del free[key]
    return {**floored, **{key: int(width * scale) for key, width in free.items()}}


def tiered_widths(
    tiers: Sequence[dict[str, int]], room: int, floors: Mapping[str, int]
) -> dict[str, int]:
    """`shared_widths` tier by tier: the first tier gives up width (down to its floors) while
    the later ones keep what they want, then the next one, and so on."""
    widths = dict[str, int]()
    for n, tier in enumerate(tiers):
        later = sum(sum(rest.values()) for rest in tiers[n + 1 :])
        widths |= shared_widths(tier, room - later - sum(widths.values()), floors)
    return widths


_MENU_TEXTS = {
    "authors": "&Authors",
    "series": "S&eries",
    "status": "&Status",
    "progress": "&Progress",
    "rating": "&Rating",
    "format": "&Format",
    "hardcover": "&Hardcover",
    **more_columns.MENU_TEXTS,
    "tags": "&Tags",
}


class ColumnsMenu(QMenu):
    """The columns to show, the custom columns after the others (`set_custom`), and Custom
    Columns… (`manage_requested`)."""

    manage_requested = Signal()

    def __init__(self, table: QTableView, changed: Callable[[], None]) -> None:
        super().__init__("&Columns", table)
        self._table = table
        self._changed = changed
        for key in more_columns.OPTIONAL:  # shown when the user asks
            table.setColumnHidden(COLUMN_KEYS.index(key), True)
        for index, (key, _title) in enumerate(COLUMNS):
            if index == 0:
                continue  # Title: what a row is
            action = self.addAction(_MENU_TEXTS[key])
            action.setCheckable(True)
            action.setChecked(not table.isColumnHidden(index))
            action.setData(index)
            action.toggled.connect(lambda shown, column=index: self._show(column, shown))
        self._custom: list[QAction] = []
        # The custom columns come under a heading of their own (a separator where a style
        # shows no section titles), apart from the library's columns.
        self._custom_start = self.addSection("Custom columns")
        self._custom_start.setVisible(False)
        self._custom_end = self.addSeparator()
        self.addAction("Custo&m Columns…", self.manage_requested.emit)
        self.aboutToShow.connect(self._mark_shown)
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._popup)

    def set_custom(self, names: Sequence[str], first: int) -> None:
        """Offer the custom columns `names`, the table's columns from `first` on."""
        for action in self._custom:
            self.removeAction(action)
            action.deleteLater()
        self._custom = []
        for index, name in enumerate(names, first):
            action = QAction(name.replace("&", "&&"), self)
            action.setCheckable(True)
            action.setData(index)
            action.toggled.connect(lambda shown, column=index: self._show(column, shown))
            self.insertAction(self._custom_end, action)
            self._custom.append(action)
        self._custom_start.setVisible(bool(self._custom))

    def _mark_shown(self) -> None:
        for action in self.actions():
            if isinstance(action.data(), int):
                action.setChecked(not self._table.isColumnHidden(action.data()))

    def _show(self, column: int, shown: bool) -> None:
        if self._table.isColumnHidden(column) != shown:
            return
        self._table.setColumnHidden(column, not shown)
        self._changed()

    def _popup(self, position: QPoint) -> None:
        self.popup(self._table.horizontalHeader().mapToGlobal(position))
