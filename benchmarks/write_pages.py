"""Pages a KOReader push and an imported file write, by table and index: figures the machine's
speed does not move.

    python benchmarks/write_pages.py [--books 10000] [--batches 200] [--batch 8]
                                     [--into-books 20000] [--files 1000] [--json]

Every page a write changes is a B-tree page SQLite rewrites and a frame it appends to the
write-ahead log, so a hot path's cost follows its pages: a push stored without two of the
indexes it writes (a third of its pages) took a tenth less CPU. Timings on a shared machine
drift by a factor of two within minutes; these counts come out the same on every run of the
same code. So `make bench-ab` reports them beside the timings: a change that makes a push or an
import write more (an index, a trigger, a wider row) shows as a ratio above 1 whatever the
machine does meanwhile.

- a push: a library of --books books (`kosync_load.build_library`); every document is pushed
  once, so its book is being read, then --batches group commits of --batch pushes to random
  documents are stored as the server's writer stores them (`record_pushes` in one transaction)
  and counted: the pages of a page turned in a book being read.
- an imported file: --files generated EPUBs (`import_bench.generate`) imported in this process
  (`import_sources`) into a copy of a library of --into-books generated books
  (`import_bench.library_of`), each batch holding its full number of files
  (`batches_by_count`).

Before the counted writes the log is copied back into the library and emptied; after them its
frames are counted and each frame's page named by SQLite's `dbstat` table (a page freed meanwhile
is "free"). A log that SQLite started again in between (a checkpoint) makes the count
impossible: the benchmark says so and stops.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import random
import shutil
import struct
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.import_bench import generate, library_of
from benchmarks.kosync_load import build_library
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.importer import batch, run
from bookorbit_desktop.library.importer.complete import import_sources
from bookorbit_desktop.library.reading.batched_pushes import record_pushes
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.store.checkpoint import no_inline_checkpoints
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database

_WAL_HEADER = 32
_FRAME_HEADER = 24
PUSH_FIGURE = "a push: pages"
IMPORT_FIGURE = "an imported file: pages"


class LogRestarted(Exception):
    """SQLite started the write-ahead log again during the counted writes."""


@dataclass(frozen=True)
class LogMark:
    """Where the write-ahead log stood: its salts (new ones each time SQLite starts it again)
    and its frames."""

    salts: bytes
    frames: int


def _frames(log: bytes) -> tuple[bytes, list[int]]:
    """The log's salts and the page number of each of its frames (those with its salts)."""
    if len(log) < _WAL_HEADER:
        return b"", []
    page_size = struct.unpack(">I", log[8:12])[0]
    salts = log[16:24]
    pages = []
    for offset in range(_WAL_HEADER, len(log) - _FRAME_HEADER - page_size + 1,
                        _FRAME_HEADER + page_size):  # fmt: skip
        if log[offset + 8 : offset + 16] != salts:
            break  # left from before SQLite started the log again: not this log's
        pages.append(struct.unpack(">I", log[offset : offset + 4])[0])
    return salts, pages


def _log_of(db_file: Path) -> bytes:
    try:
        return Path(f"{db_file}-wal").read_bytes()
    except FileNotFoundError:
        return b""


def mark_log(db_file: Path) -> LogMark:
    """Empty the open library's log and start a new one (one frame: the header page), so that
    the writes that follow can be told from any before them."""
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    version = database.execute_sql("PRAGMA user_version").fetchone()[0]
    database.execute_sql(f"PRAGMA user_version = {int(version)}")  # rewrites page 1 alone
    salts, pages = _frames(_log_of(db_file))
    return LogMark(salts, len(pages))


def pages_since(db_file: Path, mark: LogMark) -> collections.Counter[str]:
    """The frames the open library's log gained since `mark`, by the name of the table or
    index each page belongs to now ("free" for a page on the free list)."""
    salts, pages = _frames(_log_of(db_file))
    if salts != mark.salts:
        raise LogRestarted("SQLite started the write-ahead log again (a checkpoint ran)")
    names = dict(database.execute_sql("SELECT pageno, name FROM dbstat").fetchall())
    return collections.Counter(names.get(page, "free") for page in pages[mark.frames :])


def push_pages(work: Path, books: int, batches: int, per_commit: int) -> collections.Counter[str]:
    """Pages of `batches` group commits of `per_commit` pushes each, as the server stores
    them."""
    data_dir = work / "pushes"
    documents = build_library(data_dir, books)
    db_file = resolve_paths(data_dir).db_file
    open_database(db_file)
    no_inline_checkpoints()  # as the server's writer: its checkpoints run in a thread of their own
    rng = random.Random(1)
    step = 0
    # A second of its own for each group commit, as pushes arrive from readers turning pages
    # (and the same on every run: pushes within one second order their rows by book instead).
    clock = iter(range(int(time.time()), 2**62))

    def commit(chosen: list[str]) -> None:
        nonlocal step
        now = next(clock)
        pushes = []
        for document in chosen:
            step += 1
            progress = f"/body/DocFragment[{step % 40}]/body/p[{step % 300}]/text().{step % 97}"
            push = Push(document, progress, round(rng.uniform(0.01, 0.9), 4), "bench", "BENCH")
            pushes.append((push, now))
        with database.atomic("IMMEDIATE"):
            record_pushes(pushes)

    try:
        for start in range(0, len(documents), 64):  # every book is being read
            commit(documents[start : start + 64])
        mark = mark_log(db_file)
        for _ in range(batches):
            commit(rng.sample(documents, per_commit))
        return pages_since(db_file, mark)
    finally:
        close_database()


@contextlib.contextmanager
def batches_by_count() -> Iterator[None]:
    """An import's batches end at their number of files only, as on a machine fast enough
    never to reach their time limit first. Where it is reached (a slow or busy machine), the
    batches hold fewer files, the pages two batches share are written twice, and the count
    would depend on the machine."""
    limits = (batch.BATCH_SECONDS, batch.MAX_BATCH_SECONDS, run.BATCH_SECONDS)
    batch.BATCH_SECONDS = batch.MAX_BATCH_SECONDS = run.BATCH_SECONDS = 3600.0
    try:
        yield
    finally:
        batch.BATCH_SECONDS, batch.MAX_BATCH_SECONDS, run.BATCH_SECONDS = limits


def import_pages(work: Path, books: int, files: int) -> collections.Counter[str]:
    """Pages of importing `files` generated EPUBs into a library of `books` books."""
    folder = work / "epubs"
    generate(folder, files)
    paths = resolve_paths(work / "import")
    paths.ensure()
    shutil.copyfile(library_of(work, books), paths.db_file)
    open_database(paths.db_file)
    no_inline_checkpoints()  # the import copies the log back only once it is large
    try:
        mark = mark_log(paths.db_file)
        with batches_by_count():
            summary = import_sources([folder], paths)
        if summary.imported != files:
            raise SystemExit(f"imported {summary.imported} of {files} files")
        return pages_since(paths.db_file, mark)
    finally:
        close_database()


def report(title: str, pages: collections.Counter[str], writes: int, shown: int = 12) -> float:
    per_write = sum(pages.values()) / writes
    print(f"{title}: {per_write:.2f} pages ({sum(pages.values()):,} for {writes:,})")
    for name, count in pages.most_common(shown):
        print(f"  {count / writes:6.2f}  {name}")
    return per_write


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=10_000, help="library of the pushes")
    parser.add_argument("--batches", type=int, default=200, help="group commits counted")
    parser.add_argument("--batch", type=int, default=8, help="pushes a group commit")
    parser.add_argument("--into-books", type=int, default=20_000, help="library of the import")
    parser.add_argument("--files", type=int, default=1_000, help="EPUBs imported")
    parser.add_argument("--json", action="store_true", help="end with the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="write-pages-") as scratch:
        work = Path(scratch)
        pushes = push_pages(work, args.books, args.batches, args.batch)
        per_push = report(
            f"a push ({args.batch} a group commit, {args.books:,} books)",
            pushes,
            args.batches * args.batch,
        )
        imported = import_pages(work, args.into_books, args.files)
        per_file = report(
            f"an imported file ({args.files:,} into {args.into_books:,} books)",
            imported,
            args.files,
        )
    if args.json:
        figures = {PUSH_FIGURE: f"{per_push:.2f} pages", IMPORT_FIGURE: f"{per_file:.2f} pages"}
        print(json.dumps({"figures": figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
