"""Library work off the event loop: another thread, its own connection, closed afterwards."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time

import pytest

from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.off_loop import off_loop
from tests.factories import add_book


async def test_the_work_runs_in_another_thread_and_sees_committed_rows(library):
    add_book("Dune")

    def titles() -> tuple[int, list[str]]:
        return threading.get_ident(), [book.title for book in Book.select()]

    thread, found = await off_loop(titles)
    assert thread != threading.get_ident()
    assert found == ["Dune"]


async def test_the_threads_connection_is_closed_afterwards(library):
    used: list[sqlite3.Connection] = []
    await off_loop(lambda: used.append(database.connection()))
    with pytest.raises(sqlite3.ProgrammingError):
        used[0].execute("SELECT 1")
    assert not database.is_closed()  # the loop's own connection is untouched


async def test_an_error_reaches_the_caller_and_still_closes_the_connection(library):
    used: list[sqlite3.Connection] = []

    def fails() -> None:
        used.append(database.connection())
        raise ValueError("no such book")

    with pytest.raises(ValueError, match="no such book"):
        await off_loop(fails)
    with pytest.raises(sqlite3.ProgrammingError):
        used[0].execute("SELECT 1")


async def test_the_loop_keeps_turning_during_a_slow_read(library):
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    task = asyncio.create_task(ticker())
    await off_loop(time.sleep, 0.3)
    task.cancel()
    assert ticks >= 10
