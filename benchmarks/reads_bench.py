"""A year's reads gathered and counted on a large library, and every read for comparison.

    python benchmarks/reads_bench.py [--books 250000] [--json]

Fills a library with `--books` books (statuses as `generated_library` draws them, each read or
reading book with its dates, so the reading state's triggers make their reads), one in ten read
books read again, two in three books linked to Hardcover with a pulled entry holding one or two
reads (one the library's, one a re-read made on hardcover.app), then prints the median time of
`gather.reads_between` with `counting.counted` for one year (what goals and the year in review
start from; wall clock and the process's CPU time, which a busy machine inflates less), of the
same over every date (every read of every book with a done read), and of one book's reads list
(`services.library.reads.read_lines`). Target: a book's list under 20 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generated_library import insert_books
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.reads.counting import counted
from bookorbit_desktop.library.reads.gather import reads_between
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.services.library.reads import read_lines

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def day(rng: random.Random) -> str:
    return (dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(1_790))).isoformat()


def fill(books: int, rng: random.Random) -> None:
    statuses = insert_books(books, rng, states=True)
    connection = database.obj.connection()
    with database.atomic():
        dated = []
        for book_id, status in statuses.items():
            if status in ("read", "reading"):
                started = day(rng)
                finished = started if status == "read" else None
                dated.append((started, finished, book_id))
        connection.executemany(  # through the triggers, as pushes and edits write them
            "UPDATE reading_state SET started = ?, finished = ? WHERE book_id = ?", dated
        )
        connection.executemany(
            "INSERT INTO book_read (book_id, started, finished, state, source, created_at)"
            " VALUES (?, ?, ?, 'done', 'library', 0)",
            [(b, day(rng), None) for b, s in statuses.items() if s == "read" and b % 10 == 0],
        )
        matches, pulled = [], []
        for book_id in range(1, books + 1):
            if book_id % 3 == 0:
                continue
            matches.append((book_id, 100_000 + book_id, 300, 500_000 + book_id))
            reads = [{"id": 2 * book_id, "started": day(rng), "finished": day(rng)}]
            if book_id % 5 == 0:
                reads.append({"id": 2 * book_id + 1, "started": "2026-02-01", "finished": None})
            entry = {"status_id": 3, "reads": reads}
            pulled.append((500_000 + book_id, 100_000 + book_id, json.dumps(entry)))
        connection.executemany(
            "INSERT INTO hardcover_match (book_id, state, hc_book_id, edition_pages, user_book_id,"
            " candidates, updated_at, pinned, created_by_us, lead)"
            " VALUES (?, 'linked', ?, ?, ?, '[]', 0, 0, 0, 0)",
            matches,
        )
        connection.executemany(
            "INSERT INTO hardcover_pulled (user_book_id, hc_book_id, entry) VALUES (?, ?, ?)",
            pulled,
        )


def median_ms(
    run: Callable[[], object], times: int = 5, clock: Callable[[], float] = time.perf_counter
) -> float:
    spent = []
    for _ in range(times):
        start = clock()
        run()
        spent.append((clock() - start) * 1000)
    return statistics.median(spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--books", type=int, default=250_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = resolve_paths(Path(folder))
        paths.ensure()
        open_database(paths.db_file)
        fill(args.books, random.Random(7))
        reads = reads_between(dt.date.min, dt.date.max)
        busiest = max(
            {r.book_id for r in reads}, key=lambda b: sum(r.book_id == b for r in reads[:5000])
        )
        year = counted(reads, *YEAR)
        found = {
            "books": args.books,
            "reads": len(reads),
            "finished_in_2026": len(year.finished),
            "no_date": len(year.no_date),
            "year_ms": round(median_ms(lambda: counted(reads_between(*YEAR), *YEAR)), 1),
            "year_cpu_ms": round(
                median_ms(lambda: counted(reads_between(*YEAR), *YEAR), clock=time.process_time),
                1,
            ),
            "every_read_cpu_ms": round(
                median_ms(lambda: reads_between(dt.date.min, dt.date.max), clock=time.process_time),
                1,
            ),
            "book_list_ms": round(median_ms(lambda: read_lines(busiest), 20), 2),
        }
        close_database()
    if args.json:
        print(json.dumps(found))
    else:
        for name, value in found.items():
            print(f"{name:>18}: {value}")


if __name__ == "__main__":
    main()
