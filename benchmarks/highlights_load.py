"""How long a large highlights export takes to merge, and how kosync pushes fare meanwhile.

A real `bookorbit-desktop serve` (kosync and the highlights receiver) runs on loopback with
one library book. An export of N highlights for it is posted once (all new), then re-sent
with every note edited, as KOReader does after an edit, while four devices push their
position over kosync as fast as they are answered. Printed: the time of the first post and of
the re-send (each from the request to the answer) with their status, and the pushes'
count, p50/p99/max and failures during the re-send (target p99 < 1 s, 0 failures).

    .venv/bin/python benchmarks/highlights_load.py [--entries 19000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.lan_attack import Lines, _pushes_of, pushes_during  # noqa: E402
from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from tests.factories import add_book  # noqa: E402
from tests.server.hostile.support import (  # noqa: E402
    exchange,
    http_request,
    percentile,
    prepare_library,
    serving,
)

TITLE, AUTHOR = "A Long Book", "Someone"


def export(entries: int, note: str) -> bytes:
    body = {
        "title": TITLE,
        "author": AUTHOR,
        "type": 1,
        "locationUnit": 1,
        "source": "KOReader",
        "entries": [
            {"text": f"Highlight number {n} of a long book.", "note": note, "time": 1.7e9 + n}
            for n in range(entries)
        ],
    }
    raw = json.dumps(body).encode()
    return http_request("POST", "/send", {"Content-Type": "application/json"}, raw)


async def post(port: int, raw: bytes) -> tuple[int, float]:
    status, _body, seconds = await exchange(port, raw, timeout=120.0)
    return status, seconds


async def measure(entries: int) -> None:
    with tempfile.TemporaryDirectory(prefix="highlights-load-") as folder:
        data_dir = prepare_library(Path(folder) / "data")
        open_database(resolve_paths(data_dir).db_file)
        add_book(TITLE, [AUTHOR])
        close_database()
        with serving(data_dir, extra_args=("--highlights-port", "0")) as served:
            receiver = Lines(served).number_after("Highlights receiver on port ")
            await exchange(served.port, _pushes_of(0)[0])  # the devices logged in
            status, seconds = await post(receiver, export(entries, ""))
            print(f"first post of {entries} highlights: {status} in {seconds:.2f} s", flush=True)
            started = time.perf_counter()
            resend = asyncio.ensure_future(post(receiver, export(entries, "edited")))
            await asyncio.sleep(0.05)  # the re-send is under way
            timings, failed = await pushes_during(served.port, 0.1)
            while not resend.done():
                more, more_failed = await pushes_during(served.port, 0.5)
                timings += more
                failed += more_failed
            status, seconds = resend.result()
            print(f"re-send with every note edited: {status} in {seconds:.2f} s", flush=True)
            p50, p99 = percentile(timings, 0.5) * 1000, percentile(timings, 0.99) * 1000
            print(
                f"kosync pushes meanwhile ({time.perf_counter() - started:.1f} s): "
                f"{len(timings)}, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
                f"max {max(timings) * 1000:.1f} ms, failed {failed}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=19_000)
    asyncio.run(measure(parser.parse_args().entries))


if __name__ == "__main__":
    main()
