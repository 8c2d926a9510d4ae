"""One book's metadata review: a status line per source, the comparison table, "Take All from
…", "Best" and "Keep All", and the apply of what is ticked through `services.metadata` (a user
edit, marked as the user's own). Used by the one-book dialog and by the batch review.

A source whose record is another edition (`metadata_sources.editions`) says so in its status
line. Once the covers have loaded, a cover showing the book's own picture loses its "≠" and
Best ticks the cover the rule picks among those that loaded, by their real sizes.

Everything slow runs off the window's thread: the stored answers are read by the service in a
worker thread, covers come from `services.metadata.remote_covers` (cached) and the book's own cover
is read in a worker thread. A newer `load` makes the covers of an older one land nowhere, as
does closing the dialog before they arrive.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.metadata import service as metadata_service
from bookorbit_desktop.services.metadata.books import BookCandidates, SourceAnswer
from bookorbit_desktop.services.metadata.remote_covers import RemoteCovers
from bookorbit_desktop.services.metadata.service import MetadataService
from bookorbit_desktop.services.metadata.values import (
    THUMB,
    Candidate,
    Thumbnail,
    best_values,
    rank,
    same_picture,
)
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.image_bytes import image_from
from bookorbit_desktop.ui.metadata.diff_table import LOCAL, DiffTable
from bookorbit_desktop.ui.metadata.texts import (
    FIELD_LABELS,
    OTHER_EDITION_NOTE,
    source_label,
    status_line,
)
from bookorbit_desktop.ui.text import show_plain
from bookorbit_desktop.ui.widgets import ERROR_COLOUR, push_button, wrapped_label


class _AppliableFields(Protocol):
    def appliable_fields(self) -> Iterable[str]: ...


def appliable_fields(service: MetadataService) -> frozenset[str]:
    """The fields the service can save now, asked each time a book is shown (the edit path
    learns fields over time; the table follows without a change here)."""
    if hasattr(service, "appliable_fields"):
        asked: _AppliableFields = service
        return frozenset(asked.appliable_fields())
    return frozenset(metadata_service.APPLICABLE)


def thumbnail(image: QImage) -> Thumbnail:
    """The picture as `compare.same_picture` compares it."""
    grey = image.scaled(
        THUMB,
        THUMB,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).convertToFormat(QImage.Format.Format_Grayscale8)
    bits = bytes(grey.constBits())
    line = grey.bytesPerLine()
    pixels = b"".join(bits[row * line : row * line + THUMB] for row in range(THUMB))
    return image.width() / max(image.height(), 1), pixels


def source_line(shown: BookCandidates, answer: SourceAnswer, *, asking: bool) -> str:
    """A source's status line, saying when its record is another edition and what follows."""
    line = status_line(
        answer.source, answer.status, answer.message, len(answer.candidates), asking=asking
    )
    other = shown.other_editions.get(answer.source)
    return f"{line} · {other} ({OTHER_EDITION_NOTE})" if other else line


def best_index(answer: SourceAnswer) -> int:
    """The index of the candidate the comparison shows for this source (its best match)."""
    ordered = sorted(range(len(answer.candidates)), key=lambda i: rank(answer.candidates[i]))
    return ordered[0] if ordered else 0


class DiffPane(QWidget):
    """`loaded(book_id)` once a book is shown; `applied(book_id, text)` after an apply."""

    loaded = Signal(int)
    covers_loaded = Signal(int)
    applied = Signal(int, str)

    def __init__(self, service: MetadataService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        paths: Paths = service.paths
        self._data_dir = paths.data_dir
        self._covers = RemoteCovers(paths.cache_dir / "metadata-covers")
        self._generation = 0
        # The cover the user had ticked before a reload: ticked again once it has loaded.
        self._ticked_cover: str | None = None
        self.book_id: int | None = None
        self.shown: BookCandidates | None = None
        self.asking = False  # a fetch is under way: a source not answered yet is "asking…"
        self.status_box = QVBoxLayout()
        self.status_labels: dict[str, QLabel] = {}
        self.table = DiffTable(self)
        self.take_row = QHBoxLayout()
        self.take_buttons: dict[str, QPushButton] = {}
        self.best_button = QPushButton("&Best")
        self.best_button.setToolTip(
            "Tick, for each field, the value the most trusted source gives: Hardcover's linked "
            "edition, then a record found by the book's ISBN, then Hardcover's match, then a "
            "title search"
        )
        self.best_button.clicked.connect(self.table.take_best)
        self.keep_button = push_button(
            "&Keep All", self.table.keep_all, tip="Tick the book's own value in every row"
        )
        for button in (self.best_button, self.keep_button):
            button.setAutoDefault(False)  # Enter stays the dialog's Apply
        self.error_label = show_plain(wrapped_label())
        self.error_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error_label.setAccessibleName("Error")
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.status_box)
        layout.addWidget(self.table, 1)
        self.take_box = QHBoxLayout()  # one "Take All from …" button per source shown
        self.take_row.addLayout(self.take_box)
        self.take_row.addStretch(1)
        self.take_row.addWidget(self.best_button)
        self.take_row.addWidget(self.keep_button)
        layout.addLayout(self.take_row)
        layout.addWidget(self.error_label)
        self._set_enabled(False)

    # -- statuses ---------------------------------------------------------------------------

    def show_statuses(self, lines: Iterable[tuple[str, str]]) -> None:
        """One line per source: (source, text)."""
        for source, text in lines:
            label = self.status_labels.get(source)
            if label is None:
                label = wrapped_label()
                label.setAccessibleName(f"{source_label(source)} status")
                self.status_labels[source] = label
                self.status_box.addWidget(label)
            label.setText(text)

    # -- showing a book ---------------------------------------------------------------------

    async def load(self, book_id: int, *, keep_picks: bool = False) -> BookCandidates:
        """Read the stored answers for `book_id` and show them (covers follow). With
        `keep_picks` (more answers for the book shown), what the user ticked stays ticked."""
        self._generation += 1
        generation = self._generation
        self.book_id = book_id
        self.error_label.hide()
        shown = await self.service.candidates(book_id)
        if generation != self._generation:
            return shown
        same = self.shown is not None and self.shown.book_id == book_id
        picks = self.table.picks() if keep_picks and same else {}
        self.shown = shown
        self.show_statuses(
            (a.source, source_line(shown, a, asking=self.asking)) for a in shown.sources
        )
        self.table.show_book(shown, appliable_fields(self.service))
        ticked = picks.pop("cover", None)
        if not (keep_picks and same):
            self._ticked_cover = None
        elif ticked is not None:
            self._ticked_cover = ticked
        for name, source in picks.items():
            self.table.pick(name, source)
        self._take_buttons(shown)
        self._set_enabled(True)
        self.loaded.emit(book_id)
        spawn(self._load_covers(shown, generation), self)
        return shown

    def _take_buttons(self, shown: BookCandidates) -> None:
        for old in self.take_buttons.values():
            self.take_box.removeWidget(old)
            old.deleteLater()
        self.take_buttons = {}
        for source in self.table.sources:
            button = QPushButton(f"Take All from {source_label(source)}")
            button.setToolTip(f"Tick every value {source_label(source)} has that differs")
            button.setAutoDefault(False)  # Enter stays the dialog's Apply
            button.clicked.connect(lambda _c=False, s=source: self.table.take_all(s))
            self.take_buttons[source] = button
            self.take_box.addWidget(button)

    def _set_enabled(self, on: bool) -> None:
        self.table.setEnabled(on)
        self.best_button.setEnabled(on)
        self.keep_button.setEnabled(on)

    async def _load_covers(self, shown: BookCandidates, generation: int) -> None:
        jobs = []
        local = shown.local.get("cover")
        if local:
            jobs.append(self._local_cover(self._data_dir / str(local)))
        for answer in shown.sources:
            if answer.source in self.table.sources:
                jobs.append(self._remote_cover(answer.candidates[best_index(answer)]))
        found = await asyncio.gather(*jobs)
        if generation != self._generation or not shiboken6.isValid(self):
            return  # a newer book is shown, or the dialog was closed meanwhile
        if not local:
            self.table.set_cover(LOCAL, None, None)
        for source, image, size in found:
            self.table.set_cover(source, image, size)
        self._judge_covers(shown, found)
        if self._ticked_cover is not None:
            self.table.pick("cover", self._ticked_cover)
            self._ticked_cover = None
        self.covers_loaded.emit(shown.book_id)

    def _judge_covers(
        self, shown: BookCandidates, found: list[tuple[str, QImage | None, tuple[int, int] | None]]
    ) -> None:
        """With the pictures in hand: a source's cover that shows the book's own picture is
        no difference, and Best picks among the covers that loaded, by their real sizes."""
        images = {s: i for s, i, _ in found if i is not None and not i.isNull()}
        own = images.pop(LOCAL, None)
        mine = thumbnail(own) if own is not None else None
        for source, image in images.items():
            if mine is not None and same_picture(mine, thumbnail(image)):
                self.table.same_cover(source)
        firsts = [
            a.candidates[best_index(a)] for a in shown.sources if a.source in self.table.sources
        ]
        loaded = [
            dataclasses.replace(c, cover_width=images[c.source].width(),
                                cover_height=images[c.source].height())
            if c.source in images
            else dataclasses.replace(c, cover_url=None)
            for c in firsts
        ]  # fmt: skip
        size = (own.width(), own.height()) if own is not None else shown.cover_size
        best = best_values(loaded, shown.local, cover_size=size).get("cover")
        self.table.set_best("cover", best.source if best is not None else None)

    async def _local_cover(self, path: Path) -> tuple[str, QImage | None, tuple[int, int] | None]:
        try:
            data = await asyncio.to_thread(path.read_bytes)
        except OSError:
            return LOCAL, None, None
        image = image_from(data)
        return LOCAL, image, (image.width(), image.height()) if not image.isNull() else None

    async def _remote_cover(
        self, candidate: Candidate
    ) -> tuple[str, QImage | None, tuple[int, int] | None]:
        known = None
        if candidate.cover_width and candidate.cover_height:
            known = (candidate.cover_width, candidate.cover_height)
        if not candidate.cover_url:
            return candidate.source, None, None
        data = await self._covers.fetch(candidate.cover_url)
        image = image_from(data) if data else None
        if image is not None and not image.isNull():
            return candidate.source, image, (image.width(), image.height())
        return candidate.source, None, known

    # -- applying ---------------------------------------------------------------------------

    async def apply(self) -> str | None:
        """Save what is ticked as the user's edit; the summary, None when nothing was ticked
        or nothing could be saved (the reason is shown under the table)."""
        shown, picks = self.shown, self.table.picks()
        if shown is None or not picks:
            return None
        by_source: dict[str, list[str]] = {}
        for name, source in picks.items():
            by_source.setdefault(source, []).append(name)
        answers = {a.source: a for a in shown.sources}
        applied: list[str] = []
        skipped: list[str] = []
        self._set_enabled(False)
        try:
            for source, names in by_source.items():
                index = best_index(answers[source])
                result = await self.service.apply(shown.book_id, names, source, index=index)
                applied.extend(result.applied)
                skipped.extend(f"{FIELD_LABELS[n]}: {why}" for n, why in result.skipped)
        except BookOrbitError as error:
            self.error_label.setText(f"{error.title}. {error.message}")
            self.error_label.show()
            self._set_enabled(True)
            if applied:
                self.applied.emit(shown.book_id, "")
            return None
        text = "Saved " + ", ".join(FIELD_LABELS[n] for n in applied) + "."
        if skipped:
            text += " Not saved: " + "; ".join(skipped) + "."
        self.applied.emit(shown.book_id, text)
        await self.load(shown.book_id)
        return text
