"""Year in review speed at scale: the Year page and `stats year --json`.

    python benchmarks/year_review.py [--books 250000] [--finished 1500] [--linked 2000]
                                     [--rows 1000000] [--year 2025]

Builds a library of `--books` books (one file each) of which `--finished` were finished over
five years (2021-2025, a keen reader's 300 a year: a reading state with its dates, one in
fifteen re-read a year later), a fifth as many again done without a date, abandoned or being
read, `--linked` books linked to Hardcover with their pulled reads (one or two each),
20,000 highlights, and KOReader statistics of the same five years (`--rows` page records over
2,000 of the books, imported as a reader's file is), then prints:
- the year's figures read from the library (`library.year.gather.year_review`),
- the Year page: those figures read, shown and drawn offscreen (target: under 300 ms),
- `bookorbit-desktop stats year YEAR --json` run as the user runs it, a new process
  (target: under 1 s).
Each is the best of five runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from generated_library import insert_books  # noqa: E402  (beside this script)
from history_bench import build_file  # noqa: E402

from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.library.history.importer import import_statistics  # noqa: E402
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from bookorbit_desktop.library.store.models import database  # noqa: E402

FIRST_DAY = dt.date(2021, 1, 1)
DAYS = 5 * 365
HIGHLIGHTS = 20_000


def _day(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))


def add_reads(books: int, finished_books: int, rng: random.Random) -> int:
    """Reading states with dates, as the window and the sync record them; the reads table
    follows them. Returns how many reads were finished with a date."""
    now, states, rereads, finished = time.time(), [], [], 0
    share = finished_books / books
    for book_id in range(1, books + 1):
        kind = rng.random() / share  # below 1 for `finished_books` of the books
        day = _day(rng)
        started = (day - dt.timedelta(days=rng.randint(1, 40))).isoformat()
        if kind < 1:
            states.append((book_id, "read", 1.0, started, day.isoformat(), now))
            finished += 1
            if kind < 1 / 15 and day.year < 2025:  # re-read a year later
                again = day + dt.timedelta(days=365)
                rereads.append((book_id, again))
        elif kind < 1.05:
            states.append((book_id, "read", 1.0, started, None, now))
        elif kind < 1.1:
            states.append((book_id, "abandoned", 0.3, started, day.isoformat(), now))
        elif kind < 1.2:
            states.append((book_id, "reading", 0.4, started, None, now))
    with database.atomic():
        database.obj.connection().executemany(
            "INSERT INTO reading_state (book_id, status, progress, started, finished,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            states,
        )
    with database.atomic():
        for book_id, again in rereads:
            start = (again - dt.timedelta(days=10)).isoformat()
            database.execute_sql(
                "UPDATE reading_state SET status = 'rereading', started = ?, finished = NULL"
                " WHERE book_id = ?",
                (start, book_id),
            )
            database.execute_sql(
                "UPDATE reading_state SET status = 'read', finished = ? WHERE book_id = ?",
                (again.isoformat(), book_id),
            )
    return finished + len(rereads)


def add_hardcover(books: int, linked: int, rng: random.Random) -> None:
    """`linked` books linked to Hardcover, each with its entry's reads as the pull stores them."""
    links, pulled = [], []
    for number, book_id in enumerate(rng.sample(range(1, books + 1), linked)):
        hc_book, user_book = 100_000 + number, 500_000 + number
        links.append((book_id, hc_book, user_book))
        reads = [
            {"id": 900_000 + number * 2 + n, "started": None, "finished": _day(rng).isoformat()}
            for n in range(rng.randint(1, 2))
        ]
        pulled.append((user_book, hc_book, json.dumps({"status_id": 3, "reads": reads})))
    with database.atomic():
        connection = database.obj.connection()
        connection.executemany(
            "INSERT INTO hardcover_match (book_id, state, hc_book_id, edition_pages,"
            " user_book_id, candidates, updated_at, pinned, created_by_us, lead)"
            " VALUES (?, 'linked', ?, 300, ?, '[]', 0, 0, 0, 0)",
            links,
        )
        connection.executemany(
            "INSERT INTO hardcover_pulled (user_book_id, hc_book_id, entry) VALUES (?, ?, ?)",
            pulled,
        )


def add_highlights(books: int, rng: random.Random) -> None:
    first = time.mktime(FIRST_DAY.timetuple())
    rows = [
        (rng.randint(1, books), int(first + rng.randrange(DAYS * 86_400)), f"Highlight {n}")
        for n in range(HIGHLIGHTS)
    ]
    with database.atomic():
        database.obj.connection().executemany(
            "INSERT INTO highlight (book_id, created, text, note, source, received_at,"
            " changed_at) VALUES (?, ?, ?, '', 'sidecar', 1.0, 1.0)",
            rows,
        )


def best(runs: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(data_dir: Path, year: int) -> None:
    from PySide6.QtWidgets import QApplication

    from bookorbit_desktop.library.year.gather import year_review
    from bookorbit_desktop.ui.year.page import YearPage

    app = QApplication.instance() or QApplication([])
    figures = year_review(year)
    print(
        f"{year}: {len(figures.finished):,} reads finished, {figures.rereads:,} re-reads, "
        f"{len(figures.no_date):,} without a date, {figures.highlights:,} highlights, KOReader "
        f"{figures.koreader.days_read if figures.koreader else 0} days"
    )
    print(f"{'year_review (the figures)':<44} {best(5, lambda: year_review(year)):7.3f} s")
    page = YearPage(year)
    page.resize(1200, 900)

    def show() -> None:
        page.show_year(year_review(year), dt.date.today())
        page.grab()  # paints every widget once, offscreen

    print(f"{'Year page: read, show and draw':<44} {best(5, show):7.3f} s   (target 0.300)")
    command = [
        sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data_dir),
        "stats", "year", str(year), "--json",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run() -> None:
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)

    print(f"{'stats year --json (a new process)':<44} {best(5, run):7.3f} s   (target 1.000)")
    del app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=250_000)
    parser.add_argument("--finished", type=int, default=1_500, help="reads finished, 5 years")
    parser.add_argument("--linked", type=int, default=2_000, help="books linked to Hardcover")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2025)
    options = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        paths = resolve_paths(Path(folder) / "data")
        paths.ensure()
        open_database(paths.db_file)
        start = time.perf_counter()
        insert_books(options.books, rng, files=True, details=True)
        finished = add_reads(options.books, options.finished, rng)
        add_hardcover(options.books, options.linked, rng)
        add_highlights(options.books, rng)
        source = Path(folder) / "statistics.sqlite3"
        build_file(source, options.rows, 2_000, 5)
        import_statistics(source)
        print(
            f"library: {options.books:,} books, {finished:,} dated reads, {options.linked:,} "
            f"linked to Hardcover, {options.rows:,} KOReader page records over 5 years "
            f"(built in {time.perf_counter() - start:.0f} s); load {os.getloadavg()[0]:.2f}"
        )
        measure(paths.data_dir, options.year)
        close_database()


if __name__ == "__main__":
    main()
