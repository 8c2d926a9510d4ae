"""Pick: search Hardcover, compare the candidates with the book, choose book and edition.

Each candidate shows what tells editions and namesakes apart (author, year, format, pages,
languages, readers) and the reasons it differs from the local book ("≠ volume, audiobook"),
so the user can see why it was not linked automatically. Searches and edition lists load in
the background; the dialog stays usable and shows any error in place.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.hardcover.service import EditionRow
from bookorbit_desktop.ui.asyncqt import error_text
from bookorbit_desktop.ui.image_bytes import pixmap_from
from bookorbit_desktop.ui.text import counted, plain_label, plain_tooltip
from bookorbit_desktop.ui.widgets import flat_list, push_button, wide_row, wrapped_label

Search = Callable[[str], Awaitable[tuple[str, list[dict[str, Any]]]]]
Editions = Callable[[int], Awaitable[list[EditionRow]]]
HEADERS = (
    "Title",
    "Authors",
    "Year",
    "Format",
    "Pages",
    "Languages",
    "Readers",
    "Match",
    "Differs",
)
AUTOMATIC_EDITION = "The best edition for this book (chosen automatically)"


LINKED_MARK = "(linked now)"


def candidate_cells(candidate: dict[str, Any]) -> list[str]:
    """The row shown for one candidate."""
    title = candidate.get("title") or "?"
    if candidate.get("subtitle"):
        title += f": {candidate['subtitle']}"
    readers = candidate.get("readers")
    score = candidate.get("score")
    match = f"{round(score * 100)} % {candidate.get('grade') or ''}".strip() if score else ""
    return [
        title,
        ", ".join(candidate.get("authors") or []) or "unknown",
        str(candidate.get("year") or ""),
        "audiobook" if candidate.get("format") == "audiobook" else "text",
        str(candidate.get("pages") or ""),
        ", ".join(candidate.get("languages") or []),
        f"{readers:,}" if isinstance(readers, int) else "",
        match,
        ", ".join(candidate.get("differences") or []),  # labels carry their own "≠"
    ]


COVER_SIZE = QSize(28, 42)
Cover = Callable[[str], Awaitable[bytes | None]]


@functools.cache
def placeholder_icon() -> QIcon:
    """A plain cover-shaped tile, so rows line up before (or without) their covers."""
    tile = QPixmap(COVER_SIZE)
    tile.fill(QColor(0, 0, 0, 28))
    return QIcon(tile)


class PickDialog(QDialog):
    """`chosen` is (Hardcover book id, edition id or None) after the dialog is accepted."""

    searched = Signal()  # a search finished (results or an error are on screen)
    editions_loaded = Signal()
    cover_shown = Signal(int)  # a candidate's cover replaced its placeholder (book id)

    def __init__(
        self,
        book_title: str,
        candidates: Sequence[dict[str, Any]],
        search: Search,
        editions: Editions,
        parent: QWidget | None = None,
        *,
        current: int | None = None,
        cover: Cover | None = None,
    ) -> None:
        """`current`: the Hardcover book the book is linked to now, marked in the list;
        `cover(url)`: a candidate's cover image (None: keep the placeholder)."""
        super().__init__(parent)
        self._current = current
        self._cover = cover
        self.setWindowTitle(f"Pick the Hardcover Book for “{book_title}”")
        self.resize(980, 560)
        self._search = search
        self._editions = editions
        self._candidates: list[dict[str, Any]] = []
        self._tasks: set[asyncio.Task[None]] = set()

        intro = wrapped_label(
            "Choose the book on Hardcover that this book is. Search by title, author or ISBN "
            "if it is not listed. A pick is kept: matching never replaces it."
        )
        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText("Title, author or ISBN")
        self.query_edit.returnPressed.connect(self.start_search)
        self.search_button = push_button("&Search", self.start_search)
        search_row = wide_row(self.query_edit, self.search_button)
        self.status_label = plain_label()
        self.status_label.setObjectName("pickStatus")
        self.status_label.setWordWrap(True)

        self.tree = flat_list(HEADERS)
        self.tree.setIconSize(COVER_SIZE)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemActivated.connect(lambda *_: self.accept())

        self.edition_combo = QComboBox()
        self.edition_combo.addItem(AUTOMATIC_EDITION, None)
        form = QFormLayout()
        form.addRow("&Edition:", self.edition_combo)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.link_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.link_button.setText("&Link to This Book")
        self.link_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.not_on_hardcover = False  # the user says Hardcover lacks the book: exclude it
        self.exclude_button = self.buttons.addButton(
            "&Not on Hardcover (Exclude)", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.exclude_button.setToolTip(
            "Hardcover does not have this book: never look it up or sync it again "
            "(include it again on the Hardcover page)"
        )
        self.exclude_button.clicked.connect(self._exclude_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(search_row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tree, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.show_candidates(candidates)
        if not candidates:
            self.status_label.setText("No candidates yet: search Hardcover above.")

    # -- candidates -------------------------------------------------------------------------

    def show_candidates(self, candidates: Sequence[dict[str, Any]]) -> None:
        self._candidates = list(candidates)
        self.tree.clear()
        for candidate in self._candidates:
            cells = candidate_cells(candidate)
            linked = self._current is not None and candidate.get("book_id") == self._current
            if linked:
                cells[0] = f"{cells[0]} {LINKED_MARK}"
            item = QTreeWidgetItem(cells)
            item.setData(0, Qt.ItemDataRole.UserRole, candidate.get("book_id"))
            if linked:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            if candidate.get("edition"):
                item.setToolTip(0, plain_tooltip(f"Best edition: {candidate['edition']}"))
            item.setIcon(0, placeholder_icon())
            self.tree.addTopLevelItem(item)
            url = candidate.get("image_url")
            if self._cover is not None and isinstance(url, str) and url:
                self._run(self._load_cover(item, candidate.get("book_id"), url))
        self._selection_changed()

    async def _load_cover(self, item: QTreeWidgetItem, book_id: Any, url: str) -> None:
        assert self._cover is not None
        data = await self._cover(url)
        if data is None or self.tree.indexOfTopLevelItem(item) < 0:
            return  # no cover, or the list was replaced meanwhile
        image = pixmap_from(data)
        if image.isNull():
            return
        item.setIcon(0, QIcon(image.scaled(COVER_SIZE, Qt.AspectRatioMode.KeepAspectRatio)))
        self.cover_shown.emit(int(book_id))

    @property
    def candidates(self) -> list[dict[str, Any]]:
        return list(self._candidates)

    def selected_book_id(self) -> int | None:
        items = self.tree.selectedItems()
        return items[0].data(0, Qt.ItemDataRole.UserRole) if items else None

    @property
    def chosen(self) -> tuple[int, int | None] | None:
        book_id = None if self.not_on_hardcover else self.selected_book_id()
        return None if book_id is None else (book_id, self.edition_combo.currentData())

    def _exclude_clicked(self) -> None:
        self.not_on_hardcover = True
        self.accept()

    def _selection_changed(self) -> None:
        book_id = self.selected_book_id()
        self.link_button.setEnabled(book_id is not None)
        self.edition_combo.clear()
        self.edition_combo.addItem(AUTOMATIC_EDITION, None)
        if book_id is not None:
            self._run(self._load_editions(book_id))

    # -- background work --------------------------------------------------------------------

    def _run(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def start_search(self) -> None:
        self.search_button.setEnabled(False)
        self.status_label.setText("Searching Hardcover…")
        self._run(self._do_search(self.query_edit.text().strip()))

    async def _do_search(self, query: str) -> None:
        try:
            used, found = await self._search(query)
        except BookOrbitError as error:
            title, message = error_text(error)
            self.status_label.setText(f"{title}: {message}")
        else:
            self.query_edit.setText(used)
            self.show_candidates(found)
            self.status_label.setText(
                counted("%n result(s) for “%1”.", len(found), used)
                if found
                else f"Nothing found for “{used}”."
            )
        finally:
            self.search_button.setEnabled(True)
            self.searched.emit()

    async def _load_editions(self, book_id: int) -> None:
        try:
            rows = await self._editions(book_id)
        except BookOrbitError as error:
            title, message = error_text(error)
            self.status_label.setText(f"Editions not loaded — {title}: {message}")
            self.editions_loaded.emit()
            return
        if self.selected_book_id() != book_id:
            return  # the user moved on to another candidate meanwhile
        for row in rows:
            year = f" ({row['year']})" if row.get("year") else ""
            self.edition_combo.addItem(f"{row['description']}{year}", row["id"])
        self.editions_loaded.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in the search box searches (returnPressed); it must not also press the
        # default button and link whatever candidate happens to be selected.
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.query_edit.hasFocus():
            event.accept()
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        for task in list(self._tasks):
            task.cancel()  # closes the clients those tasks opened
        super().done(result)
