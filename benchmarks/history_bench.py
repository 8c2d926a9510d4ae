"""Reading-history speed: import of a large KOReader statistics file and the Statistics page.

    python benchmarks/history_bench.py [--rows 1000000] [--books 2000] [--years 5]

Builds a statistics.sqlite3 with KOReader's schema (WAL mode, like a Kobo upload) holding
`--rows` page records over `--books` books spread over `--years` years, then prints:
- the first import into an empty library (target: under 4 s for 1,000,000 rows, of which
  about 1 s is the pauses between its transactions that let the server's pushes in), run on a
  worker thread as the server runs it, with the longest stall of an event loop ticking every
  5 ms meanwhile (the window's loop in the app; target: under 50 ms),
- the import of the same file again, unchanged (target: under 0.5 s),
- the import after one more day of reading in one book (what a daily sync costs),
- the Statistics page: loading its data and drawing it offscreen (target: under 200 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.library.history.koreader_file import SCHEMA

NOW = 1_767_225_600  # 2026-01-01 00:00 UTC


def build_file(path: Path, rows: int, books: int, years: int, seed: int = 7) -> None:
    """`rows` page records: each book read in sittings of 20-60 pages, 30-90 s a page."""
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    per_book = rows // books
    span = years * 365 * 86_400
    for book in range(1, books + 1):
        pages = per_book + rng.randint(0, 200)
        db.execute(
            "INSERT INTO book (id, title, authors, pages, md5) VALUES (?, ?, ?, ?, ?)",
            (book, f"Book {book}", f"Author {book % 300}", pages, f"{book:032x}"),
        )
        start = NOW - span + rng.randint(0, span - 120 * 86_400)
        records = []
        for page in range(1, per_book + 1):
            if page % rng.randint(20, 60) == 0:
                start += rng.randint(3_600 * 8, 3_600 * 40)  # the next sitting
            duration = rng.randint(30, 90)
            records.append((book, page, start, duration, pages))
            start += duration + rng.randint(0, 5)
        db.executemany("INSERT INTO page_stat_data VALUES (?, ?, ?, ?, ?)", records)
    db.commit()
    db.execute("PRAGMA journal_mode = WAL")
    db.close()


def add_a_day(path: Path) -> None:
    db = sqlite3.connect(path)
    records = [(1, 10_000 + page, NOW + 60 * page, 55, 10_000) for page in range(40)]
    db.executemany("INSERT INTO page_stat_data VALUES (?, ?, ?, ?, ?)", records)
    db.commit()
    db.close()


def timed(label: str, fn) -> object:  # type: ignore[no-untyped-def]
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<36} {wall:7.3f} s (CPU {cpu:.3f} s)   {result}")
    return result


async def _watch_loop(source: Path) -> tuple[str, float]:
    """Import on a worker thread (as the server does) while this loop ticks every 5 ms."""
    from bookorbit_desktop.library.store.off_loop import off_loop

    task = asyncio.ensure_future(off_loop(import_statistics, source))
    worst = 0.0
    while not task.done():
        before = time.perf_counter()
        await asyncio.sleep(0.005)
        worst = max(worst, time.perf_counter() - before - 0.005)
    return (await task).describe(), worst


def first_import(source: Path) -> str:
    described, worst = asyncio.run(_watch_loop(source))
    return f"{described}; longest event-loop stall {worst * 1000:.0f} ms"


def draw_page() -> None:
    from PySide6.QtWidgets import QApplication

    from bookorbit_desktop.services.statistics.service import load_statistics
    from bookorbit_desktop.ui.statistics.page import StatisticsPage

    app = QApplication.instance() or QApplication([])
    page = StatisticsPage()
    page.resize(1200, 900)
    start = time.perf_counter()
    data = load_statistics()
    loaded = time.perf_counter()
    page.show_statistics(data)
    page.grab()  # paints every widget once, offscreen
    drawn = time.perf_counter()
    print(f"{'Statistics page: load data':<44} {loaded - start:7.3f} s")
    print(f"{'Statistics page: draw':<44} {drawn - loaded:7.3f} s")
    print(f"{'Statistics page: total':<44} {drawn - start:7.3f} s   ({len(data.days)} days)")
    again = time.perf_counter()
    page.show_statistics(load_statistics())
    page.grab()
    print(f"{'Statistics page: again (load and draw)':<44} {time.perf_counter() - again:7.3f} s")
    del app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--books", type=int, default=2_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--no-page", action="store_true", help="skip the Statistics page")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "statistics.sqlite3"
        start = time.perf_counter()
        build_file(source, options.rows, options.books, options.years)
        size = source.stat().st_size / 2**20
        print(
            f"statistics file: {options.rows:,} rows, {options.books:,} books, {size:.0f} MiB "
            f"(built in {time.perf_counter() - start:.1f} s); load {os.getloadavg()[0]:.2f}"
        )
        paths = resolve_paths(Path(folder) / "data")
        paths.ensure()
        open_database(paths.db_file)
        try:
            timed("first import", lambda: first_import(source))
            timed("same file again (unchanged)", lambda: import_statistics(source).describe())
            add_a_day(source)
            timed("one more day in one book", lambda: import_statistics(source).describe())
            if not options.no_page:
                draw_page()
        finally:
            close_database()


if __name__ == "__main__":
    main()
