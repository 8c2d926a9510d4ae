"""The database threads: group commit, one failing job undoing only itself, deadlines, the
hook after commit, and the log budget of the server's log lines."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import sys
import threading
import time
from typing import Any

import pytest
from peewee import OperationalError

from bookorbit_desktop.guards.log_budget import LineBudget
from bookorbit_desktop.library.store.checkpoint import WRITER_GATE
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from bookorbit_desktop.server import workers as server_workers
from bookorbit_desktop.server.workers import DbWorkers, LibraryBusyError


@pytest.fixture
async def workers(library):
    started = DbWorkers()
    started.start()
    yield started
    await started.stop()


def _boom() -> None:
    set_setting("opds.page_size", 7)
    raise ValueError("this job fails")


async def test_a_group_commits_together_and_a_failing_job_undoes_only_itself(workers):
    seen: list[tuple[str, int]] = []
    jobs = [
        workers.write(set_setting, "opds.page_size", 20, then=lambda _r: seen.append(("a", 1))),
        workers.write(_boom),
        workers.write(set_setting, "reading.finish_threshold", 0.9),
    ]
    results = await asyncio.gather(*jobs, return_exceptions=True)
    assert isinstance(results[1], ValueError)
    assert results[0] is None and results[2] is None
    assert await workers.read(get_setting, "opds.page_size") == 20  # not 7
    assert await workers.read(get_setting, "reading.finish_threshold") == 0.9
    assert seen == [("a", 1)]
    assert workers.written == 2


async def test_reads_and_writes_run_off_the_event_loop(workers):
    loop_thread = threading.get_ident()
    assert await workers.read(threading.get_ident) != loop_thread
    assert await workers.write(threading.get_ident) != loop_thread


async def test_a_locked_library_answers_busy_within_the_deadline(workers, library):
    blocker = sqlite3.connect(library.db_file, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        started = asyncio.get_running_loop().time()
        with pytest.raises(LibraryBusyError):
            await workers.write(set_setting, "opds.page_size", 30)
        assert asyncio.get_running_loop().time() - started < 2.0
        # Reading goes on meanwhile (WAL).
        assert await workers.read(get_setting, "opds.page_size") == 50
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    await workers.write(set_setting, "opds.page_size", 30)
    assert database.execute_sql("SELECT value FROM setting WHERE key = 'opds.page_size'").fetchone()


async def test_each_waiting_write_is_answered_busy_at_its_own_deadline(
    workers, library, monkeypatch
):
    # The writes waiting with the usual deadline share one timer: the first one's deadline
    # must not answer a later one early, nor the later one's hold the first one back.
    monkeypatch.setattr(server_workers, "WRITE_DEADLINE_SECONDS", 0.5)
    blocker = sqlite3.connect(library.db_file, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    loop = asyncio.get_running_loop()
    answered: dict[str, float] = {}

    async def write(name: str, value: int) -> None:
        with pytest.raises(LibraryBusyError):
            await workers.write(set_setting, "opds.page_size", value)
        answered[name] = loop.time()

    try:
        started = loop.time()
        first = asyncio.create_task(write("first", 30))
        await asyncio.sleep(0.3)
        second_started = loop.time()
        await write("second", 31)
        await first
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert started + 0.5 <= answered["first"] < second_started + 0.5
    assert answered["second"] >= second_started + 0.5


async def test_stopped_workers_refuse_new_work(library):
    workers = DbWorkers()
    with pytest.raises(RuntimeError):
        await workers.read(get_setting, "opds.page_size")


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ([0, 0, 0], [(True, 0), (True, 0), (False, 0)]),
        ([0, 0, 0, 0, 61], [(True, 0), (True, 0), (False, 0), (False, 0), (True, 2)]),
    ],
)
def test_one_budget_for_everyone(times, expected):
    """The malformed-request lines' budget: one key for all addresses, two lines a minute here."""
    budget = LineBudget(burst=2, window=60.0)
    assert [budget.note("", t) for t in times] == expected


calls: list[list[int]] = []  # the calls `_store_pages` made, in order


def _store_pages(sizes: list[int]) -> list[int]:
    """A batched job: one call stores many items; a 0 among them fails the whole call."""
    if 0 in sizes:
        raise ValueError("0 is no page size")
    calls.append(list(sizes))
    set_setting("opds.page_size", sizes[-1])
    return [size * 10 for size in sizes]


async def test_batched_jobs_of_one_commit_are_stored_by_one_call(workers):
    calls.clear()
    results = await asyncio.gather(*(workers.write_batched(_store_pages, n) for n in (5, 6, 7)))
    assert results == [50, 60, 70]
    assert calls == [[5, 6, 7]]  # queued in one turn of the loop: one commit, one call
    assert await workers.read(get_setting, "opds.page_size") == 7


async def test_a_failing_batch_is_retried_item_by_item(workers):
    calls.clear()
    results = await asyncio.gather(
        *(workers.write_batched(_store_pages, n) for n in (5, 0, 9)), return_exceptions=True
    )
    assert results[0] == 50 and results[2] == 90
    assert isinstance(results[1], ValueError)
    assert calls == [[5], [9]]
    assert workers.written == 2


def _store_blob(megabytes: int) -> None:
    database.execute_sql("CREATE TABLE IF NOT EXISTS blob_test (data BLOB)")
    database.execute_sql("INSERT INTO blob_test VALUES (?)", (b"x" * (megabytes << 20),))


async def _grows_to(path, size: int, seconds: float) -> bool:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        if path.stat().st_size >= size:
            return True
        await asyncio.sleep(0.02)
    return False


async def test_a_commit_never_copies_the_journal_into_the_file_itself(library, monkeypatch):
    monkeypatch.setattr("bookorbit_desktop.library.store.checkpoint.CHECKPOINT_SECONDS", 3600.0)
    workers = DbWorkers()
    workers.start()
    try:
        before = library.db_file.stat().st_size
        await workers.write(_store_blob, 6)  # 1,500 pages: SQLite's own limit is 1,000
        assert library.db_file.stat().st_size == before
        assert library.db_file.with_name(library.db_file.name + "-wal").stat().st_size > 6 << 20
    finally:
        await workers.stop()


async def test_the_checkpoint_thread_copies_the_journal_after_commits(library, monkeypatch):
    monkeypatch.setattr("bookorbit_desktop.library.store.checkpoint.CHECKPOINT_SECONDS", 0.05)
    workers = DbWorkers()
    workers.start()
    try:
        await workers.write(_store_blob, 6)
        assert await _grows_to(library.db_file, 6 << 20, 10.0)
    finally:
        await workers.stop()


async def test_a_group_commit_waits_while_the_log_restarts(workers):
    with WRITER_GATE:  # what the checkpointer holds during a restart
        pending = asyncio.ensure_future(workers.write(set_setting, "opds.page_size", 30))
        await asyncio.sleep(0.2)
        assert not pending.done()
    await asyncio.wait_for(pending, 5.0)
    assert get_setting("opds.page_size") == 30


def _store_rows(count: int) -> None:
    database.execute_sql("CREATE TABLE IF NOT EXISTS rows_test (data BLOB)")
    database.connection().executemany(
        "INSERT INTO rows_test VALUES (?)", [(b"x" * 500,) for _ in range(count)]
    )


def _temporary_files() -> list[str]:
    """The temporary files SQLite has open in this process."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # a descriptor closed while listed
            target = os.readlink(f"/proc/self/fd/{fd}")
            if "etilqs_" in target:  # the name SQLite gives its temporary files
                found.append(target)
    return found


def _rewrite_rows(items: list[int]) -> list[list[str]]:
    """A batched job: change every row (about 250 pages, inside the batch's savepoint) and
    answer each item with the temporary files SQLite has open meanwhile."""
    database.execute_sql("UPDATE rows_test SET data = zeroblob(500)")
    found = _temporary_files()
    return [found for _ in items]


def _rewrite_rows_in_steps(steps: int) -> list[str]:
    """A job that changes every row in steps, each in a savepoint of its own (inside the job's)
    as an adoption of many documents does; return the temporary files open meanwhile."""
    for step in range(steps):
        with database.atomic():
            database.execute_sql("UPDATE rows_test SET data = zeroblob(?)", (500 + step,))
    return _temporary_files()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="lists /proc/self/fd")
async def test_a_group_commit_of_pushes_keeps_its_savepoint_journal_in_memory(workers):
    await workers.write(_store_rows, 2_000)
    assert await workers.write_batched(_rewrite_rows, 1) == []
    assert await workers.read(_count_rows, 500) == 2_000  # the change is kept


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="lists /proc/self/fd")
async def test_a_job_of_nested_savepoints_journals_to_a_file_not_to_memory(workers):
    """Each nested savepoint copies the same pages again: in memory, thousands of them would
    grow without bound."""
    await workers.write(_store_rows, 2_000)
    await workers.write_batched(_rewrite_rows, 1)  # the writer's journals were in memory
    assert await workers.write(_rewrite_rows_in_steps, 3) != []
    assert await workers.read(_count_rows, 502) == 2_000
    assert await workers.write_batched(_rewrite_rows, 1) == []  # and are again


def _count_rows(size: int) -> int:
    return database.execute_sql(
        "SELECT count(*) FROM rows_test WHERE data = zeroblob(?)", (size,)
    ).fetchone()[0]


async def test_writes_handed_over_while_the_writer_wakes_join_its_group_commit(
    workers, monkeypatch
):
    loop = asyncio.get_running_loop()
    later: list[asyncio.Future[None]] = []

    def loop_runs_on() -> None:
        """What the loop does while the woken writer lets it run: hand over two more writes."""
        if later:
            return
        submitted = threading.Event()

        def submit() -> None:
            later.extend(
                asyncio.ensure_future(workers.write(set_setting, "opds.page_size", size))
                for size in (21, 22)
            )
            submitted.set()

        loop.call_soon_threadsafe(submit)
        assert submitted.wait(5.0)
        deadline = time.monotonic() + 5.0
        while workers._write_queue.empty() and time.monotonic() < deadline:
            time.sleep(0.001)

    monkeypatch.setattr(server_workers, "_yield_cpu", loop_runs_on)
    before = workers.commits
    await workers.write(set_setting, "opds.page_size", 20)
    await asyncio.gather(*later)
    assert workers.commits - before == 1
    assert get_setting("opds.page_size") == 22


async def test_a_commit_that_fails_answers_busy_with_its_cause_and_the_writer_goes_on(
    workers, monkeypatch
):
    """A full drive or an I/O error at COMMIT: SQLite rolls the transaction back itself, so
    the ROLLBACK peewee sends after it fails as well ("no transaction is active"). The write is
    answered "try again" with the error that ended it, not that one, and nothing is stored."""
    database_class = type(database.obj)
    real_commit = database_class.commit
    failed: list[bool] = []

    def commit_on_a_full_drive(self: Any) -> None:
        if failed or threading.current_thread().name != "bookorbit-write":
            return real_commit(self)  # not the writer's first (the checkpointer's, say)
        failed.append(True)
        self.cursor().execute("ROLLBACK")  # what SQLite does when its COMMIT fails so
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(database_class, "commit", commit_on_a_full_drive)
    with pytest.raises(LibraryBusyError, match="database or disk is full"):
        await workers.write(set_setting, "opds.page_size", 40)
    assert await workers.read(get_setting, "opds.page_size") != 40
    await workers.write(set_setting, "opds.page_size", 41)
    assert await workers.read(get_setting, "opds.page_size") == 41


async def test_a_failure_to_set_the_journals_answers_the_writes_and_the_writer_goes_on(
    workers, monkeypatch
):
    def refused(wanted: bool = True) -> int:
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(server_workers, "journals_in_memory", refused)
    with pytest.raises(LibraryBusyError, match="disk I/O error"):
        await workers.write_batched(_rewrite_rows, 1)
    monkeypatch.undo()
    await workers.write(set_setting, "opds.page_size", 42)
    assert await workers.read(get_setting, "opds.page_size") == 42


def _store_key(key: str) -> None:
    database.execute_sql("INSERT INTO setting (key, value) VALUES (?, '1')", (key,))


async def test_a_write_answered_busy_is_never_stored(library, monkeypatch):
    # A write whose deadline passed while its group commit waited for the library's lock
    # is answered "busy", so its sender sends it again: it must not be stored as well (a
    # KOReader push would be stored twice). Writes go on every 10 ms while another program
    # takes the lock three times, for longer than a write waits; whatever each write was
    # answered, the library must agree.
    monkeypatch.setattr(server_workers, "LOCK_WAIT_SECONDS", 0.3)
    monkeypatch.setattr(server_workers, "WRITE_DEADLINE_SECONDS", 0.35)
    workers = DbWorkers()
    workers.start()
    answers: dict[str, bool] = {}

    async def write(key: str) -> None:
        try:
            await workers.write(_store_key, key)
        except LibraryBusyError:
            answers[key] = False
        else:
            answers[key] = True

    def hold(locked: threading.Event, release: threading.Event) -> None:
        blocker = sqlite3.connect(library.db_file, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(10)
        blocker.execute("ROLLBACK")
        blocker.close()

    tasks: list[asyncio.Task[None]] = []
    count = 0

    async def writes_for(seconds: float) -> None:
        nonlocal count
        end = asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < end:
            tasks.append(asyncio.create_task(write(f"x.{count}")))
            count += 1
            await asyncio.sleep(0.01)

    try:
        for held in (0.52, 0.61, 0.77):
            locked, release = threading.Event(), threading.Event()
            holder = threading.Thread(target=hold, args=(locked, release))
            holder.start()
            locked.wait(5)
            await writes_for(held)
            release.set()
            holder.join(10)
            await writes_for(0.1)
        await asyncio.gather(*tasks)
    finally:
        await workers.stop()
    stored = {
        key for (key,) in database.execute_sql("SELECT key FROM setting WHERE key LIKE 'x.%'")
    }
    assert not [key for key, ok in answers.items() if not ok and key in stored]
    assert not [key for key, ok in answers.items() if ok and key not in stored]
    assert sum(not ok for ok in answers.values()) > 10  # the locks did refuse some


async def test_a_write_whose_waiter_is_gone_before_its_turn_is_not_stored(workers, library):
    # A device that disconnected got no answer and sends its push again.
    blocker = sqlite3.connect(library.db_file, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        gone = asyncio.create_task(workers.write(_store_key, "x.gone"))
        await asyncio.sleep(0.2)  # handed over: the writer waits for the lock
        gone.cancel()
        await asyncio.sleep(0.05)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    await workers.write(_store_key, "x.after")
    stored = database.execute_sql("SELECT key FROM setting WHERE key LIKE 'x.%'").fetchall()
    assert stored == [("x.after",)]


def _store_large(key: str) -> None:
    database.execute_sql("INSERT INTO setting (key, value) VALUES (?, ?)", (key, "x" * 400_000))


def _limit_pages(extra: int | None) -> None:
    """Let the writer's connection grow the library file by `extra` pages only (None: lift
    the limit): a write beyond fails as on a full drive."""
    if extra is None:
        database.execute_sql("PRAGMA max_page_count = 1073741823")
        return
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages + extra}")


async def test_an_error_that_ends_the_whole_transaction_fails_every_job_of_it(workers):
    # SQLite may answer a full drive by rolling the whole transaction back: the jobs run
    # before the failing one are undone, so none may be answered as stored, and the ones
    # after it must not be stored outside the group commit either.
    await workers.write(_limit_pages, 8)
    try:
        keys = ["x.before", "x.large", "x.after"]
        answers = await asyncio.gather(
            workers.write(_store_key, keys[0]),
            workers.write(_store_large, keys[1]),
            workers.write(_store_key, keys[2]),
            return_exceptions=True,
        )
    finally:
        await workers.write(_limit_pages, None)
    stored = {
        key for (key,) in database.execute_sql("SELECT key FROM setting WHERE key LIKE 'x.%'")
    }
    answered_ok = {key for key, answer in zip(keys, answers, strict=True) if answer is None}
    assert answered_ok == stored
    assert "x.large" not in stored
    assert all(answer is None or isinstance(answer, LibraryBusyError) for answer in answers)
    assert await workers.write(_store_key, "x.later") is None  # the writer goes on


async def test_a_job_not_begun_by_its_deadline_is_not_begun(workers, monkeypatch):
    # A slow job ahead of it in the same group commit: it is answered "busy" once that job
    # ends, not run, so it is answered at most as long after its deadline as that job took.
    monkeypatch.setattr(server_workers, "WRITE_DEADLINE_SECONDS", 0.3)

    def slow() -> None:
        _store_key("x.slow")
        threading.Event().wait(0.6)

    loop = asyncio.get_running_loop()
    started = loop.time()
    first, second = await asyncio.gather(
        workers.write(slow, wait=5.0), workers.write(_store_key, "x.late"), return_exceptions=True
    )
    assert first is None and isinstance(second, LibraryBusyError)
    assert loop.time() - started < 1.5
    stored = database.execute_sql("SELECT key FROM setting WHERE key LIKE 'x.%'").fetchall()
    assert stored == [("x.slow",)]


def _end_the_thread() -> None:
    raise SystemExit("a bug ends the writer")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
async def test_a_writer_that_ends_answers_the_jobs_it_held(workers):
    loop = asyncio.get_running_loop()
    started = loop.time()
    answers = await asyncio.wait_for(
        asyncio.gather(
            workers.write(_end_the_thread, wait=30.0),
            workers.write(_store_key, "x.held", wait=30.0),
            return_exceptions=True,
        ),
        10.0,  # taken jobs wait for no deadline: without an answer they would wait for ever
    )
    assert all(isinstance(answer, LibraryBusyError) for answer in answers)
    assert loop.time() - started < 5.0
