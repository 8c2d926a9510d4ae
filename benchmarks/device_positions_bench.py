"""Per-device positions and resets on a long push history.

    python benchmarks/device_positions_bench.py [--events 500000] [--books 2000] [--devices 4]
                                                [--json]

Fills a library with `--events` pushes spread over `--books` books (one document each) from
`--devices` devices, with the one book under test holding 1 % of them, then prints the median
time of: the book panel's Devices read (`device_positions`), a reset of that book, and the
server's check for resets (`resets_since`, run every two seconds while it serves; it reads only
the pushes since its last check). Targets: each under 20 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.reading import device_positions as dp
from bookorbit_desktop.library.reading.rows import insert_events
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ALIAS_CONTENT, Book, DocumentAlias, database

T0 = 1_760_000_000


def fill(events: int, books: int, devices: int) -> int:
    now = time.time()
    with database.atomic():
        ids = []
        for number in range(books):
            book = Book.create(
                title=f"Book {number}", sort_title=f"book {number}", identifiers={},
                added_at=now, updated_at=now,
            )  # fmt: skip
            DocumentAlias.create(
                document=f"{number:032x}", kind=ALIAS_CONTENT, book=book, created_at=now
            )
            ids.append(book.id)
        rows = []
        hot = events // 100
        for index in range(events):
            number = 0 if index < hot else index % books
            device = index % devices
            rows.append(
                (
                    f"{number:032x}", ids[number], f"Device {device}", f"ID{device}",
                    (index % 1000) / 1000, f"/body/DocFragment[{index % 40 + 1}]/body/p",
                    T0 + index, None, None, None,
                )
            )  # fmt: skip
        insert_events(rows)
    return ids[0]


def median_ms(call: Callable[[], object], runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--books", type=int, default=2_000)
    parser.add_argument("--devices", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = resolve_paths(Path(folder))
        open_database(paths.db_file)
        book_id = fill(args.events, args.books, args.devices)
        seen, _ = dp.resets_since(0)
        figures = {
            "events": args.events,
            "device_positions_ms": median_ms(lambda: dp.device_positions(book_id)),
            "reset_ms": median_ms(lambda: dp.reset_progress(book_id, now=T0)),
            "resets_since_ms": median_ms(lambda: dp.resets_since(seen)),
        }
        close_database()
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{figures['events']:,} pushes")
    for key in ("device_positions_ms", "reset_ms", "resets_since_ms"):
        print(f"{key[:-3].replace('_', ' ')}: {figures[key]:.2f} ms")


if __name__ == "__main__":
    main()
