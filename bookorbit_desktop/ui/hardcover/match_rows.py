"""The Hardcover page's list: a row per book, under a heading row for each series and for the
copies of one Hardcover book (`dashboard.page_groups`). Builds the tree's items; no state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from bookorbit_desktop.services.library import BookRow, MatchInfo
from bookorbit_desktop.ui.hardcover import dashboard
from bookorbit_desktop.ui.row_covers import RowCovers

ROLE = Qt.ItemDataRole.UserRole  # a book row's book id


def fill_tree(
    tree: QTreeWidget,
    shown: Sequence[tuple[BookRow, MatchInfo]],
    states: Mapping[int, str],
    covers: RowCovers | None,
) -> dict[int, QTreeWidgetItem]:
    """Put `shown` in `tree` (cleared first) in display order; returns each book's row.
    Rows are made apart from the tree and handed to it at once: one insertion for the whole
    list instead of one per row (several times faster for a large library)."""
    tree.clear()
    rows = {book["id"]: (book, match) for book, match in shown}
    items: dict[int, QTreeWidgetItem] = {}
    top: list[QTreeWidgetItem] = []
    headings: list[QTreeWidgetItem] = []
    for group, book_ids in dashboard.page_groups(list(shown)):
        children: list[QTreeWidgetItem] = []
        for book_id in book_ids:
            book, match = rows[book_id]
            item = _book_item(book, match, states[book_id], in_series=group is not None)
            if covers is not None:
                item.setIcon(0, covers.icon(book_id))
            children.append(item)
            items[book_id] = item
        if group is None:
            top.extend(children)
        else:
            heading = _heading(group)
            heading.addChildren(children)
            headings.append(heading)
            top.append(heading)
    tree.addTopLevelItems(top)
    for heading in headings:
        heading.setExpanded(True)
    return items


def _book_item(book: BookRow, match: MatchInfo, state: str, *, in_series: bool) -> QTreeWidgetItem:
    cells = dashboard.row_cells(book, match, state, in_series=in_series)
    item = QTreeWidgetItem(list(cells))
    item.setToolTip(4, cells[4])
    item.setData(0, ROLE, book["id"])
    return item


def _heading(group: dashboard.Group) -> QTreeWidgetItem:
    """A series, or the copies of one Hardcover book: a bold row that is not a book."""
    item = QTreeWidgetItem([group.label, "", "", "", group.why])
    item.setToolTip(4, group.why)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    font = item.font(0)
    font.setBold(True)
    item.setFont(0, font)
    return item


def show_cells(
    item: QTreeWidgetItem, book: BookRow, match: MatchInfo, state: str, *, in_series: bool
) -> None:
    cells = dashboard.row_cells(book, match, state, in_series=in_series)
    for column, text in enumerate(cells):
        item.setText(column, text)
    item.setToolTip(4, cells[4])
