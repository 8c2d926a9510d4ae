"""Book covers for the books a list or grid shows on screen, loaded off the window's thread.

A view of tens of thousands of books cannot read and scale every cover up front, and must not
do it on the window's thread: after each fill and scroll (`schedule`) the books in view show
the cover already in memory or the placeholder at once, and the missing ones are found
(`files`, off the loop) and scaled (in a worker thread; `QImage` is safe there) before they
replace the placeholders. A cover that changed on disk (another file, other bytes) is scaled
again; covers of books scrolled away stay cached up to `CACHE_SIZE` books. Each view says
which books are in view and how to show what was loaded (`RowCovers`, `GridCovers`).

A hidden view has no books in view: hiding it (its page or window closed, the app quitting)
stops the waiting load and cancels the one under way, so neither runs once the loop is gone;
showing it again loads what is then in view.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.image_bytes import image_file
from bookorbit_desktop.ui.widgets import interval_timer

log = logging.getLogger(__name__)

CACHE_SIZE = 600
SETTLE_MS = 60  # scrolling: wait for the view to come to rest before loading
NO_COVER = "No cover"
GENERATED_COVER = "Generated cover"
GENERATED_TIP = (
    "Generated cover: made from the title, authors and series, as the book has no cover of its "
    "own. It is never written into the book's file."
)
_WORDS_FROM_HEIGHT = 60  # smaller placeholders (list rows) are the outline alone

CoverFiles = Callable[[Sequence[int]], Awaitable[dict[int, str]]]
_Key = tuple[str, int, int] | None  # the cover file, its mtime and size; None: no cover
Shown = TypeVar("Shown")  # what a view shows a cover as (an icon, a pixmap)


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


def describe_cover(label: QLabel, shown: bool, generated: bool = False) -> None:
    """Say what the cover `label` shows: its accessible name (what screen readers read) and,
    for a generated cover, a tooltip that says so. `shown`: False for the placeholder."""
    name = GENERATED_COVER if generated else "Cover"
    label.setAccessibleName(name if shown else NO_COVER)
    label.setToolTip(GENERATED_TIP if shown and generated else "")


def scaled_covers(
    files: dict[int, str], known: dict[int, _Key], size: QSize
) -> dict[int, tuple[_Key, QImage | None]]:
    """(key, image) per book whose cover is not the one already shown; image None: unreadable.
    Plain Qt images: runs in a worker thread."""
    out: dict[int, tuple[_Key, QImage | None]] = {}
    for book_id, path in files.items():
        try:
            stat = os.stat(path)
        except OSError:
            out[book_id] = (None, None)
            continue
        key = (path, stat.st_mtime_ns, stat.st_size)
        if known.get(book_id) == key:
            continue
        image = image_file(path)
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


class CoverLoader(QObject, Generic[Shown]):
    """The cache and the loading; a view subclasses it for `in_view`, `wrap` and `show`."""

    loaded = Signal()  # the covers of the books in view are on screen

    def __init__(self, view: QWidget, files: CoverFiles, size: QSize) -> None:
        super().__init__(view)
        self._view = view
        self._files = files
        self.size = size
        self._cache: OrderedDict[int, tuple[_Key, Shown]] = OrderedDict()
        self.placeholder: Shown = self.wrap(None)
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._timer = interval_timer(self, SETTLE_MS, self._load_in_view, once=True)
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Hidden: no load waits or runs; shown again: load what is in view then."""
        if event.type() == QEvent.Type.Hide:
            self._stop()
        elif event.type() == QEvent.Type.Show:
            self.schedule()
        return False

    def _stop(self) -> None:
        self._timer.stop()
        self._again = False
        if self._task is not None:
            self._task.cancel()
            self._task = None

    # -- what a view says ------------------------------------------------------------------

    def in_view(self) -> list[int]:
        """The books on screen now."""
        raise NotImplementedError

    def wrap(self, image: QImage | None) -> Shown:
        """What the view shows for a scaled cover (None: the placeholder)."""
        raise NotImplementedError

    def show(self) -> None:
        """Put the covers now in memory on the books in view."""
        raise NotImplementedError

    # -- loading ---------------------------------------------------------------------------

    def cover(self, book_id: int) -> Shown:
        """The cover in memory, else the placeholder (a book being drawn shows it at once)."""
        cached = self._cache.get(book_id)
        return cached[1] if cached is not None else self.placeholder

    def schedule(self) -> None:
        """Load the covers of the books in view once the view has settled."""
        self._timer.start()

    def _load_in_view(self) -> None:
        if not self._view.isVisible():
            return  # asked while hidden (a page refilled after it closed): shown, it asks again
        if self._task is not None and not self._task.done():
            self._again = True  # after the batch under way
            return
        wanted = self.in_view()
        if wanted:
            self._task = spawn(self._load(wanted), self._view)

    async def _load(self, book_ids: list[int]) -> None:
        try:
            await self._fetch(book_ids)
        except Exception:  # a cover is never worth an error box: logged, placeholders stay
            log.warning("Covers could not be read", exc_info=True)
        if self._again:  # the view moved during the load
            self._again = False
            self.schedule()

    async def _fetch(self, book_ids: list[int]) -> None:
        known = {book_id: self._cache[book_id][0] for book_id in book_ids if book_id in self._cache}
        files = await self._files(book_ids)
        found = await asyncio.to_thread(scaled_covers, files, known, self.size)
        for book_id in book_ids:
            if book_id not in files:
                found[book_id] = (None, None)
        for book_id, (key, image) in found.items():
            made = self.wrap(image) if image is not None else self.placeholder
            self._cache[book_id] = (key, made)
        for book_id in book_ids:
            if book_id in self._cache:
                self._cache.move_to_end(book_id)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        self.show()  # the view may have been refilled meanwhile: what is in view now
        self.loaded.emit()
