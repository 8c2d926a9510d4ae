"""KOReader's pushes keep being answered while a large statistics upload is stored and
imported: against a real `serve` process, every push made during the upload and its import
gets 200 (the import once held the library's write lock for a whole book at a time, and pushes
waiting longer than the server's write deadline were answered 502). The 100 MB case, with its
latencies, is `benchmarks/stats_upload.py`."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import aiohttp
import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.server.accounts import key_for_password, set_account
from tests.library.history.hostile_files import many_rows
from tests.server.serve_process import start_serve

pytestmark = pytest.mark.asyncio

USER, PASSWORD = "reader", "secret"
BOOKS = 1  # one book with many page records: merging it whole held the library for seconds


def _imported(data_dir) -> int:
    with sqlite3.connect(resolve_paths(data_dir).db_file) as db:
        found = db.execute("SELECT COUNT(*) FROM history_book WHERE fingerprint IS NOT NULL")
        return int(found.fetchone()[0])


async def _pushes(port: int, done: asyncio.Event, statuses: list[int], n: int) -> None:
    headers = {"x-auth-user": USER, "x-auth-key": key_for_password(PASSWORD)}
    async with aiohttp.ClientSession(headers=headers) as session:
        while not done.is_set():
            body = {"document": f"{n:032x}", "progress": "p", "percentage": 0.5, "device": "K"}
            async with session.put(
                f"http://127.0.0.1:{port}/kosync/syncs/progress", json=body
            ) as answer:
                statuses.append(answer.status)
            await asyncio.sleep(0.02)


async def test_no_push_fails_while_a_large_upload_is_imported(tmp_path):
    data_dir = tmp_path / "data"
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    set_account(USER, key_for_password(PASSWORD))
    close_database()
    upload = many_rows(tmp_path / "statistics.sqlite3", 900_000, BOOKS).read_bytes()
    process, port = start_serve(data_dir)
    try:
        done = asyncio.Event()
        statuses: list[int] = []
        pushers = [asyncio.ensure_future(_pushes(port, done, statuses, n)) for n in range(4)]
        await asyncio.sleep(0.3)
        auth = {"Authorization": aiohttp.encode_basic_auth(USER, PASSWORD)}
        async with aiohttp.ClientSession(headers=auth) as session:
            url = f"http://127.0.0.1:{port}/dav/statistics.sqlite3"
            async with session.put(url, data=upload) as answer:
                assert answer.status == 201
        deadline = time.monotonic() + 60
        while _imported(data_dir) < BOOKS and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        done.set()
        await asyncio.gather(*pushers)
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert _imported(data_dir) == BOOKS
    failed = [status for status in statuses if status != 200]
    assert len(statuses) > 50 and failed == []
