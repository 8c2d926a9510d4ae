"""Highlights: reading a large sidecar and receiving a large XMNote export.

    python benchmarks/highlights_bench.py [--highlights 1800]

Writes a KOReader sidecar with N annotations (long texts and notes, every escape KOReader
writes) and times the Lua-table parse and the sidecar import into a fresh library; then posts
the same N highlights as one XMNote body to a real receiver on 127.0.0.1 (first time, then a
re-send of the same body) and prints the body size and each answer's time.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.library.highlights.folder import import_folder  # noqa: E402
from bookorbit_desktop.library.highlights.lua_table import parse  # noqa: E402
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from bookorbit_desktop.server.highlights.receiver import (  # noqa: E402
    HighlightsReceiver,
    ReceiverOptions,
)
from bookorbit_desktop.server.workers import DbWorkers  # noqa: E402
from tests.factories import add_book  # noqa: E402
from tests.library.highlights.lua_writer import lua_file  # noqa: E402

T = 1_700_000_000
TEXT = 'He said: "Fear is the mind-killer."\nAnd then — nothing. ' * 6


def sidecar(count: int) -> dict:
    annotations = [
        {
            "datetime": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(T + i * 60)),
            "drawer": "lighten",
            "text": f"{i}: {TEXT}",
            "note": f"note {i}" if i % 3 == 0 else None,
            "chapter": f"Chapter {i // 40}",
            "pageno": i // 4 + 1,
            "pos0": f"/body/DocFragment[{i}]/p[1]/text().0",
            "pos1": f"/body/DocFragment[{i}]/p[1]/text().80",
        }
        for i in range(count)
    ]
    annotations = [{k: v for k, v in a.items() if v is not None} for a in annotations]
    return {"doc_props": {"title": "Dune", "authors": "Frank Herbert"}, "annotations": annotations}


def xmnote_body(count: int) -> bytes:
    entries = [
        {
            "text": f"{i}: {TEXT}",
            "note": "",
            "chapter": f"Chapter {i // 40}",
            "time": T + i * 60,
            "page": i // 4 + 1,
        }
        for i in range(count)
    ]
    body = {
        "title": "Dune",
        "author": "Frank Herbert",
        "type": 1,
        "locationUnit": 1,
        "source": "KOReader",
        "entries": entries,
        "fuzzyReadingDurations": {},
    }
    return json.dumps(body).encode()


def post(port: int, body: bytes) -> tuple[int, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("POST", "/send", body, {"Content-Type": "application/json"})
    reply = connection.getresponse()
    reply.read()
    connection.close()
    return reply.status, time.perf_counter() - started


async def receive(body: bytes) -> list[tuple[int, float]]:
    workers = DbWorkers()
    workers.start()
    receiver = HighlightsReceiver(ReceiverOptions(workers=workers), "127.0.0.1", 0)
    await receiver.start()
    try:
        return [await asyncio.to_thread(post, receiver.port, body) for _ in range(2)]
    finally:
        await receiver.stop()
        await workers.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--highlights", type=int, default=1800)
    count = parser.parse_args().highlights
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        device = root / "device" / "dune.sdr"
        device.mkdir(parents=True)
        path = device / "metadata.epub.lua"
        path.write_text(lua_file(sidecar(count)), encoding="utf-8")
        size = path.stat().st_size
        started = time.perf_counter()
        parse(path.read_bytes())
        parsed = time.perf_counter() - started
        paths = resolve_paths(root / "data")
        paths.ensure()
        open_database(paths.db_file)
        add_book("Dune", ["Frank Herbert"])
        started = time.perf_counter()
        import_folder(root / "device", clock=time.time)
        imported = time.perf_counter() - started
        started = time.perf_counter()
        import_folder(root / "device", clock=time.time)
        again = time.perf_counter() - started
        body = xmnote_body(count)
        (first, second) = asyncio.run(receive(body))
        close_database()
    print(f"sidecar with {count} highlights: {size / 1024:.0f} KiB")
    print(f"  Lua-table parse: {parsed * 1000:.0f} ms")
    print(
        f"  import into the library: {imported * 1000:.0f} ms (again, unchanged: "
        f"{again * 1000:.0f} ms)"
    )
    print(f"XMNote body with {count} highlights: {len(body) / 1024:.0f} KiB")
    print(f"  first POST: HTTP {first[0]} in {first[1] * 1000:.0f} ms")
    print(f"  re-send:    HTTP {second[0]} in {second[1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
