"""The checkpointing thread: the write-ahead log starts over even while commits never pause,
and gives its disk back once they stop."""

from __future__ import annotations

import random
import sqlite3
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store import changes, checkpoint
from bookorbit_desktop.library.store.checkpoint import WRITER_GATE, Checkpointer
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database
from tests.factories import add_book
from tests.library.store.test_backup_file import mounted_drive
from tests.new_library import new_library

COMMITS = 8000  # of 5 rows each: about 250 MiB of log if it never started over


def _stream(db_file, sizes: list[int], commits: int = COMMITS) -> None:
    """Commit without a pause, on a connection of its own, as the server's writer does under a
    storm of pushes (each commit inside the writer gate)."""
    wal = db_file.with_name(db_file.name + "-wal")
    connection = sqlite3.connect(db_file, isolation_level=None)
    connection.execute("PRAGMA synchronous = normal")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("PRAGMA busy_timeout = 1400")
    connection.execute("CREATE TABLE IF NOT EXISTS stream_test (id INTEGER PRIMARY KEY, data)")
    rows = random.Random(7)
    try:
        for _ in range(commits):
            with WRITER_GATE:
                connection.execute("BEGIN IMMEDIATE")
                for _ in range(5):
                    connection.execute(
                        "INSERT OR REPLACE INTO stream_test VALUES (?, randomblob(300))",
                        (rows.randrange(20_000),),
                    )
                connection.execute("COMMIT")
            sizes.append(wal.stat().st_size)
    finally:
        connection.close()


def test_the_log_starts_over_while_commits_never_pause(library, monkeypatch):
    monkeypatch.setattr(checkpoint, "CHECKPOINT_SECONDS", 0.05)
    monkeypatch.setattr(checkpoint, "RESTART_LOG_BYTES", 1 << 20)
    checkpointer = Checkpointer(library.db_file)
    checkpointer.start()
    sizes: list[int] = []
    writer = threading.Thread(target=_stream, args=(library.db_file, sizes))
    try:
        writer.start()
        writer.join(120.0)
    finally:
        checkpointer.stop()
    assert len(sizes) == COMMITS
    # The log's header counts the times it started over (the library's own connection is
    # still open, so the log is still there).
    header = library.db_file.with_name(library.db_file.name + "-wal").read_bytes()[:16]
    restarts = struct.unpack(">4I", header)[3]
    assert restarts >= 3
    assert max(sizes) < 120 << 20
    connection = sqlite3.connect(library.db_file)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()


def test_the_log_gives_its_disk_back_once_the_pushes_stop(library, monkeypatch):
    monkeypatch.setattr(checkpoint, "CHECKPOINT_SECONDS", 0.05)
    monkeypatch.setattr(checkpoint, "RESTART_LOG_BYTES", 1 << 40)
    monkeypatch.setattr(checkpoint, "SHRINK_LOG_BYTES", 1 << 20)
    wal = library.db_file.with_name(library.db_file.name + "-wal")
    checkpointer = Checkpointer(library.db_file)
    checkpointer.start()
    sizes: list[int] = []
    try:
        _stream(library.db_file, sizes, commits=600)
        assert max(sizes) > 4 << 20
        deadline = time.monotonic() + 10.0
        while wal.stat().st_size and time.monotonic() < deadline:
            time.sleep(0.05)
        assert wal.stat().st_size == 0
    finally:
        checkpointer.stop()
    connection = sqlite3.connect(library.db_file)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert connection.execute("SELECT count(*) FROM stream_test").fetchone()[0] > 500
    connection.close()


def test_a_large_log_is_emptied_only_once_quiet_for_the_quiet_time(library, monkeypatch):
    """The log is copied at every tick; emptying it holds the writer back, so a pause between
    pushes longer than a tick but shorter than `QUIET_SECONDS` does not empty it."""
    monkeypatch.setattr(checkpoint, "CHECKPOINT_SECONDS", 0.05)
    monkeypatch.setattr(checkpoint, "QUIET_SECONDS", 0.8)
    monkeypatch.setattr(checkpoint, "SHRINK_LOG_BYTES", 1 << 20)
    wal = library.db_file.with_name(library.db_file.name + "-wal")
    tries: list[float] = []
    execute_sql = checkpoint.database.obj.execute_sql

    def counted(sql, *args, **kwargs):
        if "wal_checkpoint(TRUNCATE)" in sql:
            tries.append(time.monotonic())
        return execute_sql(sql, *args, **kwargs)

    monkeypatch.setattr(checkpoint.database.obj, "execute_sql", counted)
    _stream(library.db_file, [], commits=300)
    checkpointer = Checkpointer(library.db_file)
    checkpointer.start()
    try:
        for _ in range(5):  # pauses of four ticks, a quarter of the quiet time
            _stream(library.db_file, [], commits=10)
            time.sleep(0.2)
        assert tries == []
        assert wal.stat().st_size > 1 << 20
        last_push = time.monotonic()
        deadline = last_push + 10.0
        while wal.stat().st_size and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        checkpointer.stop()
    assert wal.stat().st_size == 0
    assert tries and tries[0] - last_push >= 0.5


def test_a_small_quiet_log_is_left_alone(library, monkeypatch):
    monkeypatch.setattr(checkpoint, "CHECKPOINT_SECONDS", 0.05)
    wal = library.db_file.with_name(library.db_file.name + "-wal")
    checkpointer = Checkpointer(library.db_file)
    checkpointer.start()
    try:
        _stream(library.db_file, [], commits=20)
        size = wal.stat().st_size
        time.sleep(0.5)
        assert wal.stat().st_size == size > 0
    finally:
        checkpointer.stop()


def test_a_reader_that_keeps_the_log_from_emptying_is_not_raced_every_second(library, monkeypatch):
    """A backup holding a snapshot keeps TRUNCATE from finishing; each try holds the server's
    writer back, so a failed one waits `EXCLUSIVE_RETRY_SECONDS` before the next."""
    monkeypatch.setattr(checkpoint, "CHECKPOINT_SECONDS", 0.05)
    monkeypatch.setattr(checkpoint, "SHRINK_LOG_BYTES", 1 << 20)
    monkeypatch.setattr(checkpoint, "EXCLUSIVE_RETRY_SECONDS", 0.5)
    wal = library.db_file.with_name(library.db_file.name + "-wal")
    tries: list[str] = []
    execute_sql = checkpoint.database.obj.execute_sql

    def counted(sql, *args, **kwargs):
        if "wal_checkpoint(TRUNCATE)" in sql:
            tries.append(sql)
        return execute_sql(sql, *args, **kwargs)

    monkeypatch.setattr(checkpoint.database.obj, "execute_sql", counted)
    _stream(library.db_file, [], commits=300)
    reader = sqlite3.connect(library.db_file, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM stream_test").fetchone()  # a snapshot of the log
    checkpointer = Checkpointer(library.db_file)
    checkpointer.start()
    try:
        time.sleep(2.0)
        held, size_held = len(tries), wal.stat().st_size
        reader.execute("COMMIT")
        deadline = time.monotonic() + 10.0
        while wal.stat().st_size and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        checkpointer.stop()
        reader.close()
    assert size_held > 1 << 20  # the reader kept it
    assert 1 <= held <= 6  # about one try every 0.5 s, not one every 0.05 s
    assert wal.stat().st_size == 0  # emptied once the reader was gone


def _commit_pages(transactions: int, pages: int = 100) -> None:
    """Commit `transactions` transactions of about `pages` new pages each on this thread's
    connection."""
    database.execute_sql("CREATE TABLE IF NOT EXISTS bulk_test (data)")
    for _ in range(transactions):
        with database.atomic():
            database.execute_sql(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
                " INSERT INTO bulk_test SELECT randomblob(3500) FROM n",
                (pages,),
            )


def _log_pages(db_file) -> int:
    return db_file.with_name(db_file.name + "-wal").stat().st_size // 4096


def test_a_bulk_write_copies_the_log_back_only_once_it_is_large(library):
    _commit_pages(30)  # 3,000 pages: copied back at each commit past 1,000, the log starts over
    assert _log_pages(library.db_file) < 2000
    with checkpoint.bulk_checkpoints():
        assert database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 16_000
        _commit_pages(30)
        assert _log_pages(library.db_file) >= 3000  # every page of them, none copied back yet
    assert database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000


def test_a_connection_leaving_the_log_to_the_checkpointer_is_left_so(library):
    checkpoint.no_inline_checkpoints()
    with checkpoint.bulk_checkpoints():
        assert database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    assert database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 0


def test_a_compaction_step_does_not_copy_the_log_while_the_writer_waits(library, monkeypatch):
    """Each step commits inside the writer gate: a commit that copied the log back (SQLite's
    own checkpoint past 1,000 pages) would hold the writer for the whole copy, at every step."""
    checkpoint.no_inline_checkpoints()  # this thread's commits leave the log as it is, too
    book = add_book("Alpha").id
    for step in range(5):
        update_reading_state(book, progress=step / 10)
    _commit_pages(15)  # 1,500 pages in the log, none in the library file yet
    before = library.db_file.stat().st_size
    sizes: list[int] = []
    compact_steps = changes.compact_steps

    def watched(*args, **kwargs):
        for removed in compact_steps(*args, **kwargs):
            sizes.append(library.db_file.stat().st_size)
            yield removed

    monkeypatch.setattr(changes, "compact_steps", watched)
    monkeypatch.setattr(changes, "SLACK_ENTRIES", 0)
    monkeypatch.setattr(checkpoint, "FIRST_COMPACT_SECONDS", 0.0)
    monkeypatch.setattr(checkpoint, "CHECKPOINT_SECONDS", 0.01)
    # Only the compaction's own commits are watched: the thread's copies of the log wait.
    monkeypatch.setattr(Checkpointer, "_checkpoint", lambda self, frame_bytes: None)
    checkpointer = Checkpointer(library.db_file)
    checkpointer.start()
    try:
        deadline = time.monotonic() + 10
        while not sizes and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        checkpointer.stop()
    assert sizes and set(sizes) == {before}


def _superseded_entries() -> None:
    """Change-log entries a compaction removes (a book's older ones)."""
    book = add_book("Alpha").id
    for step in range(5):
        update_reading_state(book, progress=step / 10)


def _compaction_steps(monkeypatch) -> list[float]:
    """When each step of the compactions the `Checkpointer` runs from now on ends; the first
    is due at once."""
    times: list[float] = []
    compact_steps = changes.compact_steps

    def watched(*args, **kwargs):
        for removed in compact_steps(*args, **kwargs):
            times.append(time.monotonic())
            yield removed

    monkeypatch.setattr(changes, "compact_steps", watched)
    monkeypatch.setattr(changes, "SLACK_ENTRIES", 0)
    monkeypatch.setattr(checkpoint, "FIRST_COMPACT_SECONDS", 0.0)
    monkeypatch.setattr(checkpoint, "CHECKPOINT_SECONDS", 0.01)
    return times


def test_a_compaction_due_while_commits_stream_in_waits_for_them_to_pause(library, monkeypatch):
    """Its read of the change log and its steps inside the writer gate would each hold a push
    up: it runs once the log has been quiet for `QUIET_SECONDS`."""
    _superseded_entries()
    steps = _compaction_steps(monkeypatch)
    monkeypatch.setattr(checkpoint, "QUIET_SECONDS", 0.5)
    checkpointer = Checkpointer(library.db_file)
    checkpointer.start()
    try:
        ends = time.monotonic() + 1.5
        while time.monotonic() < ends:
            _stream(library.db_file, [], commits=50)
        paused = time.monotonic()
        assert steps == []
        while not steps and time.monotonic() < paused + 10:
            time.sleep(0.01)
    finally:
        checkpointer.stop()
    assert steps and steps[0] >= paused


def test_a_compaction_waits_for_a_pause_no_longer_than_its_interval(library, monkeypatch):
    """Commits that never pause do not put it off for ever: `COMPACT_SECONDS` after it fell
    due it runs among them."""
    _superseded_entries()
    steps = _compaction_steps(monkeypatch)
    monkeypatch.setattr(checkpoint, "COMPACT_SECONDS", 0.3)
    monkeypatch.setattr(checkpoint, "QUIET_SECONDS", 60.0)
    checkpointer = Checkpointer(library.db_file)
    checkpointer.start()
    try:
        ends = time.monotonic() + 10
        while not steps and time.monotonic() < ends:
            _stream(library.db_file, [], commits=50)
    finally:
        checkpointer.stop()
    assert steps


@pytest.mark.parametrize(
    ("free_bytes", "pages"),
    [
        (10 << 30, 16_000),  # room to spare: the usual bulk log
        (256 << 20, 16_000),  # exactly four such logs
        (30 << 20, 1_920),  # a quarter of 30 MB
        (1 << 20, 64),
        (0, 0),  # none, or unknown: no more than the usual log
    ],
)
def test_the_bulk_log_takes_a_quarter_of_the_free_room_at_most(free_bytes, pages):
    assert checkpoint.bulk_pages(free_bytes, 4096) == pages


@pytest.fixture
def stick(tmp_path) -> Iterator[Path]:
    """A 24 MB drive (tmpfs) holding a library, open."""
    yield from mounted_drive(tmp_path / "stick", "24m")


def test_a_bulk_write_on_a_drive_short_of_room_copies_the_log_back_in_time(stick):
    """The same 500 pages rewritten by 20 transactions: a log of them all (40 MB) would not
    fit on the drive, the library file (2 MB) does."""
    db_file = stick / "library.sqlite3"
    new_library(db_file)
    open_database(db_file)
    try:
        _commit_pages(5)
        with checkpoint.bulk_checkpoints():
            assert 1000 < database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] < 1500
            for _ in range(20):
                with database.atomic():
                    database.execute_sql("UPDATE bulk_test SET data = randomblob(3500)")
        assert database.execute_sql("SELECT count(*) FROM bulk_test").fetchone()[0] == 500
    finally:
        close_database()


def test_a_log_written_before_the_thread_started_is_copied_at_its_first_look(library, monkeypatch):
    """A commit made while the server was starting, before this thread first looked at the log,
    is copied like any other (it was taken for a log already seen, and left until the next)."""
    checkpoint.no_inline_checkpoints()
    _commit_pages(3)  # 300 pages in the log, none in the library file yet
    before = library.db_file.stat().st_size
    monkeypatch.setattr(checkpoint, "CHECKPOINT_SECONDS", 0.05)
    checkpointer = Checkpointer(library.db_file)
    checkpointer.start()
    try:
        deadline = time.monotonic() + 10
        while library.db_file.stat().st_size == before and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        checkpointer.stop()
    assert library.db_file.stat().st_size > before + (250 << 12)
