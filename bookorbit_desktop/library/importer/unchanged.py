"""The unchanged files of an import, recognised with one query and one stat() per file.

Importing the same folders again is the common case (by hand, from a schedule, after adding a
book or two). A known path with the same size and modification time, not marked missing, is
"unchanged": the full import (`run.import_paths`) would read and write nothing for it. This
module finds those files on a plain SQLite connection that only reads, without loading the
ORM, the ebook readers or worker processes, and reports them as the full import would. When
every file is unchanged that is the whole import, with the same summary and log line;
otherwise the caller hands the other files (new, changed, missing, unreadable) to the full
import, which decides and reports them as always, after these.

The files and the library's rows are paired in the text order of their paths (the rows read
in the order of the paths' unique index, the files sorted, which a walk finds them nearly in
already) and merged, so no dictionary of every known path is made: see `_matched`.

None means the full import must take every file: a source that does not exist, a library
that does not exist yet or needs migrating, or any SQLite error (a damaged page read here).

The library's rows are read first, those of the paths under the import's sources only (a new
folder imported into a large library reads none): where a child finds the files meanwhile
(`finding`), the folder walk costs the answer nothing. Then a child reads the files' stats
while this process pairs the files with the rows (`file_stats`).

SQLite's quick check, which opening the library runs, is left out: it reads the whole file
(the largest part of this answer, and growing with the reading history), while this answer
writes nothing that damage could spread to; the next command that opens the library runs it.
When some file is new, the caller is told before the stats are read (`on_others`), so the
check that must pass before it is written begins while they are.

    quick = import_unchanged(["~/Books"], paths, progress=on_progress)
    if quick is None:
        ...  # open the library and run import_paths
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from itertools import compress, count, repeat
from operator import eq, itemgetter, not_
from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.gc_pause import paused_collection
from bookorbit_desktop.library.importer.file_stats import StatReader
from bookorbit_desktop.library.importer.finding import Finding
from bookorbit_desktop.library.importer.scan import FoundFiles, source_ranges
from bookorbit_desktop.library.importer.summary import (
    ImportOutcome,
    ImportProgress,
    ImportSummary,
    ProgressCallback,
)
from bookorbit_desktop.library.reading.waiting import WAITING_DOCUMENTS_SQL
from bookorbit_desktop.library.store.schema_version import SCHEMA_VERSION

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from typing import Any

    # A present file as the library holds it: (path, size, mtime), then its book id if asked.
    _Known = tuple[Any, ...]

log = logging.getLogger(__name__)

# Seconds to wait for another connection's write lock, as the library's own connections do.
BUSY_TIMEOUT = 10.0
# The row of a path the library does not hold: size -2 and a time no stat() reads.
_UNKNOWN = (None, -2, float("nan"), None)
# Files whose stats are compared at once (`_unchanged_mask`).
_CHUNK = 1_024
# Ranges of paths read one by one (`_read_library`); more are read in one pass over all paths.
_MAX_RANGES = 64
# Turns a mask of unchanged files into one of the others.
_FLIP = bytes.maketrans(b"\x00\x01", b"\x01\x00")


@dataclass(frozen=True)
class UnchangedImport:
    """The outcome of an import that changed nothing."""

    summary: ImportSummary  # finished when `others` is empty
    files: list[str]  # the unchanged files, in import order
    others: list[str]  # the files the full import must decide, in import order
    # KOReader pushed documents the library has books for, not linked to them yet (an import
    # stopped before it linked them): the caller links them as after any import.
    documents_to_adopt: bool


def import_unchanged(
    sources: Iterable[str | os.PathLike[str]],
    paths: Paths,
    *,
    progress: ProgressCallback | None = None,
    found: FoundFiles | Finding | None = None,
    on_others: Callable[[], object] | None = None,
) -> UnchangedImport | None:
    """The import of the unchanged files of `sources`; None when the full import must take
    every file.

    Reads the library at `paths.db_file` without opening it for writing (it need not be open).
    With `progress`, reports every unchanged file as the full import would, first; a caller
    that prints the files can instead take them from the result as text (one Path per file
    costs more than the rest of the answer). `found`: the files of `sources` if already found
    or being found (`find_files` or `Finding` with `paths.data_dir` skipped), so that the full
    import can take them on. `on_others` is called as soon as some file is known to need the
    full import, before the unchanged ones are reported (a caller that will open the library
    can start on it).
    """
    sources = list(sources)  # walked, and their ranges read (`source_ranges`)
    if found is None:
        with closing(Finding(sources, skip=[paths.data_dir], library=paths.db_file)) as finding:
            return import_unchanged(
                sources, paths, progress=progress, found=finding, on_others=on_others
            )
    waiting_call = [on_others] if on_others is not None else []

    def tell_others() -> None:  # once, as soon as some file is known to need the full import
        if waiting_call:
            waiting_call.pop()()

    with paused_collection():  # rows and files: no cycles to find
        library = _read_library(paths.db_file, source_ranges(sources), books=progress is not None)
        if library is None:
            return None
        known, waiting = library
        walked = found.result() if isinstance(found, Finding) else found  # meanwhile, maybe
        files, ignored, started = walked.files, walked.ignored, walked.started
        if walked.failures:
            return None
        ordered, order = _in_text_order(files)
        # A child reads the stats while the files are paired with the rows: the one that
        # found them, or one of the reader's own (forked before the caller is told).
        child = found.stats_child() if isinstance(found, Finding) else None
        with closing(StatReader(ordered, child=child)) as reader:
            if len(files) > len(known):  # more files than present paths: some file is new
                tell_others()  # before they are paired with the rows
            rows, unknown = _matched(known, ordered)
            if unknown:
                tell_others()  # without waiting for the stats
            sizes, mtimes = reader.collect(unwanted=unknown)  # a new file: no stat()
            kept = _in_import_order(_unchanged_mask(rows, sizes, mtimes), order)
        others = list(compress(files, kept.translate(_FLIP))) if 0 in kept else []
        if others:
            tell_others()
        unchanged = list(compress(files, kept)) if others else files
        book_ids = _book_ids(rows, order) if progress is not None else []
        # The rows are freed while the collector is paused: the first collection after it
        # would otherwise go over every one of them (a few hundredths of a second at 250,000).
        del library, known, rows, unknown
    summary = ImportSummary(total=len(files), ignored=ignored, unchanged=len(unchanged))
    if progress is not None:
        done = 0
        for path, book_id, is_kept in zip(files, book_ids, kept, strict=True):
            if not is_kept:
                continue
            done += 1
            elapsed = time.monotonic() - started
            event = ImportProgress(
                done, summary.total, path, ImportOutcome.UNCHANGED, book_id, None, elapsed
            )
            progress(event)
    if not others:
        summary.finish(started)
    return UnchangedImport(summary, unchanged, others, waiting)


def same_stat(size: int, mtime: float, stat: os.stat_result) -> bool:
    """A known file is unchanged when its size and modification time are those the library
    holds (the rule of both the quick answer and the full import)."""
    return stat.st_size == size and stat.st_mtime == mtime


def _connect(db_file: Path) -> sqlite3.Connection | None:
    """A connection that only reads the library, or None when the full import must open it
    (no library yet, an empty file, a schema to migrate)."""
    try:
        if os.stat(db_file).st_size == 0:
            return None
    except OSError:
        return None
    connection = sqlite3.connect(db_file, timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        connection.execute("PRAGMA query_only = ON")
        version = connection.execute("SELECT version FROM schema_version").fetchone()
    except sqlite3.Error:
        connection.close()
        raise
    if version != (SCHEMA_VERSION,):
        connection.close()
        return None
    return connection


def _read_library(
    db_file: Path, ranges: Sequence[tuple[str, str]], *, books: bool
) -> tuple[list[_Known], bool] | None:
    """In one snapshot, the library's present files whose paths lie in `ranges` (the only
    places the import's files can be: `scan.source_ranges`), in the text order of their paths
    (with their book ids if `books`), and whether pushed progress waits for a document; None
    when the full import must answer (no library, a schema to migrate, an error). A folder of
    new books imported into a large library so reads none of its rows: reading all of them
    was a sixth of such an import's time at 250,000 books."""
    try:
        connection = _connect(db_file)
    except sqlite3.Error:
        return None
    if connection is None:
        return None
    try:
        connection.execute("BEGIN")  # one snapshot for all questions
        # A file marked missing is left out: the full import records that it is back. The
        # book ids are read only when asked for (a column costs about a tenth of the answer).
        # The order is that of the paths' unique index, in which SQLite compares their UTF-8
        # bytes: the order of code points, in which Python sorts text. A path that is no
        # text (no file's, and not comparable with one) is left to the full import too.
        # Range by range, in order: the rows come in the order of the paths, each range's
        # through the paths' index. With many sources (files named one by one), one pass
        # over the index costs less than a query for each.
        columns = "path, size, mtime, book_id" if books else "path, size, mtime"
        select = f"SELECT {columns} FROM book_file WHERE NOT missing AND typeof(path) = 'text'"
        if len(ranges) > _MAX_RANGES:
            rows = connection.execute(f"{select} ORDER BY path").fetchall()
        else:
            rows = []
            for bounds in ranges:
                try:
                    rows += connection.execute(
                        f"{select} AND ? <= path AND path < ? ORDER BY path", bounds
                    )
                except UnicodeEncodeError:
                    # A source named in a legacy encoding: every path in its range holds its
                    # name, which no path the library stores can (it keeps text only).
                    continue
        return rows, _documents_waiting(connection)
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def _in_text_order(files: list[str]) -> tuple[list[str], list[int] | None]:
    """`files` sorted as text, and the position in `files` of each of them; None when they
    are in that order already (a walk finds them so unless a folder holds both files and
    folders, or a name sorts before "/": "Smith, John" and "Smith")."""
    ordered = sorted(files)  # a few milliseconds for files already in order
    if ordered == files:
        return files, None
    order = sorted(range(len(files)), key=files.__getitem__)
    return list(map(files.__getitem__, order)), order


def _matched(known: list[_Known], ordered: list[str]) -> tuple[list[_Known], set[str] | None]:
    """The library's row of each of the `ordered` files (`_UNKNOWN` for a path it does not
    hold), and the paths it does not hold (None when it holds them all).

    Both lists are in text order, so they are merged: the runs of paths both hold are found
    by comparing them in C and taken over whole, and where they part, the new files (or the
    known paths not among the files) up to where they meet again are found by bisection. A
    file is only ever given the row of its very path: were the orders to differ, files would
    go to the full import, which decides them alone. A dictionary of a large library's paths,
    and a lookup for each file, were a sixth of a re-import's time."""
    paths = list(map(itemgetter(0), known))
    rows: list[_Known] = []
    unknown: set[str] = set()
    file = row = 0  # the next of `ordered`, of `known`
    while file < len(ordered):
        if row < len(paths):
            alike = map(eq, _from(paths, row), _from(ordered, file))
            run = next(compress(count(), map(not_, alike)), None)
            if run is None:  # alike to the end of either
                run = min(len(paths) - row, len(ordered) - file)
            rows += known[row : row + run]
            file, row = file + run, row + run
            if file == len(ordered):
                break  # the rest of `known`: not among the files
        if row == len(paths) or ordered[file] < paths[row]:
            # Files the library does not hold, up to the next path it holds.
            end = len(ordered) if row == len(paths) else bisect_left(ordered, paths[row], file)
            rows += repeat(_UNKNOWN, end - file)
            unknown.update(ordered[file:end])
            file = end
        else:  # known paths that are not among the files, up to the next file
            row = bisect_left(paths, ordered[file], row)
    return rows, unknown or None


def _from(items: list[str], start: int) -> Iterator[str]:
    """The `items` from `start` on, without stepping over the first ones (as `islice` does)."""
    return map(items.__getitem__, range(start, len(items)))


def _in_import_order(kept: bytearray, order: list[int] | None) -> bytearray:
    """The mask `kept` of files in text order, for the files in import order (`order` as
    `_in_text_order` gives it): only the files not kept are moved, mostly none or a few."""
    if order is None:
        return kept
    moved = bytearray(b"\x01") * len(kept)
    for position in compress(order, kept.translate(_FLIP)):
        moved[position] = 0
    return moved


def _book_ids(rows: list[_Known], order: list[int] | None) -> list[int | None]:
    """The book id of each file in import order, from its row in text order."""
    book_ids = list(map(itemgetter(3), rows))
    if order is None:
        return book_ids
    moved: list[int | None] = [None] * len(book_ids)
    for position, book_id in zip(order, book_ids, strict=True):
        moved[position] = book_id
    return moved


def _unchanged_mask(rows: list[_Known], sizes: Sequence[int], mtimes: Sequence[float]) -> bytearray:
    """1 for each file whose row (`_UNKNOWN` for a path the library does not hold) has the
    size and modification time stat() read of it (`sizes`, `mtimes`: as `StatReader.collect`
    gives them, size -1 when not read), 0 for every other file: `same_stat`, for all files.

    The rows' sizes and times are copied into arrays and compared with the stats a chunk at a
    time in C (both sides as numbers, as `==` compares them); only a chunk that differs is
    compared file by file. A loop over every file was a large part of a re-import's time."""
    count = len(rows)
    kept = bytearray(b"\x01") * count
    try:
        known_sizes = memoryview(array("q", map(itemgetter(1), rows)))
        known_mtimes = memoryview(array("d", map(itemgetter(2), rows)))
    except (TypeError, OverflowError):  # a value no stat() gives: file by file
        differing: Iterable[range] = [range(count)]
    else:
        differing = (
            range(start, min(start + _CHUNK, count))
            for start in range(0, count, _CHUNK)
            if known_sizes[start : start + _CHUNK] != sizes[start : start + _CHUNK]
            or known_mtimes[start : start + _CHUNK] != mtimes[start : start + _CHUNK]
        )
    for chunk in differing:
        for index in chunk:
            row = rows[index]
            if sizes[index] != row[1] or mtimes[index] != row[2]:
                kept[index] = 0
    return kept


def _documents_waiting(connection: sqlite3.Connection) -> bool:
    """True when pushed progress waits for a document the library knows (the question
    `reading.pushes.adopt_documents` answers)."""
    return connection.execute(f"{WAITING_DOCUMENTS_SQL} LIMIT 1").fetchone() is not None
