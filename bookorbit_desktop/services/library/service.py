"""The library as the window sees it: book rows, one book's details, edits and imports.

Imports run on a worker thread (the window stays responsive); peewee gives that thread its
own SQLite connection, which is closed when the import ends. Everything else runs on the
GUI thread, like the LAN server, in short transactions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.hardcover.sync.model import progress_pages
from bookorbit_desktop.library.custom import store as custom_store
from bookorbit_desktop.library.custom.kinds import Column
from bookorbit_desktop.library.importer.complete import import_sources
from bookorbit_desktop.library.importer.summary import ImportSummary
from bookorbit_desktop.library.metadata.covers import ensure_cover
from bookorbit_desktop.library.metadata.generated_cover import generated_covers
from bookorbit_desktop.library.metadata.languages import language_label as language_label
from bookorbit_desktop.library.reading import edits
from bookorbit_desktop.library.reading.marking import NO_DATE as NO_DATE
from bookorbit_desktop.library.reading.marking import DateNeededError as DateNeededError
from bookorbit_desktop.library.reading.rules import FINISHED as FINISHED
from bookorbit_desktop.library.reading.sources import source_label as source_label
from bookorbit_desktop.library.reading.values import READING_STATUSES as READING_STATUSES
from bookorbit_desktop.library.reading.values import format_rating as format_rating
from bookorbit_desktop.library.reading.values import percent
from bookorbit_desktop.library.reading.values import rating_choice as rating_choice
from bookorbit_desktop.library.store import queries
from bookorbit_desktop.library.store.languages import SHOWN_APART as SHOWN_APART
from bookorbit_desktop.library.store.models import Book, BookFile, ReadingState, database
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.services.library.records import (
    BookDetails,
    BookRow,
    FileInfo,
    MatchInfo,
    ReadingInfo,
)
from bookorbit_desktop.services.library.rows import TableBook, read_table
from bookorbit_desktop.services.library.rows import hardcover_state as hardcover_state
from bookorbit_desktop.services.library.table_window import TableChanges, changes_since

if TYPE_CHECKING:
    from bookorbit_desktop.library.importer.summary import ImportProgress

STATUS_LABELS: dict[str, str] = {
    "unread": "Unread",
    "want_to_read": "Want to read",
    "reading": "Reading",
    "rereading": "Rereading",
    "on_hold": "On hold",
    "read": "Read",
    "skimmed": "Skimmed",
    "abandoned": "Abandoned",
}
HARDCOVER_LABELS: dict[str, str] = {
    "linked": "Linked",
    "needs_review": "Needs review",
    "unmatched": "Not matched yet",
    "unread": "Not synced: unread",
    "no_match": "No match",
    "error": "Error",
    "excluded": "Excluded",
    "removed": "Entry removed",
}


def progress_text(progress: float, pages: int | None, status: str | None = None) -> str:
    """ "42 %", or "42 % · p. 140 of 332" once a linked edition's length is known; "Finished"
    for a book read or skimmed (whatever position was last reported)."""
    if status in FINISHED:
        return "Finished"
    if progress <= 0:
        return ""
    text = percent(progress)
    page = progress_pages(progress, pages)
    return f"{text} · p. {page} of {pages}" if page is not None else text


# The reading-state fields the user changed, as typed: "status", "progress" (fraction),
# "started"/"finished" (ISO date text, None clears) and "rating" (None clears). Fields left
# out stay as they are, so a new status still brings the dates the reading rules imply.
ReadingEdit = dict[str, Any]  # validated by `reading.values` on save


@dataclass(frozen=True)
class ImportStep:
    """Progress of a running import, after `done` of `total` files."""

    done: int
    total: int
    name: str  # the file just handled


# One import at a time (Import and the watched folders' refresh): two at once would race for
# the same new files and one of them would report them as failed.
IMPORT_LOCK = threading.RLock()
# Progress is posted to the window at most this often; a fast import handles thousands of
# files a second and the window needs only a few frames of it.
_PROGRESS_INTERVAL = 0.05


def run_import(
    paths: Paths,
    sources: Sequence[str],
    progress: Callable[[ImportStep], None],
    cancel: threading.Event,
) -> ImportSummary:
    """Import `sources` (files and folders) and adopt the KOReader progress waiting for
    them (`importer.complete`); meant to run on a worker thread."""

    last = 0.0

    def report(step: ImportProgress) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= _PROGRESS_INTERVAL or step.done == step.total:
            last = now
            progress(ImportStep(step.done, step.total, Path(step.path).name))

    try:
        with IMPORT_LOCK:
            return import_sources(sources, paths, progress=report, should_cancel=cancel.is_set)
    finally:
        if threading.current_thread() is not threading.main_thread():
            database.close()  # this worker thread's own connection


class LibraryService:
    """Reads and edits for the window; `on_reading_changed(book_id)` after each edit."""

    def __init__(
        self,
        paths: Paths,
        *,
        match_states: Callable[[Sequence[int] | None], Mapping[int, str]] | None = None,
        match_info: Callable[[int], MatchInfo | None] | None = None,
        on_reading_changed: Callable[[int], None] | None = None,
    ) -> None:
        self.paths = paths
        self._match_states = match_states
        self._match_info = match_info
        self.on_reading_changed = on_reading_changed

    def list_books(self, book_ids: Sequence[int] | None = None) -> list[BookRow]:
        """Every book (or those in `book_ids`), as rows for the library table."""
        return [book.as_book() for book in self.table_books(book_ids)]

    def table_books(self, book_ids: Sequence[int] | None = None) -> list[TableBook]:
        """`list_books` as the library table keeps them: one compact record per book."""
        return read_table(book_ids, self._match_states)

    async def load_changes(self, since: int | None) -> TableChanges:
        """Which books changed after change `since` (None: any book), read in a worker thread
        on its own connection."""
        return await off_loop(changes_since, since)

    def data_version(self) -> int:
        """Changes when another connection (a thread, a process) commits to the library."""
        return int(database.execute_sql("PRAGMA data_version").fetchone()[0])

    def cover_file(self, book_id: int) -> str | None:
        """The absolute file of a book's cover (made now if it was not yet), if it has one."""
        row = Book.select(Book.cover_path).where(Book.id == book_id).first()
        if row is None or not row.cover_path:
            return None
        files = BookFile.select(BookFile.path).where(
            (BookFile.book == book_id) & (BookFile.missing == False)  # noqa: E712 (SQL)
        )
        cover = ensure_cover(self.paths, row.cover_path, [Path(f.path) for f in files])
        return str(cover) if cover else None

    def book_details(self, book_id: int) -> BookDetails:
        book = queries.get_book(book_id)
        cover_path = book.get("cover_path")
        # The cover is made from the book's file the first time it is shown.
        sources = [Path(file["path"]) for file in book["files"] if not file["missing"]]
        cover = ensure_cover(self.paths, cover_path, sources) if cover_path else None
        generated = cover is None  # no cover of its own (or none usable): a generated one
        if generated:
            cover = generated_covers(self.paths, [book_id]).get(book_id)
        details = BookDetails(
            id=book["id"],
            title=book["title"],
            subtitle=book["subtitle"],
            authors=list(book["authors"]),
            series=book["series"],
            series_index=book["series_index"],
            language=SHOWN_APART.join(book["languages"]) or None,
            publisher=book["publisher"],
            published=book["published"],
            description=book["description"],
            isbn13=book["isbn13"],
            isbn10=book["isbn10"],
            pages=book["pages"],
            cover_file=str(cover) if cover else None,
            cover_generated=generated,
            files=[
                FileInfo(
                    path=file["path"],
                    format=file["format"],
                    size=file["size"],
                    missing=bool(file["missing"]),
                    partial_md5=file["partial_md5"],
                )
                for file in book["files"]
            ],
            reading=ReadingInfo(
                status=book["reading"]["status"],
                progress=float(book["reading"]["progress"] or 0.0),
                started=book["reading"]["started"],
                finished=book["reading"]["finished"],
                rating=book["reading"]["rating"],
            ),
            hardcover_match=self._match_info(book_id) if self._match_info else None,
            custom=_custom_values(book_id),
        )
        state = ReadingState.get_or_none(ReadingState.book == book_id)
        if state is not None:
            details["reading"]["started_source"] = state.started_source
            details["reading"]["finished_source"] = state.finished_source
        return details

    def save_reading(self, book_id: int, changes: ReadingEdit) -> None:
        """Apply the changed fields; InvalidValueError (nothing written) when one is wrong,
        `DateNeededError` when marking it read needs the user to say when it ended."""
        if not changes:
            return
        edits.save_edit(book_id, **changes)
        if self.on_reading_changed is not None:
            self.on_reading_changed(book_id)

    def run_import(
        self,
        sources: Sequence[str],
        progress: Callable[[ImportStep], None],
        cancel: threading.Event,
    ) -> ImportSummary:
        return run_import(self.paths, sources, progress, cancel)


def _custom_values(book_id: int) -> list[tuple[Column, Any]]:
    """The book's custom columns that hold a value, by name, each with its value."""
    held = custom_store.book_values([book_id])[book_id]
    return [(column, held[column.id]) for column in custom_store.columns() if column.id in held]
