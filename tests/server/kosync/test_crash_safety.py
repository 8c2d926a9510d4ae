"""Killing the server (SIGKILL) in the middle of a stream of pushes loses no acknowledged push.

`bookorbit-desktop serve` runs as a real process on a temporary data folder. Several clients
push distinct positions; once enough were answered 200 the process is killed while requests
are still in flight, restarted, and every push that got a 200 must be in the library, with
each document's pull answering its newest acknowledged push (or a newer one that was
committed just before the kill but whose answer never arrived).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sqlite3
import sys
from collections.abc import Iterator

import aiohttp
import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.server.accounts import key_for_password, set_account
from tests.server.serve_process import start_serve

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]

USER, PASSWORD = "crash", "test"
HEADERS = {"x-auth-user": USER, "x-auth-key": key_for_password(PASSWORD)}
DOCUMENTS = [f"{i:032x}" for i in range(5)]


async def stream_pushes(
    port: int, acked: list[tuple[str, str, int]], counter: Iterator[int]
) -> None:
    """Push from 4 concurrent clients until the server dies; record every 200.

    `counter` numbers the pushes across restarts, so a higher number is always a later push.
    """

    async def client(session: aiohttp.ClientSession) -> None:
        while True:
            n = next(counter)
            document = DOCUMENTS[n % len(DOCUMENTS)]
            body = {
                "document": document,
                "progress": f"/body/p[{n}]",
                "percentage": 0.001 * (n % 900),
                "device": "crash-test",
                "device_id": "CRASH",
            }
            try:
                async with session.put(
                    f"http://127.0.0.1:{port}/kosync/syncs/progress", json=body, headers=HEADERS
                ) as response:
                    if response.status == 200:
                        await response.read()
                        acked.append((document, body["progress"], n))
            except (TimeoutError, aiohttp.ClientError, ConnectionError):
                return

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        await asyncio.gather(*(client(session) for _ in range(4)))


async def test_sigkill_mid_stream_loses_no_acknowledged_push(tmp_path):
    data_dir = tmp_path / "data"
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    set_account(USER, key_for_password(PASSWORD))
    close_database()

    acked: list[tuple[str, str, int]] = []
    counter = itertools.count()
    for round_number in range(2):
        process, port = start_serve(data_dir)
        target = len(acked) + 150
        pushing = asyncio.create_task(stream_pushes(port, acked, counter))
        while len(acked) < target:
            assert not pushing.done(), process.stderr.read() if process.stderr else ""
            await asyncio.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)  # requests are still in flight
        await pushing
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL, f"round {round_number}"

    process, port = start_serve(data_dir)
    try:
        async with aiohttp.ClientSession() as session:
            for document in DOCUMENTS:
                async with session.get(
                    f"http://127.0.0.1:{port}/kosync/syncs/progress/{document}", headers=HEADERS
                ) as response:
                    pulled = await response.json()
                newest_acked = max(n for doc, _, n in acked if doc == document)
                assert int(pulled["progress"][8:-1]) >= newest_acked
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0

    stored = sqlite3.connect(paths.db_file)
    try:
        rows = set(stored.execute("SELECT document, progress FROM progress_event").fetchall())
    finally:
        stored.close()
    missing = [(doc, progress) for doc, progress, _ in acked if (doc, progress) not in rows]
    assert not missing, f"{len(missing)} acknowledged pushes were lost: {missing[:5]}"
    assert len(acked) >= 300
