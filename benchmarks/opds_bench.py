"""OPDS catalog speed: feed pages and a large download from a 10,000-book library.

    python benchmarks/opds_bench.py [--books 10000] [--iterations 300] [--download-mb 20]
    python benchmarks/opds_bench.py --books 250000 --iterations 100 --feeds-only
    python benchmarks/opds_bench.py --books 250000 --json

Builds a library of N books in a temporary folder (rows inserted in bulk: titles, 1-2 authors,
series for a third, ~600-character descriptions, covers recorded for half), starts the real
server (kosync + OPDS) on 127.0.0.1 and requests, over a new connection each time as KOReader
does, with HTTP Basic auth:

    root            /opds
    recent          first page of Recently added
    all books       first page of All books, and "deep": the page 3/4 of the way through
    authors         first page of Authors, and the page 3/4 of the way through
    series          first page of Series, and the page 3/4 of the way through
    currently reading, want to read, read   the reading shelves, first and deep pages
    search          a two-word search over titles, authors and series
    search after edit   the same right after a book was renamed (search index rebuilt)
    search after sync   the same right after reading progress was recorded (index kept)
    root (json)         /opds/v2, the OPDS 2.0 (JSON) root
    all books (json)    first and deep page of /opds/v2/books (the deep one by its `next` link)
    search (json)       the two-word search at /opds/v2/search?query=...

Prints p50 / p99 / max latency per feed (client included) and the throughput of a whole
download of a file of --download-mb megabytes (skipped with --feeds-only). A deep page is the
one the `next` link of page N leads to (N = 3/4 of the pages; `?page=N` is asked once, untimed),
so it is timed at the address a reader paging through the feed really follows.
Target: every feed page < 50 ms at p99, however deep.

`--json` times only the deep pages of All books (Atom and JSON), Authors and Series (no
download) and prints one line, {"figures": ..., "goals": ...}, for the scale table
(`make bench-scale`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generated_library import insert_books
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.accounts import key_for_password, set_account
from bookorbit_desktop.server.app import LanServer

PASSWORD = "bench password"
ATOM = "http://www.w3.org/2005/Atom"
GOAL = "< 50 ms"
# The scale table's figures (`--json`): the feed each one times.
SCALE_FEEDS = {
    "OPDS all books deep page p99": "all books deep",
    "OPDS authors deep page p99": "authors deep",
    "OPDS series deep page p99": "series deep",
    "OPDS 2.0 all books deep page p99": "all books deep (json)",
}


def add_big_file(folder: Path, megabytes: int) -> tuple[int, Path]:
    path = folder / "big.epub"
    with path.open("wb") as out:
        for _ in range(megabytes):
            out.write(os.urandom(1 << 20))
    db = database.obj
    book_id = db.execute_sql("SELECT max(id) FROM book").fetchone()[0]
    cursor = db.execute_sql(
        "INSERT INTO book_file (book_id, path, format, size, mtime, partial_md5, missing, added_at)"
        " VALUES (?, ?, 'epub', ?, 0, ?, 0, 0)",
        (book_id, str(path), path.stat().st_size, partial_md5(path)),
    )
    return cursor.lastrowid, path


def rename_a_book() -> None:
    database.obj.execute_sql("UPDATE book SET title = title || '.' WHERE id = 1")


def record_progress() -> None:
    database.obj.execute_sql(
        "UPDATE reading_state SET progress = progress + 0.001 WHERE book_id = 1"
    )


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def time_feed(
    base: str, href: str, iterations: int, before: Callable[[], None] | None = None
) -> list[float]:
    headers = {"Authorization": aiohttp.encode_basic_auth("bench", PASSWORD)}
    timings = []
    connector = aiohttp.TCPConnector(force_close=True)  # a new connection per request
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        for number in range(iterations + 5):
            if before is not None:
                before()
            started = time.perf_counter()
            async with session.get(base + href) as response:
                await response.read()
                if response.status != 200:
                    raise SystemExit(f"{href} answered {response.status}")
            if number >= 5:  # warm-up requests are not counted
                timings.append(time.perf_counter() - started)
    return timings


async def deep_page(base: str, path: str, number: int) -> str:
    """The address the `next` link of page `number` of `path` leads to (`path` when none)."""
    headers = {"Authorization": aiohttp.encode_basic_auth("bench", PASSWORD)}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.get(f"{base}{path}?page={number}") as response,
    ):
        root = etree.fromstring(await response.read())
    found = root.find(f"{{{ATOM}}}link[@rel='next']")
    return path if found is None else str(found.get("href"))


async def deep_json_page(base: str, path: str, number: int) -> str:
    """`deep_page` of an OPDS 2.0 feed: where the `next` link of its page `number` leads."""
    headers = {"Authorization": aiohttp.encode_basic_auth("bench", PASSWORD)}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.get(f"{base}{path}?page={number}") as response,
    ):
        document = json.loads(await response.read())
    found = [link["href"] for link in document["links"] if link["rel"] == "next"]
    return found[0] if found else path


async def time_download(base: str, file_id: int, size: int, repeats: int) -> list[float]:
    headers = {"Authorization": aiohttp.encode_basic_auth("bench", PASSWORD)}
    rates = []
    async with aiohttp.ClientSession(headers=headers) as session:
        for _ in range(repeats):
            started = time.perf_counter()
            received = 0
            async with session.get(f"{base}/opds/download/{file_id}.epub") as response:
                async for chunk in response.content.iter_chunked(1 << 20):
                    received += len(chunk)
            elapsed = time.perf_counter() - started
            if received != size:
                raise SystemExit(f"download returned {received} of {size} bytes")
            rates.append(size / elapsed / (1 << 20))
    return rates


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="opds-bench-") as folder:
        paths = resolve_paths(folder)
        paths.ensure()
        open_database(paths.db_file)
        rng = random.Random(42)
        started = time.perf_counter()
        insert_books(args.books, rng, files=True, states=True, details=True)
        database.obj.execute_sql("ANALYZE")
        print(f"library: {args.books} books inserted in {time.perf_counter() - started:.1f} s")
        file_id, big = add_big_file(Path(folder), args.download_mb)
        set_account("bench", key_for_password(PASSWORD))
        server = LanServer(ServerContext(paths=paths), host="127.0.0.1", port=0)
        await server.start()
        base = f"http://127.0.0.1:{server.port}"
        db = database.obj
        authors = db.execute_sql("SELECT count(DISTINCT author_id) FROM book_author").fetchone()[0]
        series = db.execute_sql("SELECT count(DISTINCT series) FROM book").fetchone()[0]
        feeds = {"root": "/opds", "recent": "/opds/recent"}
        for name, path, count in (
            ("all books", "/opds/books", args.books),
            ("authors", "/opds/authors", authors),
            ("series", "/opds/series", series),
        ):
            feeds[name] = path
            feeds[f"{name} deep"] = await deep_page(base, path, max(1, -(-count // 50) * 3 // 4))
        # The reading shelves: each holds about a fifth of the generated books.
        for name, path, status in (
            ("currently reading", "/opds/reading", "'reading', 'rereading'"),
            ("want to read", "/opds/want", "'want_to_read'"),
            ("read", "/opds/read", "'read'"),
        ):
            shelved = db.execute_sql(
                f"SELECT count(*) FROM reading_state WHERE status IN ({status})"
            ).fetchone()[0]
            feeds[name] = path
            feeds[f"{name} deep"] = await deep_page(base, path, max(1, -(-shelved // 50) * 3 // 4))
        feeds["search"] = "/opds/search?q=lord%20ring"
        feeds["root (json)"] = "/opds/v2"
        feeds["all books (json)"] = "/opds/v2/books"
        deep = max(1, -(-args.books // 50) * 3 // 4)
        feeds["all books deep (json)"] = await deep_json_page(base, "/opds/v2/books", deep)
        feeds["search (json)"] = "/opds/v2/search?query=lord%20ring"
        # The search index is rebuilt after any change to titles, series, authors or files:
        # "search after edit" renames a book before every request, so each one pays for the
        # rebuild; "search after sync" records reading progress first, which costs nothing.
        after_edit = ("search after edit", "/opds/search?q=caf%C3%A9%20naive", rename_a_book)
        after_sync = ("search after sync", "/opds/search?q=caf%C3%A9%20naive", record_progress)
        try:
            if args.json:
                await print_json(base, feeds, args)
                return
            print(f"{'feed':<23}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}   (n={args.iterations})")
            worst = 0.0
            runs: list[tuple[str, str, Callable[[], None] | None]] = [
                (name, href, None) for name, href in feeds.items()
            ]
            runs += [after_edit, after_sync]
            for name, href, before in runs:
                timings = await time_feed(base, href, args.iterations, before)
                p99 = percentile(timings, 0.99) * 1000
                worst = max(worst, p99)
                print(
                    f"{name:<23}{statistics.median(timings) * 1000:>9.2f}{p99:>9.2f}"
                    f"{max(timings) * 1000:>9.2f}"
                )
            if not args.feeds_only:
                rates = await time_download(base, file_id, big.stat().st_size, args.downloads)
                print(
                    f"download {args.download_mb} MB: median {statistics.median(rates):.0f} MB/s,"
                    f" slowest {min(rates):.0f} MB/s (n={args.downloads})"
                )
            verdict = "met" if worst < 50 else "MISSED"
            print(f"target p99 < 50 ms per feed page: {verdict} (worst p99 {worst:.2f} ms)")
        finally:
            await server.stop()
            close_database()


async def print_json(base: str, feeds: dict[str, str], args: argparse.Namespace) -> None:
    figures = {
        figure: percentile(await time_feed(base, feeds[feed], args.iterations), 0.99) * 1000
        for figure, feed in SCALE_FEEDS.items()
    }
    goals = dict.fromkeys(SCALE_FEEDS, GOAL)
    print(json.dumps({"books": args.books, "figures": figures, "goals": goals}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--download-mb", type=int, default=20)
    parser.add_argument("--downloads", type=int, default=10)
    parser.add_argument("--feeds-only", action="store_true", help="time the feeds, no download")
    parser.add_argument("--json", action="store_true", help="print the scale figures as JSON")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
