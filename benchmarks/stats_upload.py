"""KOReader's pushes during a large statistics upload over WebDAV, against a real `serve`.

    python benchmarks/stats_upload.py [--rows 1750000] [--books 2000] [--pushers 8]

Builds a statistics.sqlite3 like `history_bench` (about 100 MB for 1,750,000 rows), starts
`bookorbit-desktop serve` on a fresh library, and while `--pushers` devices push their
progress without pause, PUTs the file to /dav/ and waits for its import to finish. Prints the
file's size, how long the upload and the import took, and for the pushes made meanwhile: how
many, how many failed (any answer but 200; target 0) and their p50, p99 and longest latency
(target p99 < 1 s).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from benchmarks.history_bench import build_file
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.server.accounts import key_for_password, set_account
from tests.server.serve_process import start_serve

USER, PASSWORD = "reader", "benchmark"


def imported_books(data_dir: Path) -> int:
    with sqlite3.connect(resolve_paths(data_dir).db_file) as db:
        found = db.execute("SELECT COUNT(*) FROM history_book WHERE fingerprint IS NOT NULL")
        return int(found.fetchone()[0])


async def push_until(port: int, n: int, done: asyncio.Event, results: list[tuple[int, float]]):
    headers = {"x-auth-user": USER, "x-auth-key": key_for_password(PASSWORD)}
    url = f"http://127.0.0.1:{port}/kosync/syncs/progress"
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(headers=headers, timeout=timeout) as session:
        step = 0
        while not done.is_set():
            step += 1
            body = {"document": f"{n:032x}", "progress": str(step), "percentage": 0.5,
                    "device": "bench"}  # fmt: skip
            began = time.perf_counter()
            try:
                async with session.put(url, json=body) as answer:
                    await answer.read()
                    status = answer.status
            except (aiohttp.ClientError, TimeoutError):
                status = 0
            results.append((status, time.perf_counter() - began))


async def run(source: Path, data_dir: Path, books: int, pushers: int) -> None:
    process, port = start_serve(data_dir)
    try:
        done = asyncio.Event()
        results: list[tuple[int, float]] = []
        tasks = [asyncio.ensure_future(push_until(port, n, done, results)) for n in range(pushers)]
        await asyncio.sleep(0.5)
        results.clear()  # the first login of each device is not what is measured
        began = time.perf_counter()
        auth = {"Authorization": aiohttp.encode_basic_auth(USER, PASSWORD)}
        async with aiohttp.ClientSession(headers=auth) as session:
            with source.open("rb") as body:
                url = f"http://127.0.0.1:{port}/dav/statistics.sqlite3"
                async with session.put(url, data=body) as answer:
                    print(f"upload: {answer.status} in {time.perf_counter() - began:.1f} s")
        uploaded = time.perf_counter()
        while imported_books(data_dir) < books and time.perf_counter() - uploaded < 600:
            await asyncio.sleep(0.2)
        print(f"import: {imported_books(data_dir)} books in {time.perf_counter() - uploaded:.1f} s")
        done.set()
        await asyncio.gather(*tasks)
    finally:
        process.terminate()
        process.communicate(timeout=30)
    latencies = sorted(seconds for _status, seconds in results)
    failed = sum(1 for status, _seconds in results if status != 200)
    by_status = sorted({status for status, _seconds in results if status != 200})
    kinds = ", ".join(
        f"{sum(1 for s, _ in results if s == k)} x {k or 'no answer'}" for k in by_status
    )

    def at(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

    print(
        f"pushes during upload and import: {len(results)}, failed {failed}"
        f"{f' ({kinds})' if kinds else ''}, "
        f"p50 {at(0.5):.0f} ms, p99 {at(0.99):.0f} ms, longest {latencies[-1] * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_750_000)
    parser.add_argument("--books", type=int, default=2_000)
    parser.add_argument("--pushers", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "statistics.sqlite3"
        build_file(source, args.rows, args.books, 5)
        size = source.stat().st_size / 2**20
        print(f"file: {args.rows:,} rows, {args.books:,} books, {size:.0f} MB")
        data_dir = Path(folder) / "data"
        paths = resolve_paths(data_dir)
        paths.ensure()
        open_database(paths.db_file)
        set_account(USER, key_for_password(PASSWORD))
        close_database()
        asyncio.run(run(source, data_dir, args.books, args.pushers))


if __name__ == "__main__":
    main()
