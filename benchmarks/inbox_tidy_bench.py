"""The Inbox's condition on the lists and the tidy planner, on a generated library.

    python benchmarks/inbox_tidy_bench.py [--books 50000] [--held 5000] [--iterations 30]
    python benchmarks/inbox_tidy_bench.py --json

Builds a library of N books with files in a temporary folder and holds `--held` of them in the
Inbox, then times (median and worst of the iterations):

    table order         the window table's order by title (`table_window.ordered_ids`)
    catalog first/deep  the first and a deep page of the catalog's All books
    catalog search      a two-word catalog search
    tidy plan           the target paths of every file under the default pattern (pure)

Every list skips the held books (`store.sql.OUTSIDE_INBOX`); the figures show what that costs
next to `--held 0`. Target: catalog pages < 50 ms, table order of 50,000 books < 500 ms.
"""

from __future__ import annotations

import argparse
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
from bookorbit_desktop.library.files.journal import book_facts
from bookorbit_desktop.library.files.plan import DEFAULT_PATTERN, Rules, plan
from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.keyset import FIRST, Cursor
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.server.opds import queries
from bookorbit_desktop.server.opds.search import search_books
from bookorbit_desktop.services.library.table_window import ordered_ids


def _time(work: Callable[[], object], iterations: int) -> dict[str, float]:
    seconds = []
    for _ in range(iterations):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 2),
        "max_ms": round(max(seconds) * 1000, 2),
    }


def run(books: int, held: int, iterations: int) -> dict[str, dict[str, float]]:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        open_database(Path(folder) / "library.sqlite3")
        try:
            insert_books(books, rng, files=True, states=True)
            inbox.hold(rng.sample(range(1, books + 1), held))
            # A deep page as a reader reaches it: after the key of the book 3/4 of the way.
            key = database.execute_sql(
                "SELECT sort_title, id FROM book ORDER BY sort_title, id LIMIT 1 OFFSET ?",
                (books * 3 // 4,),
            ).fetchone()
            deep = Cursor(key=tuple(key))
            facts = book_facts()
            rules = Rules.for_system("linux")
            return {
                "table order": _time(lambda: ordered_ids("title", False), iterations),
                "catalog first": _time(lambda: queries.all_books(FIRST, 50), iterations),
                "catalog deep": _time(lambda: queries.all_books(deep, 50), iterations),
                "catalog search": _time(
                    lambda: search_books(["the", "cycle"], FIRST, 50), iterations
                ),
                "tidy plan": _time(lambda: plan(facts, DEFAULT_PATTERN, "/lib", rules), 3),
            }
        finally:
            close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--books", type=int, default=50_000)
    parser.add_argument("--held", type=int, default=5_000)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = run(args.books, min(args.held, args.books), args.iterations)
    if args.json:
        print(json.dumps({"books": args.books, "held": args.held, "figures": figures}))
        return
    print(f"{args.books:,} books, {args.held:,} in the Inbox, {args.iterations} iterations")
    for name, figure in figures.items():
        print(
            f"  {name:<16} median {figure['median_ms']:>9.2f} ms   max {figure['max_ms']:>9.2f} ms"
        )


if __name__ == "__main__":
    main()
