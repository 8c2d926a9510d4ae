"""The threads that touch the library database, so the event loop never waits on SQLite.

Another program holding the write lock, a slow disk or a large query must never stall the
health check or another device's request. Every database call of the server therefore runs in
one of these threads (each has its own SQLite connection; WAL lets readers and the writer work
at the same time), with a short busy timeout so a locked library is an error within about
`LOCK_WAIT_SECONDS`, not a ten-second hang:

- `read(fn, ...)`: a few reader threads, for feeds, pulls and the account.
- `write(fn, ...)`: one writer thread with group commit. The jobs that arrive while a
  transaction commits go into the next one, each in its own savepoint (a failing job rolls
  back only itself); every job is answered only after the commit that made it durable. A job
  not begun by its deadline is not begun at all and answers `LibraryBusyError`. A job
  answered so is never stored afterwards (its sender sends it again: a KOReader push would be
  stored twice), nor one whose waiter is gone: the writer takes a transaction's jobs once it
  holds the library's lock, and a job taken is answered by its commit, never by the deadline
  (so at most as long after it as the job running then takes). An error after which SQLite
  rolled the whole transaction back (a full drive, an I/O error) fails every job of it: none
  is answered as stored when it is not. (How a group commit runs its jobs: `group_commit`.)
- `write_batched(fn, item)`: the same, but the items that share a group commit reach
  `fn(items)` in one call (one savepoint; when it fails, each item is retried alone so only
  the bad one fails).
- the writer never copies the write-ahead log back into the library file inside a commit
  (that held up the pushes of a group commit by several milliseconds); a
  `library.store.checkpoint.Checkpointer` does, started here unless the caller runs one; a
  group commit holds its `WRITER_GATE`, so it waits there while the checkpointer restarts the log.
- woken by a hand-over, the writer first lets the event loop run on (`os.sched_yield`): where
  the two share a core, the loop then reads the requests that arrived meanwhile and hands over
  their writes, which join this group commit instead of waiting for the next.
- a group commit of batched jobs only (KOReader's pushes) keeps the journals of its savepoints
  in memory (`bulk_writes.journals_in_memory`). SQLite keeps a copy of each page a savepoint
  changes, as it was, and past 64 KiB it kept that copy in a temporary file it made and
  removed in every group commit: under a stream of pushes the writer spent 114 µs of CPU a
  push instead of 101, and their p99 was 10% longer. Such a commit has one savepoint per call
  of a batched function (or per item, when a call fails), so its copies are at most a few
  pages per item. Any other job may open a savepoint in a savepoint thousands of times, each
  copying the same pages again: adopting the pushes of 20,000 documents at a server's start
  held 1 GB of copies in memory and took 306 s instead of 18. Its journals go to a file.

`start()` and `stop()` belong to the server's lifetime; `stop()` lets queued jobs finish.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import logging
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from bookorbit_desktop.library.store.bulk_writes import journals_in_memory
from bookorbit_desktop.library.store.checkpoint import (
    WRITER_GATE,
    Checkpointer,
    no_inline_checkpoints,
)
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.server.group_commit import (
    GIVEN_UP,
    TAKEN,
    WAITING,
    Job,
    LibraryBusyError,
    begun_in_time,
    busy,
    failure_of,
    run_jobs,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

LOCK_WAIT_SECONDS = 1.4  # SQLite's busy timeout in these threads
WRITE_DEADLINE_SECONDS = 1.5  # a write not committed by then is answered "try again"
READ_DEADLINE_SECONDS = 5.0
MAX_BATCH = 256  # jobs per group commit
READER_THREADS = 2
SWITCH_INTERVAL_SECONDS = 0.0005
WRITE_TOO_LATE = "the library did not accept the change in time"


# Lets another thread ready to run have the processor, releasing the GIL meanwhile (Windows has
# no `sched_yield`; a sleep of 0 does that there).
_yield_cpu: Callable[[], None] = getattr(os, "sched_yield", lambda: time.sleep(0))


def _deliver(jobs: list[Job]) -> None:
    """Runs on the loop: hand each job's outcome to its waiter (unless it stopped waiting)."""
    for job in jobs:
        if job.future.done():
            continue
        if job.error is not None:
            job.future.set_exception(job.error)
        else:
            job.future.set_result(job.result)


def _expire(future: asyncio.Future[Any], message: str) -> None:
    if not future.done():
        future.set_exception(LibraryBusyError(message))


def _expire_job(job: Job) -> None:
    _expire(job.future, "reading the library took too long")


def _prepare_connection() -> None:
    database.execute_sql(f"PRAGMA busy_timeout = {int(LOCK_WAIT_SECONDS * 1000)}")


class DbWorkers:
    def __init__(self, readers: int = READER_THREADS, *, checkpoints: bool = True) -> None:
        """`checkpoints=False`: the caller runs a `Checkpointer` of its own."""
        self._readers = readers
        self._checkpoints = checkpoints
        self._checkpointer: Checkpointer | None = None
        self._read_queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        # Writes go to the writer as lists: those queued in one turn of the event loop are
        # handed over together (one wake-up of the writer, not one per request).
        self._write_queue: queue.SimpleQueue[list[Job] | None] = queue.SimpleQueue()
        self._outgoing: list[Job] = []
        # Writes with the usual deadline, oldest first, until answered (`_watch`).
        self._due: collections.deque[Job] = collections.deque()
        self._claims = threading.Lock()  # guards `Job.state` between the loop and the writer
        self._sweep: asyncio.TimerHandle | None = None
        self._threads: list[threading.Thread] = []
        # One thread for password hashing: a flood of guesses never takes more than one core.
        self._hasher: concurrent.futures.ThreadPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._journals_in_memory = False  # the writer connection's setting (SQLite's default)
        self.commits = 0  # group commits made, for benchmarks
        self.written = 0  # jobs committed

    @property
    def running(self) -> bool:
        return bool(self._threads)

    def start(self) -> None:
        if self._threads:
            return
        # The event loop hands the GIL to these threads at every system call; by default it
        # waits 5 ms to get it back, which would add up to 5 ms to every answer under load.
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
        self._loop = asyncio.get_running_loop()
        self._threads = [
            threading.Thread(target=self._read_loop, name=f"bookorbit-read-{n}", daemon=True)
            for n in range(self._readers)
        ]
        self._threads.append(
            threading.Thread(target=self._write_loop, name="bookorbit-write", daemon=True)
        )
        if self._checkpoints:
            self._checkpointer = Checkpointer(Path(database.database))
            self._checkpointer.start()
        for thread in self._threads:
            thread.start()
        self._hasher = concurrent.futures.ThreadPoolExecutor(1, "bookorbit-hash")

    async def stop(self) -> None:
        threads, self._threads = self._threads, []
        if not threads:
            return
        for _ in range(self._readers):
            self._read_queue.put(None)
        self._hand_over()  # writes queued in this turn of the loop still go first
        self._write_queue.put(None)
        for thread in threads:
            await asyncio.to_thread(thread.join, 10.0)
        checkpointer, self._checkpointer = self._checkpointer, None
        if checkpointer is not None:
            await asyncio.to_thread(checkpointer.stop)
        hasher, self._hasher = self._hasher, None
        if hasher is not None:
            hasher.shutdown(wait=False, cancel_futures=True)

    async def cpu(self, fn: Callable[..., T], *args: Any) -> T:
        """Run CPU-heavy `fn(*args)` (a password hash) on the single hashing thread."""
        if self._hasher is None:
            raise RuntimeError("the server's worker threads are not running")
        return await asyncio.get_running_loop().run_in_executor(self._hasher, fn, *args)

    def _submit(
        self,
        target: queue.SimpleQueue[Job | None] | None,
        fn: Callable[..., T],
        args: tuple[Any, ...],
        seconds: float,
        then: Callable[[T], None] | None = None,
        batched: bool = False,
        watched: bool = False,
    ) -> Job:
        if not self._threads or self._loop is None:
            raise RuntimeError("the database threads are not running")
        deadline = time.monotonic() + seconds
        future: asyncio.Future[T] = self._loop.create_future()
        job = Job(fn, args, future, deadline, then=then, batched=batched)
        if target is not None:
            target.put(job)
            return job
        if not self._outgoing:
            self._loop.call_soon(self._hand_over)
        self._outgoing.append(job)
        if watched:
            self._watch(job)
        return job

    def _give_up(self, job: Job) -> None:
        """Runs on the loop: answer a write "busy" unless the writer took it already (its
        commit answers it then)."""
        with self._claims:
            if job.state == TAKEN:
                return
            job.state = GIVEN_UP
        _expire(job.future, WRITE_TOO_LATE)

    def _watch(self, job: Job) -> None:
        """Answer "busy" to a write with the usual deadline if it is still waiting then. Such
        writes share one timer, set for the oldest one's deadline (they all wait as long, so
        the oldest is due first): a timer for each (made, then cancelled by nearly every one)
        cost the event loop more than the rest of a write's hand-over."""
        self._due.append(job)
        if self._sweep is None and self._loop is not None:
            self._sweep = self._loop.call_later(WRITE_DEADLINE_SECONDS, self._expire_due)

    def _expire_due(self) -> None:
        self._sweep = None
        now = time.monotonic()
        due = self._due
        while due and (due[0].future.done() or due[0].deadline <= now):
            self._give_up(due.popleft())  # nothing for an answered one
        if due and self._loop is not None:
            self._sweep = self._loop.call_later(due[0].deadline - now, self._expire_due)

    def _delivered(self, jobs: list[Job]) -> None:
        """Runs on the loop: `_deliver`, then forget the answered writes `_watch` kept."""
        _deliver(jobs)
        due = self._due
        while due and due[0].future.done():
            due.popleft()

    def _hand_over(self) -> None:
        jobs, self._outgoing = self._outgoing, []
        if jobs:
            self._write_queue.put(jobs)

    async def _wait(self, job: Job, seconds: float, expire: Callable[[Job], None]) -> Any:
        assert self._loop is not None
        timer = self._loop.call_later(seconds, expire, job)
        try:
            return await job.future
        finally:
            timer.cancel()

    async def read(self, fn: Callable[..., T], *args: Any, wait: float | None = None) -> T:
        seconds = wait if wait is not None else READ_DEADLINE_SECONDS
        job = self._submit(self._read_queue, fn, args, seconds)
        return cast("T", await self._wait(job, seconds, _expire_job))

    async def write(
        self,
        fn: Callable[..., T],
        *args: Any,
        wait: float | None = None,
        then: Callable[[T], None] | None = None,
    ) -> T:
        """Run `fn(*args)` in the writer's next transaction; return once it is committed.
        `then(result)` runs in the writer thread right after that commit, in commit order.
        """
        if wait is None:
            job = self._submit(None, fn, args, WRITE_DEADLINE_SECONDS, then, watched=True)
            return cast("T", await job.future)
        job = self._submit(None, fn, args, wait, then)
        return cast("T", await self._wait(job, wait, self._give_up))

    async def write_batched(
        self,
        fn: Callable[[list[Any]], list[T]],
        item: Any,
        *,
        then: Callable[[T], None] | None = None,
    ) -> T:
        """Like `write`, for a `fn` that stores a list of items and returns one result per
        item: the items queued together are stored by one call."""
        # `fn` returns one result per item; the writer hands each item's future its own.
        per_item = cast("Callable[..., T]", fn)
        job = self._submit(
            None, per_item, (item,), WRITE_DEADLINE_SECONDS, then, batched=True, watched=True
        )
        return cast("T", await job.future)

    def _finish(self, jobs: list[Job], deliver: Callable[[list[Job]], None] = _deliver) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(deliver, jobs)  # one wake-up of the loop per batch
        except RuntimeError:  # the loop closed meanwhile: nobody waits any more
            return

    def _read_loop(self) -> None:
        _prepare_connection()
        try:
            while (job := self._read_queue.get()) is not None:
                if time.monotonic() > job.deadline:
                    job.error = LibraryBusyError("the library was too busy to answer")
                else:
                    try:
                        job.result = job.fn(*job.args)
                    except Exception as error:
                        job.error = busy(error)
                self._finish([job])
        finally:
            database.close()

    def _write_loop(self) -> None:
        _prepare_connection()
        no_inline_checkpoints()
        stopping = False
        try:
            while not stopping:
                jobs = self._write_queue.get()
                if jobs is None:
                    break
                batch = list(jobs)
                _yield_cpu()  # the loop may be handing over more: they join this commit
                while len(batch) < MAX_BATCH:
                    try:
                        extra = self._write_queue.get_nowait()
                    except queue.Empty:
                        break
                    if extra is None:
                        stopping = True
                        break
                    batch.extend(extra)
                for start in range(0, len(batch), MAX_BATCH):
                    self._commit(batch[start : start + MAX_BATCH])
        finally:
            database.close()

    def _take(self, jobs: list[Job]) -> list[Job]:
        """The jobs still waiting for their answer, marked taken: answered by their commit
        from now on. One answered "busy" meanwhile, or whose waiter is gone (a device that
        disconnected), is left out: its sender may send it again."""
        with self._claims:
            taken = [job for job in jobs if job.state == WAITING and not job.future.done()]
            for job in taken:
                job.state = TAKEN
        return taken

    def _commit(self, batch: list[Job]) -> None:
        live = begun_in_time(batch)
        try:
            in_memory = all(job.batched for job in live)  # the module docstring says why
            if in_memory != self._journals_in_memory:
                journals_in_memory(in_memory)
                self._journals_in_memory = in_memory
            with WRITER_GATE, database.atomic("IMMEDIATE"):
                live = self._take(live)  # the library's lock is held from here on
                run_jobs(live)
        except BaseException as error:  # nothing of the batch is stored
            if not isinstance(error, Exception):  # the writer ends: answer its jobs first
                for job in live:
                    job.result, job.error = None, LibraryBusyError("the writer stopped")
                self._finish(batch, self._delivered)
                raise
            failure = failure_of(error)
            log.warning("The library refused %d change(s): %s", len(live), failure)
            for job in live:
                job.result, job.error = None, failure
        else:
            self.commits += 1
            for job in live:
                if job.error is None:
                    self.written += 1
                    if job.then is not None:
                        try:
                            job.then(job.result)
                        except Exception:
                            log.exception("A step after storing a change failed")
        self._finish(batch, self._delivered)
