"""Small book covers on the rows of a list, loaded for the rows on screen only.

A list of tens of thousands of books cannot read and scale every cover up front, and must not
do it on the window's thread: after each fill and scroll (`schedule`) the rows in view show
the cover already in memory or a cover-shaped placeholder at once, and the missing ones are
found (`files`, off the loop) and scaled (in a worker thread; `QImage` is safe there) before
they replace the placeholders. A cover that changed on disk (another file, other bytes) is
scaled again; covers of rows scrolled away stay cached up to `CACHE_SIZE` books.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence

from PySide6.QtCore import QObject, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from bookorbit_desktop.ui.asyncqt import spawn

log = logging.getLogger(__name__)

ICON_SIZE = QSize(24, 36)
CACHE_SIZE = 600
SETTLE_MS = 60  # scrolling: wait for the list to come to rest before loading
_ROLE = Qt.ItemDataRole.UserRole

CoverFiles = Callable[[Sequence[int]], Awaitable[dict[int, str]]]
_Key = tuple[str, int, int] | None  # the cover file, its mtime and size; None: no cover


NO_COVER = "No cover"
_WORDS_FROM_HEIGHT = 60  # smaller placeholders (list rows) are the outline alone


def cover_placeholder(size: QSize) -> QPixmap:
    """The one picture of a missing or unreadable cover, wherever covers are shown: a
    cover-shaped outline (rows line up), with "No cover" in it where there is room."""
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor(150, 150, 150, 160))
    painter.setBrush(QColor(150, 150, 150, 40))
    painter.drawRect(1, 1, size.width() - 3, size.height() - 3)
    if size.height() >= _WORDS_FROM_HEIGHT:
        painter.setPen(QColor(128, 128, 128))
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, NO_COVER)
    painter.end()
    return pixmap


def _scaled(files: dict[int, str], known: dict[int, _Key], size: QSize) -> dict[int, tuple]:
    """(key, image) per book whose cover is not the one already shown; image None: unreadable."""
    out: dict[int, tuple] = {}
    for book_id, path in files.items():
        try:
            stat = os.stat(path)
        except OSError:
            out[book_id] = (None, None)
            continue
        key = (path, stat.st_mtime_ns, stat.st_size)
        if known.get(book_id) == key:
            continue
        image = QImage(path)
        if image.isNull():
            out[book_id] = (key, None)
            continue
        out[book_id] = (
            key,
            image.scaled(
                size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            ),
        )
    return out


class RowCovers(QObject):
    """Covers in the first column of `tree`'s rows that carry a book id (`UserRole`)."""

    loaded = Signal()  # the covers of the rows in view are on screen

    def __init__(self, tree: QTreeWidget, files: CoverFiles, size: QSize = ICON_SIZE) -> None:
        super().__init__(tree)
        self._tree = tree
        self._files = files
        self._size = size
        self._cache: OrderedDict[int, tuple[_Key, QIcon]] = OrderedDict()
        self.placeholder = QIcon(cover_placeholder(size))
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._load_in_view)
        tree.setIconSize(size)
        tree.verticalScrollBar().valueChanged.connect(self.schedule)
        tree.itemExpanded.connect(self.schedule)

    def icon(self, book_id: int) -> QIcon:
        """The cover in memory, else the placeholder (a row being made shows it at once)."""
        cached = self._cache.get(book_id)
        return cached[1] if cached is not None else self.placeholder

    def schedule(self) -> None:
        """Load the covers of the rows in view once the list has settled."""
        self._timer.start()

    def rows_in_view(self) -> list[tuple[int, QTreeWidgetItem]]:
        tree = self._tree
        bottom = tree.viewport().height()
        item = tree.itemAt(QPoint(1, 1))
        rows = []
        while item is not None and tree.visualItemRect(item).top() < bottom:
            book_id = item.data(0, _ROLE)
            if book_id is not None:
                rows.append((int(book_id), item))
            item = tree.itemBelow(item)
        return rows

    def _load_in_view(self) -> None:
        if self._task is not None and not self._task.done():
            self._again = True  # after the batch under way
            return
        wanted = [book_id for book_id, _item in self.rows_in_view()]
        if wanted:
            self._task = spawn(self._load(wanted), self._tree)

    async def _load(self, book_ids: list[int]) -> None:
        try:
            await self._show(book_ids)
        except Exception:  # a cover is never worth an error box: logged, placeholders stay
            log.warning("Covers for the list could not be read", exc_info=True)
        if self._again:  # the list moved during the load
            self._again = False
            self.schedule()

    async def _show(self, book_ids: list[int]) -> None:
        known = {book_id: self._cache[book_id][0] for book_id in book_ids if book_id in self._cache}
        files = await self._files(book_ids)
        found = await asyncio.to_thread(_scaled, files, known, self._size)
        for book_id in book_ids:
            if book_id not in files:
                found[book_id] = (None, None)
        for book_id, (key, image) in found.items():
            icon = QIcon(QPixmap.fromImage(image)) if image is not None else self.placeholder
            self._cache[book_id] = (key, icon)
        for book_id in book_ids:
            if book_id in self._cache:
                self._cache.move_to_end(book_id)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        # The list may have been refilled meanwhile: set icons on the rows in view now.
        for book_id, item in self.rows_in_view():
            item.setIcon(0, self.icon(book_id))
        self.loaded.emit()
