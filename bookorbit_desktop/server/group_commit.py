"""A group commit's jobs: what each is, and how the writer runs them in one transaction.

`workers.DbWorkers` hands its writer thread a batch of jobs; once the library's write lock is
held it runs them here, each in its own savepoint (a failing job undoes only itself), the
jobs of one batched function in one call (`run_together`; one by one when that fails). A job
not begun by its deadline is not begun (`begun_in_time`). An error after which SQLite rolled
the whole transaction back (a full drive, an I/O error) raises `TransactionLost`: the jobs run
before it are gone with it, and none after it may be stored outside the group commit. Every job
of a group commit that failed as a whole is answered "busy" with its cause (`failure_of`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from peewee import OperationalError

from bookorbit_desktop.library.store.models import database

log = logging.getLogger(__name__)


class LibraryBusyError(Exception):
    """The library could not be read or written in time (locked by another program?)."""


@dataclass
class Job:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    future: asyncio.Future[Any]
    deadline: float
    result: Any = None
    error: BaseException | None = field(default=None)
    # Runs in the writer thread right after the commit that stored this job's change.
    then: Callable[[Any], None] | None = None
    # Set: `fn(items)` stores a list of items; the jobs next to each other in a group commit
    # with the same `fn` go to it together, one item each (`args` is `(item,)`).
    batched: bool = False
    # WAITING until the writer takes it into a transaction (TAKEN) or the loop answers it
    # "busy" first (GIVEN_UP); changed only under the workers' lock of claims.
    state: int = 0


WAITING, TAKEN, GIVEN_UP = 0, 1, 2


def busy(error: BaseException) -> BaseException:
    if isinstance(error, OperationalError | sqlite3.OperationalError) and "locked" in str(error):
        return LibraryBusyError(str(error))
    return error


def groups(jobs: list[Job]) -> list[list[Job]]:
    """Runs of batched jobs with the same function, every other job alone, in order."""
    runs: list[list[Job]] = []
    for job in jobs:
        last = runs[-1][-1] if runs else None
        if job.batched and last is not None and last.batched and last.fn == job.fn:
            runs[-1].append(job)
        else:
            runs.append([job])
    return runs


@contextlib.contextmanager
def savepoint() -> Iterator[None]:
    """A savepoint around one job (or one batch) inside the group commit: a failure undoes
    only what ran inside it. Its name is fixed: peewee's `atomic()` names each savepoint with
    a fresh uuid (random bytes from the system), a new statement SQLite compiles every time."""
    connection = database.connection()
    connection.execute("SAVEPOINT job")
    try:
        yield
    except BaseException:
        try:
            connection.execute("ROLLBACK TO job")
            connection.execute("RELEASE job")
        except sqlite3.Error:  # SQLite already rolled the whole transaction back
            pass
        raise
    connection.execute("RELEASE job")


class TransactionLost(LibraryBusyError):
    """SQLite rolled the whole group commit back: none of its jobs is stored (a sender may
    try again: a full drive or an I/O error may pass)."""


def still_in_transaction(error: Exception) -> None:
    """Raise `TransactionLost` when the job's error ended the whole transaction: what ran
    before it is gone, and what runs after it would be stored outside the group commit."""
    if not database.connection().in_transaction:
        raise TransactionLost(str(error)) from error


def run_together(group: list[Job]) -> bool:
    """Store a group of batched jobs in one call; False (nothing stored) when it failed."""
    try:
        with savepoint():
            results = group[0].fn([job.args[0] for job in group])
    except Exception as error:
        still_in_transaction(error)
        log.debug("A batch of %d changes failed; storing them one by one", len(group))
        return False
    for job, result in zip(group, results, strict=True):
        job.result = result
    return True


def run(job: Job) -> None:
    try:
        with savepoint():  # a failing job undoes only itself
            job.result = job.fn([*job.args])[0] if job.batched else job.fn(*job.args)
    except Exception as error:
        still_in_transaction(error)
        job.error = busy(error)


def failure_of(error: BaseException) -> LibraryBusyError:
    """What each job of a group commit that failed as a whole is answered: none of it is
    stored, so "busy" (its sender tries again), with the error that ended the transaction. When
    SQLite rolled it back itself (a full drive or an I/O error, inside a job or at COMMIT),
    peewee's ROLLBACK after it fails too, and that failure is what arrives: the error behind
    it is the one that counts."""
    seen = error
    for _ in range(8):
        if isinstance(seen, LibraryBusyError):
            return seen
        if _NO_TRANSACTION not in str(seen) or seen.__context__ is None:
            break
        seen = seen.__context__
    return LibraryBusyError(str(seen))


_NO_TRANSACTION = "no transaction is active"  # SQLite's words for a ROLLBACK with nothing to undo


def begun_in_time(jobs: list[Job]) -> list[Job]:
    """The jobs whose deadline has not passed; the others fail without running (a slow job
    before them in the group commit must not make them answer far later still)."""
    now = time.monotonic()
    for job in jobs:
        if now > job.deadline:
            job.error = LibraryBusyError("the library was too busy to store this in time")
    return [job for job in jobs if now <= job.deadline]


def run_jobs(jobs: list[Job]) -> None:
    """Run the jobs of a group commit inside its transaction, in order."""
    for group in groups(jobs):
        group = begun_in_time(group)
        if len(group) > 1 and run_together(group):
            continue
        for job in begun_in_time(group):
            run(job)
