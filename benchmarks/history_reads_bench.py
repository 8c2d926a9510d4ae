"""Read splitting speed: what a Sync Now pays to find the reads of books in a large history.

    python benchmarks/history_reads_bench.py [--rows 1000000] [--books 2000]

Builds `--rows` page records over `--books` books in memory (each book read in sittings of
20-60 pages, 30-90 s a page, some read twice months apart), then prints the time
`library.history.splitting` takes to cut them into sessions and reads (target: under 1 s for
1,000,000 rows; a sync reads the history only for books whose dates it could complete).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bookorbit_desktop.library.history.splitting import split_reads, stretches

START = 1_600_000_000


def build(rows: int, books: int, seed: int = 7) -> list[list[tuple[int, int, int, int]]]:
    rng = random.Random(seed)
    per_book = rows // books
    found = []
    for _ in range(books):
        pages = per_book if rng.random() < 0.8 else per_book // 2  # some are read twice
        records = []
        start = START + rng.randint(0, 10**8)
        while len(records) < per_book:
            for page in range(1, pages + 1):
                if page % rng.randint(20, 60) == 0:
                    start += rng.randint(3_600 * 8, 3_600 * 40)  # the next sitting
                duration = rng.randint(30, 90)
                records.append((page, start, duration, pages))
                start += duration + 3
            start += 200 * 86_400  # read again months later
        found.append(records[:per_book])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--books", type=int, default=2000)
    args = parser.parse_args()
    books = build(args.rows, args.books)
    began = time.perf_counter()
    reads = sum(len(split_reads(stretches(rows, rows[0][3]))) for rows in books)
    took = time.perf_counter() - began
    print(f"{args.rows:,} rows over {args.books:,} books -> {reads:,} reads in {took:.2f} s")


if __name__ == "__main__":
    main()
