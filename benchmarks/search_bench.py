"""Catalog search speed at library scale, and right after an edit.

    python benchmarks/search_bench.py [--books 50000] [--iterations 100] [--edit-iterations 30]
                                      [--family-rounds 3]
    python benchmarks/search_bench.py --books 250000
    python benchmarks/search_bench.py --books 250000 --json

Builds a library of N books in a temporary folder (rows inserted in bulk: two-to-four-word
titles, one or two authors from a pool, a series for a third of them, one file each), starts the
real server on 127.0.0.1 and times OPDS searches over a new connection each, as KOReader sends
them:

    search              a two-word search, a one-word search matching many books, a two-letter
                        search (too short for a trigram lookup), in turn
    search deep page    the same three searches, each from the page whose `next` link starts
                        nine tenths of the way through the library's title order
    search after edit   the two-word search right after a book was renamed on another
                        connection (as the window or the command line does)

and, in this process, the command line's search (`books --search WORD`): the CPU time of the
first page it prints (the lines of its books, as the command prints them) for each of 30
one-word searches in turn, the generator's title words and a surname (`command line search`),
the same with the books' full records read, as `books --search WORD --json` prints them
(`command line search --json`), and the lines' for each family of searches in `FAMILIES`
(two-letter words, too short for the trigram index; fields; several words; quoted words;
`not`), and for the 50th page of searches finding most books (`page 50`, that page alone):
`command line search, <family>`.

Prints p50 / p99 / max latency (client included) and how many answers were not 200 (the server
answers 503 when reading the library takes longer than its deadline).

`--json` prints instead one line, {"figures": ..., "goals": ...}, with the p99s for the
scale table (`make bench-scale`); a p99 with answers that were not 200 is given as text saying so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generated_library import WORDS, insert_books
from bookorbit_desktop.cli.book_pages import Records, book_pages
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.search.compiler import search_condition
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.keyset import Cursor
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.queries import list_books, listing_lines
from bookorbit_desktop.library.store.title_order import BY_TITLE
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.accounts import key_for_password, set_account
from bookorbit_desktop.server.app import LanServer
from bookorbit_desktop.server.opds.paging import encode

PASSWORD = "bench password"
SEARCHES = ("/opds/search?q=lord%20ring", "/opds/search?q=harbour", "/opds/search?q=ka")
EDITED_SEARCH = "/opds/search?q=caf%C3%A9%20naive"
GOAL = "< 50 ms"
ONE_WORD = (*WORDS, "müller")  # 30 words, each in about a tenth of the books
CLI_GOAL = "< 100 ms"
FAMILIES = {
    "two letters": ("ka", "ch", "ri", "ll", "zq", "ül", "é", "aé"),
    "fields": (
        *("title:garden", "author:müller", "series:harbour", "tags:fiction", "author:kai"),
        *("title:=garden", "series:ri", "title:ka"),
    ),
    "several words": ("lord ring", "silver garden quiet", "ka river", "harbour müller"),
    "quoted": ('"lord ring"', '"garden paper"', '"kai müller"'),
    "not": ("not garden", "garden not river", "not ka", "not author:müller"),
}
DEEP = ("not garden", "not zq", "e", "not title:garden")  # each finding most books
DEEP_PAGE = 50


def deep_searches(books: int) -> tuple[str, ...]:
    """`SEARCHES` from the key nine tenths of the way through the title order, as the `next`
    link of the page before it gives it."""
    key = database.obj.execute_sql(
        f"SELECT {BY_TITLE.expressions} FROM book_sort_key k ORDER BY {BY_TITLE.order_by()}"
        " LIMIT 1 OFFSET ?",
        (books * 9 // 10,),
    ).fetchone()
    return tuple(f"{href}&cursor={encode(Cursor(tuple(key)))}" for href in SEARCHES)


def rename_a_book() -> None:
    database.obj.execute_sql("UPDATE book SET title = title || '.' WHERE id = 1")


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def time_searches(
    base: str, hrefs: tuple[str, ...], iterations: int, before: Callable[[], None] | None = None
) -> tuple[list[float], int]:
    """Latencies of `iterations` searches (after two untimed ones), and how many failed."""
    headers = {"Authorization": aiohttp.encode_basic_auth("bench", PASSWORD)}
    timings, failed = [], 0
    connector = aiohttp.TCPConnector(force_close=True)  # a new connection per request
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, headers=headers, timeout=timeout) as s:
        for number in range(iterations + 2):
            if before is not None:
                before()
            started = time.perf_counter()
            async with s.get(base + hrefs[number % len(hrefs)]) as response:
                await response.read()
            if number >= 2:
                timings.append(time.perf_counter() - started)
                failed += response.status != 200
    return timings, failed


def time_cli_searches(iterations: int, records: Records = listing_lines) -> list[float]:
    """CPU times of the command line's first page for `iterations` one-word searches, after
    one untimed round; its books' lines, or with `records=list_books` their full records
    (`--json`). The CPU time of this thread: waiting for a core on a busy machine is not the
    search's, nor is the work the server's threads do meanwhile in this process (its change
    log's compaction, say), which a command running alone never pays."""
    timings = []
    for number in range(iterations + len(ONE_WORD)):
        started = time.thread_time()
        found = search_condition(ONE_WORD[number % len(ONE_WORD)], date.today())
        next(book_pages(found=found, records=records), [])
        if number >= len(ONE_WORD):
            timings.append(time.thread_time() - started)
    return timings


def cli_page_time(search: str, page: int) -> float:
    """CPU time (of this thread) of the command line's `page`th page of `search` (the first:
    the search run)."""
    started = time.thread_time()
    pages = book_pages(found=search_condition(search, date.today()), records=listing_lines)
    for _ in range(page - 1):
        next(pages, [])
        started = time.thread_time()
    next(pages, [])
    return time.thread_time() - started


def time_cli_families(rounds: int) -> dict[str, list[float]]:
    """CPU times of the command line's first page for each search of each family, and of the
    50th page of `DEEP`'s, `rounds` times each after one untimed round."""
    searches = [(family, text, 1) for family, texts in FAMILIES.items() for text in texts]
    searches += [(f"page {DEEP_PAGE}", text, DEEP_PAGE) for text in DEEP]
    timings: dict[str, list[float]] = {}
    for number in range(rounds + 1):
        for family, text, page in searches:
            took = cli_page_time(text, page)
            if number:
                timings.setdefault(family, []).append(took)
    return timings


def report(name: str, timings: list[float], failed: int) -> None:
    p50, p99 = statistics.median(timings) * 1000, percentile(timings, 0.99) * 1000
    worst = max(timings) * 1000
    print(f"{name:<19}{p50:>9.1f}{p99:>9.1f}{worst:>9.1f}{failed:>8}   (n={len(timings)})")


def p99_figure(timings: list[float], failed: int) -> float | str:
    """The p99 in ms for the scale table, as text saying so when some answers were not 200."""
    p99 = percentile(timings, 0.99) * 1000
    return p99 if not failed else f"{p99:,.0f} ms, {failed} of {len(timings)} answers not 200"


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="search-bench-") as folder:
        paths = resolve_paths(folder)
        paths.ensure()
        open_database(paths.db_file)
        started = time.perf_counter()
        insert_books(args.books, random.Random(42), longest_title=4, files=True)
        database.obj.execute_sql("ANALYZE")
        print(f"library: {args.books} books inserted in {time.perf_counter() - started:.1f} s")
        set_account("bench", key_for_password(PASSWORD))
        server = LanServer(ServerContext(paths=paths), host="127.0.0.1", port=0)
        await server.start()
        base = f"http://127.0.0.1:{server.port}"
        deep = deep_searches(args.books)
        try:
            if args.json:
                searched = await time_searches(base, SEARCHES, args.iterations)
                deeper = await time_searches(base, deep, args.iterations)
                edited = await time_searches(
                    base, (EDITED_SEARCH,), args.edit_iterations, rename_a_book
                )
                cli = time_cli_searches(args.iterations)
                cli_json = time_cli_searches(args.iterations, list_books)
                families = time_cli_families(args.family_rounds)
                figures = {
                    "search p99": p99_figure(*searched),
                    "search deep page p99": p99_figure(*deeper),
                    "search right after an edit p99": p99_figure(*edited),
                }
                goals = dict.fromkeys(figures, GOAL)
                cli_figures = {
                    "command line search p99": percentile(cli, 0.99) * 1000,
                    "command line search --json p99": percentile(cli_json, 0.99) * 1000,
                    **{
                        f"command line search, {family} p99": percentile(timings, 0.99) * 1000
                        for family, timings in families.items()
                    },
                }
                figures.update(cli_figures)
                goals.update(dict.fromkeys(cli_figures, CLI_GOAL))
                print(json.dumps({"books": args.books, "figures": figures, "goals": goals}))
                return
            print(f"{'':<19}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'not 200':>8}")
            report("search", *await time_searches(base, SEARCHES, args.iterations))
            report("search deep page", *await time_searches(base, deep, args.iterations))
            edited = await time_searches(
                base, (EDITED_SEARCH,), args.edit_iterations, rename_a_book
            )
            report("search after edit", *edited)
            report("command line search", time_cli_searches(args.iterations), 0)
            report("  --json", time_cli_searches(args.iterations, list_books), 0)
            for family, timings in time_cli_families(args.family_rounds).items():
                report(f"  {family}", timings, 0)
        finally:
            await server.stop()
            close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--books", type=int, default=50_000)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--edit-iterations", type=int, default=30)
    parser.add_argument("--family-rounds", type=int, default=3, help="of each family's searches")
    parser.add_argument("--json", action="store_true", help="print the scale figures as JSON")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
