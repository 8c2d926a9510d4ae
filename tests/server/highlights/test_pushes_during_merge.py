"""A large export re-sent with edited notes, as KOReader sends it after an edit, while devices
push their position over kosync: one real `bookorbit-desktop serve` process serves both.

The merge runs off the library's writer and writes in short parts, so every push is answered
and none waits long (the full-size figures: `benchmarks/highlights_load.py`).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.factories import add_book
from tests.server.hostile.support import (
    KEY,
    USER,
    exchange,
    http_request,
    percentile,
    prepare_library,
    serving,
)

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="reads /proc"),
    pytest.mark.timeout(60),
]

ENTRIES = 5_000  # seconds of writer time for a quadratic merge; a fraction of one now
DEVICES = 3


def _export(note: str) -> bytes:
    entries = [
        {"text": f"Highlight number {n} of a long book.", "note": note, "time": 1.7e9 + n}
        for n in range(ENTRIES)
    ]
    body = {"title": "A Long Book", "author": "Someone", "type": 1, "entries": entries}
    headers = {"Content-Type": "application/json"}
    return http_request("POST", "/send", headers, json.dumps(body).encode())


def _push(device: int, step: int) -> bytes:
    headers = {"x-auth-user": USER, "x-auth-key": KEY, "Content-Type": "application/json"}
    body = {
        "document": f"{device:032x}",
        "progress": f"/body/DocFragment[{step}]",
        "percentage": step / 1000,
        "device": f"Kobo {device}",
        "device_id": f"{device:032X}",
    }
    return http_request("PUT", "/kosync/syncs/progress", headers, json.dumps(body).encode())


def _receiver_port(served) -> int:
    for line in served.process.stdout:
        if line.startswith("Highlights receiver on port "):
            return int(line.split()[4].rstrip("."))
    raise AssertionError(served.process.stderr.read())


async def _pushes_until(port: int, done: asyncio.Future[object]) -> tuple[list[float], list[int]]:
    timings: list[float] = []
    statuses: list[int] = []

    async def device(n: int) -> None:
        step = 0
        while not done.done():
            step += 1
            status, _body, seconds = await exchange(port, _push(n, step), timeout=10.0)
            timings.append(seconds)
            statuses.append(status)
            await asyncio.sleep(0.01)

    await asyncio.gather(*(device(n) for n in range(DEVICES)))
    return timings, statuses


def test_pushes_stay_answered_while_a_large_export_is_merged(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    open_database(resolve_paths(data_dir).db_file)
    add_book("A Long Book", ["Someone"])
    close_database()
    with serving(data_dir, extra_args=("--highlights-port", "0")) as served:
        receiver = _receiver_port(served)

        async def run() -> tuple[list[float], list[int], int]:
            assert (await exchange(served.port, _push(0, 0)))[0] == 200  # logged in
            first = await exchange(receiver, _export(""), timeout=30.0)
            assert first[0] == 200, first
            started = time.monotonic()
            resend = asyncio.ensure_future(exchange(receiver, _export("edited"), timeout=30.0))
            timings, statuses = await _pushes_until(served.port, resend)
            assert resend.result()[0] == 200, resend.result()
            assert time.monotonic() - started < 20.0
            return timings, statuses, len(timings)

        timings, statuses, count = asyncio.run(run())
    assert count >= DEVICES
    assert [status for status in statuses if status != 200] == []
    assert percentile(timings, 0.99) < 1.0, sorted(timings)[-5:]
