"""Import ebook files and folders into the library: idempotent, every file all or nothing.

    summary = import_paths(["~/Books", "new.epub"], paths, progress=on_progress)

Folders are walked recursively (see `scan.py`). Files that must be read are read on every
core at once (`pool.py` runs `prepare.py` in worker processes: digest, metadata, cover check); their
results come back in order and this process alone decides and writes, so the outcome is the
same as reading them one by one. For every file, in order:

1. Known path with the same size and mtime: unchanged, nothing is read or written, so it
   takes no batch, savepoint or Ctrl-C guard (this is what makes a second import of a big
   library take a moment, with or without a few new files in it).
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

Every file's writes happen in one savepoint inside a batch transaction (`batch.py`), so a
failure, a cancel or a killed process never leaves half a book behind. Progress is reported
after each file through a callback of plain dataclasses; `should_cancel` is checked between
files, and the workers are stopped before `import_paths` returns or raises.
"""

from __future__ import annotations

import filecmp
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from peewee import DatabaseError, IntegrityError

from bookorbit_desktop.config import Paths
from bookorbit_desktop.gc_pause import paused_collection
from bookorbit_desktop.library.importer.batch import BATCH_SECONDS, Batches, file_savepoint
from bookorbit_desktop.library.importer.pool import Readers, workers_for
from bookorbit_desktop.library.importer.prepare import Prepared, UnexpectedReadError, prepare_file
from bookorbit_desktop.library.importer.scan import FoundFiles, ImportFailure, find_files
from bookorbit_desktop.library.importer.summary import (
    DigestCollision,
    ImportOutcome,
    ImportProgress,
    ImportSummary,
    ProgressCallback,
)
from bookorbit_desktop.library.importer.unchanged import same_stat
from bookorbit_desktop.library.importer.writer import KnownFile, LibraryIndex
from bookorbit_desktop.library.metadata.covers import cover_relative_path, delete_cover
from bookorbit_desktop.library.metadata.reader import BookMetadata, BookReadError
from bookorbit_desktop.library.search.fold import interrupts_put_off
from bookorbit_desktop.library.store.bulk_writes import bulk_writes

__all__ = ["import_paths"]

log = logging.getLogger(__name__)

UNCHANGED = ImportOutcome.UNCHANGED


def import_paths(
    sources: Iterable[str | os.PathLike[str]],
    paths: Paths,
    *,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
    clock: Callable[[], float] = time.time,
    workers: int | None = None,
    found: FoundFiles | None = None,
    before: ImportSummary | None = None,
) -> ImportSummary:
    """Import files and folders into the open library (see the module docstring).

    `paths` tells where covers go. The library database must be open (`db.open_database`).
    `workers` is how many processes read the files (None: one per core; 0: this process).
    `found`: the files of `sources` if already found (`scan.find_files` with `paths.data_dir`
    skipped, as the quick answer finds them). `before`: the summary of the import's files
    already found unchanged and reported (`unchanged.import_unchanged`), whose count and
    numbering the files of `found` continue.
    """
    if found is None:
        found = find_files(sources, skip=[paths.data_dir])
    files, failures, started = found.files, found.failures, found.started
    summary = before or ImportSummary(total=len(files) + len(failures), ignored=found.ignored)
    summary.failures.extend(failures)
    with paused_collection():  # the library's files and a plan per file: no cycles
        importer = _Importer(paths, clock, summary, files)
        plans = [importer.plan(file) for file in files]
    done = len(failures) + (before.unchanged if before is not None else 0)
    for failure in failures:
        _report(progress, summary, done, failure.path, ImportOutcome.FAILED, None, failure.reason)
    summary.workers = workers_for(sum(plan.read for plan in plans), workers)
    # A file is reported once its batch is committed: never one a full disk rolled back.
    reports: list[ImportProgress] = []
    collect = reports.append if progress is not None else None
    batches = Batches(importer.forget_uncommitted, on_commit=lambda: _flush(progress, reports))
    to_read = deque(plan.file for plan in plans if plan.read)  # read ahead, in order
    with Readers(summary.workers) as readers, bulk_writes():
        try:
            for plan in plans:
                if should_cancel is not None and should_cancel():
                    summary.cancelled = True
                    break
                while to_read and not readers.full:
                    readers.submit(Path(to_read.popleft()))
                done += 1
                # An unchanged file reads and writes nothing: it needs no batch, savepoint or
                # Ctrl-C guard (which cost more than the rest of its turn), so a large library
                # with a few new files costs little more than one with none.
                book_id = importer.unchanged_book(plan)
                if book_id is not None:
                    summary.unchanged += 1
                    waits = batches.open  # then it is reported after the batch's files
                    to = collect if waits else progress
                    _report(to, summary, done, plan.file, UNCHANGED, book_id, None, started)
                    if waits:
                        batches.file_done()
                    continue
                prepared = (
                    readers.next(patience=BATCH_SECONDS, on_wait=batches.commit)
                    if plan.read
                    else None
                )
                batches.begin()
                outcome, book_id, reason = importer.run(plan, prepared)
                summary.count(outcome)
                if reason is not None:
                    summary.failures.append(ImportFailure(Path(plan.file), reason))
                elif book_id is not None and outcome != UNCHANGED:
                    summary.book_ids.append(book_id)
                _report(collect, summary, done, plan.file, outcome, book_id, reason, started)
                batches.file_done()
        except BaseException:
            batches.close_after_error()
            raise
        batches.commit()
    return summary.finish(started)


def _flush(progress: ProgressCallback | None, reports: list[ImportProgress]) -> None:
    if progress is not None:
        for report in reports:
            progress(report)
    reports.clear()


def _report(
    progress: ProgressCallback | None,
    summary: ImportSummary,
    done: int,
    file: str | Path,
    outcome: ImportOutcome,
    book_id: int | None,
    reason: str | None,
    started: float | None = None,
) -> None:
    if progress is not None:
        elapsed = time.monotonic() - started if started is not None else 0.0
        progress(ImportProgress(done, summary.total, file, outcome, book_id, reason, elapsed))


class _Plan(NamedTuple):
    """What the importing process learns about a file before its turn: its stat, and whether
    it must be read (it is not a known path with the same size and time). The file stays text
    until it is read or written: a Path for each file of a large library cost more than the
    rest of planning it."""

    file: str
    stat: os.stat_result | None
    error: Exception | None  # raised on the file's turn, as if met then
    read: bool
    unchanged: KnownFile | None = None  # the file as the library held it, when unchanged


class _Importer:
    """One import run: the cached library index and the per-file decisions."""

    def __init__(
        self,
        paths: Paths,
        clock: Callable[[], float],
        summary: ImportSummary,
        files: Sequence[str],
    ) -> None:
        self.paths = paths
        self.clock = clock
        self.summary = summary
        self.files = files
        self.index = LibraryIndex(files)

    def plan(self, file: str) -> _Plan:
        try:
            file.encode("utf-8")
        except UnicodeEncodeError:
            # The library stores paths as text; a name in a legacy encoding cannot be stored.
            error = BookReadError(
                "its file or folder name is not valid UTF-8 text; rename it and import again"
            )
            return _Plan(file, None, error, False)
        try:
            stat = os.stat(file)
        except OSError as error:
            return _Plan(file, None, error, False)
        known = self._unchanged(file, stat)
        if known is not None:
            return _Plan(file, stat, None, False, known)
        left_out = self.index.removed_unchanged(file, stat.st_size, stat.st_mtime)
        return _Plan(file, stat, None, not left_out)

    def _unchanged(self, file: str, stat: os.stat_result) -> KnownFile | None:
        known = self.index.by_path.get(file)
        if known and same_stat(known.size, known.mtime, stat):
            return known
        return None

    def unchanged_book(self, plan: _Plan) -> int | None:
        """The book of a file planned as unchanged that still is (the library's entry for it is
        the one planned with, so no earlier file changed it) and is not marked missing: nothing
        to read or write. None for any other file, which `run` decides."""
        known = plan.unchanged
        if known is None or known.missing or self.index.by_path.get(plan.file) is not known:
            return None
        return known.book_id

    def forget_uncommitted(self) -> None:
        """A batch was rolled back: reload what the database holds."""
        self.index = LibraryIndex(self.files)

    def run(
        self, plan: _Plan, prepared: Prepared | None
    ) -> tuple[ImportOutcome, int | None, str | None]:
        """(outcome, book id, failure reason) for one file; never raises for a bad file."""
        path = plan.file
        try:
            with interrupts_put_off():  # Ctrl-C lands between files, never inside a write
                outcome, book_id = self._import(plan, prepared)
        except BookReadError as error:
            log.warning("Not imported: %s: %s", path, error)
            return ImportOutcome.FAILED, None, str(error)
        except OSError as error:
            log.warning("Not imported: %s: %s", path, error)
            return ImportOutcome.FAILED, None, f"cannot be read: {error.strerror or error}"
        except IntegrityError as error:
            # Another process changed the same rows (two imports at once): this file's
            # savepoint was rolled back; the cache is reloaded from what the database holds.
            log.warning("Not imported: %s: %s", path, error)
            self.index = LibraryIndex(self.files)
            return ImportOutcome.FAILED, None, f"the library refused it ({error}); import again"
        except DatabaseError:
            raise  # the library itself is in trouble (locked, full disk): stop the run
        except UnexpectedReadError as error:
            # A reader tripped over a file shape nobody foresaw: that file fails, not the run.
            log.error("Unexpected error reading %s\n%s", path, error.details.rstrip())
            return ImportOutcome.FAILED, None, f"could not be read ({error.type_name})"
        except Exception as error:
            log.exception("Unexpected error importing %s", path)
            return ImportOutcome.FAILED, None, f"could not be read ({type(error).__name__})"
        log.debug("%s: %s (book %s)", outcome, path, book_id)
        return outcome, book_id, None

    def _import(self, plan: _Plan, prepared: Prepared | None) -> tuple[ImportOutcome, int | None]:
        if plan.error is not None:
            raise plan.error
        file, stat = plan.file, plan.stat
        assert stat is not None
        known = self._unchanged(file, stat)
        if known is not None:
            if known.missing:
                with file_savepoint():
                    self.index.update_file(
                        known, size=known.size, mtime=known.mtime, digest=known.digest
                    )
            return ImportOutcome.UNCHANGED, known.book_id
        if self.index.removed_unchanged(file, stat.st_size, stat.st_mtime):
            return ImportOutcome.REMOVED, None  # the user removed its book; it is as it was
        path = Path(file)
        if prepared is None:  # planned as unchanged, but an earlier file changed the index
            prepared = prepare_file(path)
        digest = prepared.require_digest()
        known = self.index.by_path.get(file)
        if known is not None:
            return self._changed_in_place(path, known, stat, digest, prepared)
        same = [f for f in self.index.same_digest(digest) if f.size == stat.st_size]
        for candidate in same:
            if not os.path.exists(candidate.path):
                with file_savepoint():
                    self.index.update_file(
                        candidate, path=path, size=stat.st_size, mtime=stat.st_mtime, digest=digest
                    )
                    self.index.add_aliases(candidate, path.name, self.clock())
                return ImportOutcome.MOVED, candidate.book_id
        for candidate in same:
            if _same_content(path, Path(candidate.path)):
                metadata = prepared.require_metadata()  # also refuses a copy that is no ebook
                with file_savepoint():
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
        metadata = prepared.require_metadata()
        others = list(self.index.same_digest(digest))
        self.index.forget_removed(path)  # it changed since its book was removed
        book_id = self._write_new_book(path, stat, digest, metadata, prepared.has_cover)
        self._report_collisions(digest, path, book_id, others)
        return ImportOutcome.IMPORTED, book_id

    def _report_collisions(
        self, digest: str, path: Path, book_id: int, others: list[KnownFile]
    ) -> None:
        """Other books' files that share this file's partial MD5, into the summary."""
        for other in others:
            if other.book_id != book_id:
                self.summary.collisions.append(
                    DigestCollision(digest, path, book_id, Path(other.path), other.book_id)
                )
                log.warning("%s and %s share the KOReader document id %s", path, other.path, digest)

    def _changed_in_place(
        self, path: Path, known: KnownFile, stat: os.stat_result, digest: str, prepared: Prepared
    ) -> tuple[ImportOutcome, int | None]:
        if digest == known.digest and stat.st_size == known.size:
            with file_savepoint():
                self.index.update_file(known, size=known.size, mtime=stat.st_mtime, digest=digest)
            return ImportOutcome.UNCHANGED, known.book_id
        metadata = prepared.require_metadata()
        now = self.clock()
        refresh = self.index.files_of_book(known.book_id) == 1
        others = list(self.index.same_digest(digest))
        try:
            with file_savepoint():
                updated = self.index.update_file(
                    known, size=stat.st_size, mtime=stat.st_mtime, digest=digest
                )
                self.index.add_aliases(updated, path.name, now)
                if refresh:
                    # The file is the book's only source: its metadata follows the file.
                    kept = self.index.refresh_book(known.book_id, metadata, now)
                    if prepared.has_cover and "cover" not in kept:
                        self._point_at_cover(known.book_id)
        except BaseException:
            self.index = LibraryIndex(self.files)
            raise
        self._report_collisions(digest, path, known.book_id, others)
        return ImportOutcome.UPDATED, known.book_id

    def _write_new_book(
        self,
        path: Path,
        stat: os.stat_result,
        digest: str,
        metadata: BookMetadata,
        has_cover: bool,
    ) -> int:
        now = self.clock()
        try:
            with file_savepoint():
                book_id = self.index.create_book(metadata, now)
                self.index.add_file(
                    book_id, path, metadata.format, stat.st_size, stat.st_mtime, digest, now
                )
                if has_cover:
                    self._point_at_cover(book_id)
        except BaseException:
            # The savepoint rolled back: drop the cache entries it added, so the run
            # continues from what the database really holds.
            self.index = LibraryIndex(self.files)
            raise
        return book_id

    def _point_at_cover(self, book_id: int) -> None:
        """Record the book's cover; the file is made from the book when first shown. A file
        left at that path (an older version of the book) is removed so it is made anew."""
        cover_path = cover_relative_path(book_id)
        self.index.set_cover(book_id, cover_path)
        try:
            delete_cover(self.paths, cover_path)
        except OSError as error:
            log.warning("Old cover of book %d not removed: %s", book_id, error)


def _same_content(path: Path, other: Path) -> bool:
    try:
        return filecmp.cmp(path, other, shallow=False)
    except OSError:
        return False
