"""Import ebook files and folders into the library: idempotent, one transaction per file.

    summary = import_paths(["~/Books", "new.epub"], paths, progress=on_progress)

Folders are walked recursively (see `scan.py`). For every file, in order:

1. Known path with the same size and mtime: unchanged, nothing is read (this is what makes a
   second import of a big library take a moment).
2. Its KOReader partial MD5 (12 KiB read) and size are compared with the library:
   - known path, same digest and size: only the mtime changed (touched); recorded.
   - known path, new content: the file was edited in place (for example metadata rewritten);
     the new digest is added as another alias, so copies of the old version on an e-reader
     still sync; when it is the book's only file, the book's metadata follows the file.
   - same digest and size as a known file whose path no longer exists: the file was moved or
     renamed; its path is updated (the book, reading state and aliases stay).
   - same digest and size as a known file that still exists and is byte-identical: another
     copy of that book; it is added as a second file of the same book.
   - otherwise it is a new book. If its digest equals another file's, that is a partial-MD5
     collision between different files: both keep the alias and the summary reports it.
3. Files that cannot be read get a one-line reason in the summary; the import goes on.

Every file's writes happen in one transaction, so a failure or a killed process never leaves
half a book behind. Progress is reported after each file through a callback of plain
dataclasses; `should_cancel` is checked between files.
"""

from __future__ import annotations

import filecmp
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from peewee import DatabaseError, IntegrityError

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.importer.scan import ImportFailure, collect_files
from bookorbit_desktop.library.importer.writer import KnownFile, LibraryIndex
from bookorbit_desktop.library.metadata.covers import delete_cover, store_cover
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.metadata.reader import BookMetadata, BookReadError, read_metadata
from bookorbit_desktop.library.store.models import database

__all__ = [
    "DigestCollision",
    "ImportFailure",
    "ImportOutcome",
    "ImportProgress",
    "ImportSummary",
    "ProgressCallback",
    "collect_files",
    "import_paths",
]

log = logging.getLogger(__name__)


class ImportOutcome(StrEnum):
    IMPORTED = "imported"  # a new book
    COPY = "copy"  # an identical copy of a known file: added to that book
    MOVED = "moved"  # a known file found under a new path
    UPDATED = "updated"  # a known path whose content changed
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class ImportProgress:
    """Sent after each file."""

    done: int
    total: int
    path: Path
    outcome: ImportOutcome
    book_id: int | None
    reason: str | None  # why it failed, for FAILED
    elapsed: float  # seconds since the import started


@dataclass(frozen=True)
class DigestCollision:
    """Two different files with the same KOReader partial MD5 (both books keep the alias)."""

    document: str
    path: Path
    book_id: int
    other_path: Path
    other_book_id: int


@dataclass
class ImportSummary:
    total: int = 0
    imported: int = 0
    copies: int = 0
    moved: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0  # files in folders whose names are not ebooks (covers, notes, ...)
    failures: list[ImportFailure] = field(default_factory=list)
    collisions: list[DigestCollision] = field(default_factory=list)
    book_ids: list[int] = field(default_factory=list)  # books created or changed
    cancelled: bool = False
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every file was imported (or already was) and nothing was cancelled."""
        return not self.failures and not self.cancelled

    def count(self, outcome: ImportOutcome) -> None:
        attribute = {
            ImportOutcome.IMPORTED: "imported",
            ImportOutcome.COPY: "copies",
            ImportOutcome.MOVED: "moved",
            ImportOutcome.UPDATED: "updated",
            ImportOutcome.UNCHANGED: "unchanged",
        }.get(outcome)
        if attribute:
            setattr(self, attribute, getattr(self, attribute) + 1)


ProgressCallback = Callable[[ImportProgress], None]


def import_paths(
    sources: Iterable[str | os.PathLike[str]],
    paths: Paths,
    *,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
    clock: Callable[[], float] = time.time,
) -> ImportSummary:
    """Import files and folders into the open library (see the module docstring).

    `paths` tells where covers go. The library database must be open (`db.open_database`).
    """
    started = time.monotonic()
    files, failures, ignored = collect_files(sources, skip=[paths.data_dir])
    summary = ImportSummary(total=len(files) + len(failures), ignored=ignored)
    summary.failures.extend(failures)
    importer = _Importer(paths, clock, summary)
    done = len(failures)
    for failure in failures:
        _report(progress, summary, done, failure.path, ImportOutcome.FAILED, None, failure.reason)
    for path in files:
        if should_cancel is not None and should_cancel():
            summary.cancelled = True
            break
        done += 1
        outcome, book_id, reason = importer.run(path)
        summary.count(outcome)
        if reason is not None:
            summary.failures.append(ImportFailure(path, reason))
        elif book_id is not None and outcome != ImportOutcome.UNCHANGED:
            summary.book_ids.append(book_id)
        _report(progress, summary, done, path, outcome, book_id, reason, started)
    summary.elapsed = time.monotonic() - started
    log.info(
        "Import: %d new, %d copies, %d moved, %d updated, %d unchanged, %d failed in %.1f s",
        summary.imported,
        summary.copies,
        summary.moved,
        summary.updated,
        summary.unchanged,
        len(summary.failures),
        summary.elapsed,
    )
    return summary


def _report(
    progress: ProgressCallback | None,
    summary: ImportSummary,
    done: int,
    path: Path,
    outcome: ImportOutcome,
    book_id: int | None,
    reason: str | None,
    started: float | None = None,
) -> None:
    if progress is not None:
        elapsed = time.monotonic() - started if started is not None else 0.0
        progress(ImportProgress(done, summary.total, path, outcome, book_id, reason, elapsed))


class _Importer:
    """One import run: the cached library index and the per-file decisions."""

    def __init__(self, paths: Paths, clock: Callable[[], float], summary: ImportSummary) -> None:
        self.paths = paths
        self.clock = clock
        self.summary = summary
        self.index = LibraryIndex()

    def run(self, path: Path) -> tuple[ImportOutcome, int | None, str | None]:
        """(outcome, book id, failure reason) for one file; never raises for a bad file."""
        try:
            outcome, book_id = self._import(path)
        except BookReadError as error:
            log.warning("Not imported: %s: %s", path, error)
            return ImportOutcome.FAILED, None, str(error)
        except OSError as error:
            log.warning("Not imported: %s: %s", path, error)
            return ImportOutcome.FAILED, None, f"cannot be read: {error.strerror or error}"
        except IntegrityError as error:
            # Another process changed the same rows (two imports at once): this file's
            # transaction was rolled back; the cache is reloaded from what the database holds.
            log.warning("Not imported: %s: %s", path, error)
            self.index = LibraryIndex()
            return ImportOutcome.FAILED, None, f"the library refused it ({error}); import again"
        except DatabaseError:
            raise  # the library itself is in trouble (locked, full disk): stop the run
        except Exception as error:
            # A reader tripped over a file shape nobody foresaw: that file fails, not the run.
            log.exception("Unexpected error reading %s", path)
            return ImportOutcome.FAILED, None, f"could not be read ({type(error).__name__})"
        log.debug("%s: %s (book %s)", outcome, path, book_id)
        return outcome, book_id, None

    def _import(self, path: Path) -> tuple[ImportOutcome, int | None]:
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError:
            # The library stores paths as text; a name in a legacy encoding cannot be stored.
            raise BookReadError(
                "its file or folder name is not valid UTF-8 text; rename it and import again"
            ) from None
        stat = path.stat()
        known = self.index.by_path.get(str(path))
        if known and known.size == stat.st_size and known.mtime == stat.st_mtime:
            if known.missing:
                with database.atomic():
                    self.index.update_file(
                        known, size=known.size, mtime=known.mtime, digest=known.digest
                    )
            return ImportOutcome.UNCHANGED, known.book_id
        digest = partial_md5(path)
        if known is not None:
            return self._changed_in_place(path, known, stat, digest)
        same = [f for f in self.index.by_digest.get(digest, []) if f.size == stat.st_size]
        for candidate in same:
            if not os.path.exists(candidate.path):
                with database.atomic():
                    self.index.update_file(
                        candidate, path=path, size=stat.st_size, mtime=stat.st_mtime, digest=digest
                    )
                    self.index.add_aliases(candidate, path.name, self.clock())
                return ImportOutcome.MOVED, candidate.book_id
        for candidate in same:
            if _same_content(path, Path(candidate.path)):
                metadata = read_metadata(path)  # also refuses a copy that is not an ebook
                with database.atomic():
                    self.index.add_file(
                        candidate.book_id,
                        path,
                        metadata.format,
                        stat.st_size,
                        stat.st_mtime,
                        digest,
                        self.clock(),
                    )
                return ImportOutcome.COPY, candidate.book_id
        metadata = read_metadata(path)
        others = list(self.index.by_digest.get(digest, []))
        book_id = self._write_new_book(path, stat, digest, metadata)
        for other in others:
            self.summary.collisions.append(
                DigestCollision(digest, path, book_id, Path(other.path), other.book_id)
            )
            log.warning("%s and %s share the KOReader document id %s", path, other.path, digest)
        return ImportOutcome.IMPORTED, book_id

    def _changed_in_place(
        self, path: Path, known: KnownFile, stat: os.stat_result, digest: str
    ) -> tuple[ImportOutcome, int | None]:
        if digest == known.digest and stat.st_size == known.size:
            with database.atomic():
                self.index.update_file(known, size=known.size, mtime=stat.st_mtime, digest=digest)
            return ImportOutcome.UNCHANGED, known.book_id
        metadata = read_metadata(path)
        now = self.clock()
        refresh = self.index.files_of_book(known.book_id) == 1
        try:
            with database.atomic():
                updated = self.index.update_file(
                    known, size=stat.st_size, mtime=stat.st_mtime, digest=digest
                )
                self.index.add_aliases(updated, path.name, now)
                if refresh:
                    # The file is the book's only source: its metadata follows the file.
                    self.index.refresh_book(known.book_id, metadata, now)
                    if metadata.cover is not None:
                        cover = _store_cover_safely(self.paths, known.book_id, metadata.cover)
                        if cover is not None:
                            self.index.set_cover(known.book_id, cover)
        except BaseException:
            self.index = LibraryIndex()
            raise
        return ImportOutcome.UPDATED, known.book_id

    def _write_new_book(
        self, path: Path, stat: os.stat_result, digest: str, metadata: BookMetadata
    ) -> int:
        now = self.clock()
        cover_path: str | None = None
        try:
            with database.atomic():
                book_id = self.index.create_book(metadata, now)
                self.index.add_file(
                    book_id, path, metadata.format, stat.st_size, stat.st_mtime, digest, now
                )
                if metadata.cover is not None:
                    cover_path = _store_cover_safely(self.paths, book_id, metadata.cover)
                    if cover_path is not None:
                        self.index.set_cover(book_id, cover_path)
        except BaseException:
            # The transaction rolled back: drop the cover written for it and the cache
            # entries it added, so the run continues from what the database really holds.
            delete_cover(self.paths, cover_path)
            self.index = LibraryIndex()
            raise
        return book_id


def _store_cover_safely(paths: Paths, book_id: int, data: bytes) -> str | None:
    try:
        return store_cover(paths, book_id, data)
    except OSError as error:  # a full disk loses the cover, not the book
        log.warning("Cover of book %d not stored: %s", book_id, error)
        return None


def _same_content(path: Path, other: Path) -> bool:
    try:
        return filecmp.cmp(path, other, shallow=False)
    except OSError:
        return False
