"""Reading files in worker processes changes nothing but the speed: the same folder imported
one file at a time and on several workers gives identical library rows, covers, outcomes and
reasons; cancelling or interrupting a parallel import leaves only whole books and no workers.
Each test runs with the workers forked (the command line on Linux) and spawned (elsewhere);
a killed import's forked workers leave at once, holding nothing."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bookorbit_desktop.config import Paths, resolve_paths
from bookorbit_desktop.library.importer import pool
from bookorbit_desktop.library.importer.pool import MIN_FILES_FOR_WORKERS, workers_for
from bookorbit_desktop.library.importer.run import ImportProgress, ImportSummary, import_paths
from bookorbit_desktop.library.metadata.covers import ensure_cover
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.sharing import check_alone
from tests.factories import make_epub
from tests.library.books import build_epub, build_mobi, fb2_text, jpeg, png, simple_opf2
from tests.library.conftest import epub_with_cover, write_pdf
from tests.library.importer.killed import children_of_a_killed_process, running, wait_until


@pytest.fixture(autouse=True, params=["forked", "spawned"])
def start_method(request, monkeypatch) -> str:
    forked = request.param == "forked"
    if forked and sys.platform != "linux":
        pytest.skip("workers are forked on Linux only")
    monkeypatch.setattr(pool, "may_fork", lambda: forked)
    return request.param


TABLES = ("book", "author", "book_author", "book_file", "document_alias", "reading_state")
NOW = 1_700_000_000.0


def varied_folder(root: Path) -> Path:
    """Every format, covers that are resized, kept and flattened, a copy, a digest collision
    and files refused for different reasons: more files than it takes to start workers."""
    make_epub(root / "a" / "hobbit.epub", "The Hobbit", ("J. R. R. Tolkien",))
    epub_with_cover(root / "a" / "big-cover.epub", "Big Cover")
    epub_with_cover(root / "a" / "small-cover.epub", "Small Cover", cover=jpeg(300, 450))
    epub_with_cover(root / "a" / "png-cover.epub", "Png Cover", cover=png(900, 1400))
    epub_with_cover(root / "a" / "bad-cover.epub", "Bad Cover", cover=b"not an image at all")
    write_pdf(root / "b" / "systems.pdf", "Thinking in Systems", "Donella Meadows")
    with zipfile.ZipFile(root / "b" / "saga.cbz", "w") as archive:
        archive.writestr("01.jpg", jpeg())
    build_mobi(root / "b" / "book.azw3", full_name="Kindle Book", exth=[(100, b"Kay Author")])
    (root / "b" / "war.fb2").write_bytes(fb2_text().encode("utf-8"))
    for number in range(12):
        epub_with_cover(root / "c" / f"book-{number:02d}.epub", f"Generated {number}")
    shutil.copy(root / "a" / "hobbit.epub", root / "d-copy-of-hobbit.epub")
    base = fb2_text(title="Перевод").encode("utf-8")
    head = base.replace(b"<body><section>", b"<body><section><p>" + b"a" * 6000 + b"</p>", 1)
    (root / "e" / "first.fb2").parent.mkdir(parents=True)
    (root / "e" / "first.fb2").write_bytes(head)
    (root / "e" / "second.fb2").write_bytes(head[:3000] + b"b" + head[3001:])
    good = (root / "a" / "hobbit.epub").read_bytes()
    (root / "f").mkdir()
    (root / "f" / "truncated.epub").write_bytes(good[:700])
    (root / "f" / "renamed.epub").write_text("shopping list")
    (root / "f" / "empty.pdf").write_bytes(b"")
    build_epub(
        root / "f" / "drm.epub",
        simple_opf2("Locked"),
        files={
            "META-INF/encryption.xml": "<encryption><EncryptedData><EncryptionMethod "
            'Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/></EncryptedData></encryption>',
            "META-INF/rights.xml": "<rights/>",
        },
    )
    return root


def library_snapshot(paths: Paths) -> dict[str, Any]:
    """Every row of the importer's tables and every stored cover, byte for byte."""
    rows = {
        table: database.execute_sql(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        for table in TABLES
    }
    return {"rows": rows, "covers": made_covers(paths)}


def made_covers(paths: Paths) -> dict[str, bytes]:
    """Every book's cover as made when first shown, by file name."""
    covers = {}
    for book in Book.select().where(Book.cover_path.is_null(False)).order_by(Book.id):
        sources = [Path(file.path) for file in book.files]
        made = ensure_cover(paths, book.cover_path, sources)
        assert made is not None, book.title
        covers[made.name] = made.read_bytes()
    return covers


def outcome_of(summary: ImportSummary, events: list[ImportProgress]) -> dict[str, Any]:
    return {
        "events": [(e.done, e.total, e.path, e.outcome, e.book_id, e.reason) for e in events],
        "failures": summary.failures,
        "collisions": summary.collisions,
        "book_ids": summary.book_ids,
        "counts": (summary.imported, summary.copies, summary.moved, summary.updated),
        "unchanged": summary.unchanged,
    }


def import_into(
    data_dir: Path, sources: list[Path], workers: int, **options: Any
) -> tuple[ImportSummary, list[ImportProgress], dict[str, Any]]:
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    try:
        events: list[ImportProgress] = []
        summary = import_paths(
            sources, paths, progress=events.append, clock=lambda: NOW, workers=workers, **options
        )
        return summary, events, library_snapshot(paths)
    finally:
        close_database()


def test_serial_and_parallel_imports_store_identical_libraries(tmp_path):
    books = varied_folder(tmp_path / "books")
    serial, serial_events, serial_library = import_into(tmp_path / "one", [books], workers=0)
    parallel, parallel_events, parallel_library = import_into(tmp_path / "two", [books], workers=2)
    assert (serial.workers, parallel.workers) == (0, 2)
    assert outcome_of(parallel, parallel_events) == outcome_of(serial, serial_events)
    assert parallel_library == serial_library
    # The folder really exercises what must stay identical.
    assert serial.imported == 23 and serial.copies == 1 and len(serial.collisions) == 1
    assert {f.path.name for f in serial.failures} == {
        "truncated.epub",
        "renamed.epub",
        "empty.pdf",
        "drm.epub",
    }
    assert len(serial_library["covers"]) == 16  # 15 EPUBs with a usable cover and the CBZ
    # Moving one file and rewriting another: the second imports agree as well.
    (books / "c" / "book-00.epub").rename(books / "moved.epub")
    epub_with_cover(books / "c" / "book-01.epub", "Rewritten", cover=jpeg(700, 1000))
    os.utime(books / "c" / "book-01.epub", (2_000_000_000, 2_000_000_000))
    serial, serial_events, serial_library = import_into(tmp_path / "one", [books], workers=0)
    parallel, parallel_events, parallel_library = import_into(tmp_path / "two", [books], workers=2)
    assert (serial.moved, serial.updated, serial.imported) == (1, 1, 0)
    assert outcome_of(parallel, parallel_events) == outcome_of(serial, serial_events)
    assert parallel_library == serial_library


def test_a_worker_that_dies_leaves_the_rest_to_the_importing_process(tmp_path):
    books = varied_folder(tmp_path / "books")
    _, serial_events, serial_library = import_into(tmp_path / "one", [books], workers=0)
    killed: list[int] = []

    asked: list[int] = []

    def kill_a_worker() -> bool:  # as the second file begins, a reading process dies
        asked.append(1)
        if len(asked) == 2 and not killed:
            worker = multiprocessing.active_children()[0]
            assert worker.pid is not None
            os.kill(worker.pid, signal.SIGKILL)
            killed.append(worker.pid)
        return False

    events: list[ImportProgress] = []
    paths = resolve_paths(tmp_path / "two")
    paths.ensure()
    open_database(paths.db_file)
    try:
        summary = import_paths(
            [books],
            paths,
            progress=events.append,
            should_cancel=kill_a_worker,
            clock=lambda: NOW,
            workers=2,
        )
        library = library_snapshot(paths)
    finally:
        close_database()
    assert killed and summary.workers == 2
    assert [(e.path, e.outcome, e.reason) for e in events] == [
        (e.path, e.outcome, e.reason) for e in serial_events
    ]
    assert library == serial_library
    assert multiprocessing.active_children() == []


def many_books(folder: Path, count: int) -> Path:
    for number in range(count):
        epub_with_cover(folder / f"book-{number:02d}.epub", f"Book {number}")
    return folder


def assert_only_whole_books(paths: Paths, expected: int) -> None:
    """Every book has its author, file, both aliases and reading state, and a cover that can
    be made from its file."""
    assert Book.select().count() == expected
    for table, per_book in (
        ("book_author", 1),
        ("book_file", 1),
        ("document_alias", 2),
        ("reading_state", 1),
    ):
        counts = database.execute_sql(
            f"SELECT book.id, COUNT(t.book_id) FROM book LEFT JOIN {table} t "
            "ON t.book_id = book.id GROUP BY book.id"
        ).fetchall()
        assert {count for _, count in counts} <= {per_book}, table
    covers = made_covers(paths)
    assert set(covers) == {f"{book.id}.jpg" for book in Book.select()}
    assert len(covers) == expected


def test_cancelling_a_parallel_import_keeps_whole_books_and_stops_the_workers(library, tmp_path):
    books = many_books(tmp_path / "books", 30)
    asked: list[int] = []  # asked before each file: the sixth time, stop
    summary = import_paths(
        [books],
        library,
        should_cancel=lambda: asked.append(1) or len(asked) > 5,
        workers=2,
    )
    assert summary.cancelled and summary.workers == 2
    assert summary.imported == 5
    assert multiprocessing.active_children() == []
    assert_only_whole_books(library, 5)
    rest = import_paths([books], library, workers=2)
    assert (rest.unchanged, rest.imported) == (5, 25)
    assert_only_whole_books(library, 30)


def test_ctrl_c_during_a_parallel_import_keeps_the_finished_books(library, tmp_path):
    books = many_books(tmp_path / "books", 30)
    asked: list[int] = []

    def interrupt_after_seven() -> bool:  # Ctrl-C arrives as the eighth file begins
        asked.append(1)
        if len(asked) == 8:
            raise KeyboardInterrupt
        return False

    with pytest.raises(KeyboardInterrupt):
        import_paths([books], library, should_cancel=interrupt_after_seven, workers=2)
    assert multiprocessing.active_children() == []
    assert_only_whole_books(library, 7)


def test_an_interrupt_inside_a_file_rolls_back_only_that_file(library, tmp_path, monkeypatch):
    from bookorbit_desktop.library.importer import writer

    books = many_books(tmp_path / "books", 20)
    calls: list[int] = []
    real_add_file: Callable[..., Any] = writer.LibraryIndex.add_file

    def add_file(self: writer.LibraryIndex, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 4:  # the fourth book's row is written, its file row is not
            raise KeyboardInterrupt
        return real_add_file(self, *args, **kwargs)

    monkeypatch.setattr(writer.LibraryIndex, "add_file", add_file)
    with pytest.raises(KeyboardInterrupt):
        import_paths([books], library, workers=2)
    assert multiprocessing.active_children() == []
    assert_only_whole_books(library, 3)


@pytest.mark.parametrize(
    ("files", "asked", "expected"),
    [
        (0, 4, 0),
        (MIN_FILES_FOR_WORKERS - 1, 4, 0),  # a handful: starting workers costs more
        (MIN_FILES_FOR_WORKERS, 4, 4),
        (MIN_FILES_FOR_WORKERS, 1, 0),  # one core: read in this process
        (MIN_FILES_FOR_WORKERS, 0, 0),
        (1000, 2, 2),
        (MIN_FILES_FOR_WORKERS, MIN_FILES_FOR_WORKERS + 5, MIN_FILES_FOR_WORKERS),
    ],
)
def test_workers_for(files, asked, expected):
    assert workers_for(files, asked) == expected


def test_a_slow_file_does_not_keep_finished_books_uncommitted(library, tmp_path):
    """While the importer waits on a file that takes long to read (here a pipe nobody writes
    to yet), the books before it are already committed: other connections see them and the
    library's write lock is free."""
    import sqlite3
    import threading

    books = many_books(tmp_path / "books", MIN_FILES_FOR_WORKERS + 4)
    pipe = books / "zz-slow.epub"
    os.mkfifo(pipe)
    seen: list[int] = []

    def watch_then_release() -> None:
        try:
            with sqlite3.connect(library.db_file, timeout=2) as other:
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    count = other.execute("SELECT COUNT(*) FROM book").fetchone()[0]
                    if count == MIN_FILES_FOR_WORKERS + 4:
                        break
                    time.sleep(0.02)
                seen.append(count)
                other.execute("BEGIN IMMEDIATE")  # the write lock is free while it waits
                other.execute("ROLLBACK")
                seen.append(-1)
        finally:
            # Lets the waiting worker go on; it may refuse the file and close it before the
            # bytes are flushed, which is no failure here.
            with contextlib.suppress(BrokenPipeError), open(pipe, "wb") as writer:
                writer.write(b"not an ebook")

    watcher = threading.Thread(target=watch_then_release)
    watcher.start()
    summary = import_paths([books], library, workers=2)
    watcher.join(30)
    assert seen == [MIN_FILES_FOR_WORKERS + 4, -1]
    assert summary.imported == MIN_FILES_FOR_WORKERS + 4
    assert [f.path.name for f in summary.failures] == ["zz-slow.epub"]


def test_a_workers_warnings_reach_stderr_whole(tmp_path, start_method):
    """A forked worker's copy of the log's handler writes to a file it closed: its warnings go
    to stderr as a spawned worker's do, never as a logging error (the command line's import,
    which forks its workers)."""
    from tests.library.files.file_child import ROOT

    if start_method == "spawned":
        pytest.skip("the command line forks its workers")
    books = many_books(tmp_path / "books", MIN_FILES_FOR_WORKERS)
    build_epub(books / "zz-broken.epub", "not xml at all")  # an OPF nothing can parse
    command = ["-m", "bookorbit_desktop", "--data-dir", str(tmp_path / "data"), "import"]
    done = subprocess.run(
        [sys.executable, *command, str(books)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"{MIN_FILES_FOR_WORKERS + 1} new books imported" in done.stdout
    assert "Unreadable package document" in done.stderr and "zz-broken.epub" in done.stderr
    assert "Logging error" not in done.stderr


# An import's workers, sharing the library in DATA_DIR, the import killed (`kill -9`) while
# they wait for files: it prints their pids first.
KILLED_IMPORT = """
import os, signal, sys
from pathlib import Path
from bookorbit_desktop.library.importer import pool
from bookorbit_desktop.library.store.sharing import LibraryUse

LibraryUse(Path(sys.argv[1]), "import").acquire()
pool.may_fork = lambda: sys.argv[2] == "forked"
readers = pool.Readers(2)
print(" ".join(str(worker.process.pid) for worker in readers._workers), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_imports_workers_leave_at_once_holding_nothing(tmp_path, start_method):
    """A forked worker inherits everything its process holds open: it closes it all but its
    pipe, or it would wait forever on a pipe whose other end it holds itself (another worker
    on the first's), holding the library's share, so that no restore could run."""
    with children_of_a_killed_process(KILLED_IMPORT, str(tmp_path), start_method) as workers:
        assert len(workers) == 2
        wait_until(lambda: not any(map(running, workers)), "a worker still runs")
        check_alone(tmp_path)  # no one shares the library any more
