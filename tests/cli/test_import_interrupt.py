"""Ctrl-C during `bookorbit-desktop import`: the real process, the real signal. The import
stops with status 130, saying how many books it imported, its worker processes are gone, and
the library holds whole books only; importing again finishes the job."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from bookorbit_desktop.library.importer.pool import default_workers
from tests.library.books import jpeg
from tests.library.conftest import epub_with_cover

BOOKS = 480  # more than two of the writer's batches (up to 200 files): some are left to stop


def count_books(db_file: Path) -> int:
    if not db_file.exists():
        return 0
    try:
        with sqlite3.connect(db_file, timeout=5) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM book").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_ctrl_c_stops_the_workers_and_keeps_only_whole_books(tmp_path):
    cover = jpeg(1200, 1800)
    for number in range(BOOKS):
        epub_with_cover(
            tmp_path / "books" / f"book-{number:03d}.epub", f"Book {number}", cover=cover
        )
    data_dir = tmp_path / "data"
    command = [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data_dir), "import"]
    process = subprocess.Popen(
        [*command, str(tmp_path / "books")], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    db_file = data_dir / "library.sqlite3"
    workers: list[psutil.Process] = []
    # On one core the import reads the files itself (pool.py): there are no workers to await.
    reads_in_workers = default_workers() > 1
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        workers = psutil.Process(process.pid).children()
        if count_books(db_file) > 0 and (workers or not reads_in_workers):
            break
        time.sleep(0.02)
    if process.poll() is not None:
        pytest.fail(f"the import ended before it could be interrupted: {process.returncode}")
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130, errors
    assert b"Traceback" not in errors
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []
    kept = count_books(db_file)
    assert 0 < kept < BOOKS
    # The books reported imported, kept (one interrupted while it reported them may be missed).
    said = re.search(rb"Import interrupted: (\d+) new books? imported before it\.", errors)
    assert said is not None, errors
    assert 0 < int(said[1]) <= kept
    with sqlite3.connect(db_file) as connection:
        incomplete = connection.execute(
            """SELECT COUNT(*) FROM book WHERE
                 (SELECT COUNT(*) FROM book_file f WHERE f.book_id = book.id) != 1
              OR (SELECT COUNT(*) FROM document_alias a WHERE a.book_id = book.id) != 2
              OR (SELECT COUNT(*) FROM reading_state r WHERE r.book_id = book.id) != 1
              OR cover_path IS NULL"""
        ).fetchone()[0]
        covers = connection.execute("SELECT id, cover_path FROM book").fetchall()
    assert incomplete == 0
    assert all(cover == f"covers/{book_id}.jpg" for book_id, cover in covers)
    # Covers are made when first shown: the import wrote no file there, not even a temporary one.
    assert list((data_dir / "covers").glob("*")) == []
    again = subprocess.run(
        [*command, str(tmp_path / "books")], capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr
    assert count_books(db_file) == BOOKS


# `import` with Ctrl-C arriving while its first batch (20 files) commits: SQLite's COMMIT is
# where a batch spends most of its commit, and the signal lands during it.
COMMIT_INTERRUPTED = """
import os, runpy, signal, sys
import peewee
from bookorbit_desktop.library.importer import batch

# A batch closes at 20 files, not at its time limit, however slow the machine.
batch.BATCH_FILES, batch.BATCH_SECONDS, batch.MAX_BATCH_SECONDS = 20, 60.0, 60.0
real_close, real_commit = batch.close_batch, peewee.Database.commit
closing = []

def close_batch():
    closing.append(True)
    return real_close()

def commit(self, *args, **kwargs):
    if closing and len(closing) == 1:
        closing.append(True)
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, handled at the next step of Python
    return real_commit(self, *args, **kwargs)

batch.close_batch, peewee.Database.commit = close_batch, commit
sys.argv = ["bookorbit-desktop", *sys.argv[1:]]
runpy.run_module("bookorbit_desktop", run_name="__main__")
"""


def test_ctrl_c_while_a_batch_commits_lets_it_commit_then_stops(tmp_path):
    """The batch is committed whole and reported, then the import stops as after any Ctrl-C:
    landing inside the commit's bookkeeping, it left the transaction open for the closing of
    the database, which failed with a traceback."""
    for number in range(50):
        epub_with_cover(tmp_path / "books" / f"book-{number:02d}.epub", f"Book {number}")
    data_dir = tmp_path / "data"
    command = [sys.executable, "-c", COMMIT_INTERRUPTED, "--data-dir", str(data_dir), "import"]
    process = subprocess.run([*command, str(tmp_path / "books")], capture_output=True, timeout=120)
    assert process.returncode == 130, process.stderr
    assert b"Traceback" not in process.stderr
    said = re.search(rb"Import interrupted: (\d+) new books? imported before it\.", process.stderr)
    assert said is not None, process.stderr
    assert int(said[1]) == count_books(data_dir / "library.sqlite3") == 20
