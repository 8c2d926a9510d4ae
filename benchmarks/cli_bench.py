"""Command-line speed: listing, one book, and changing many books in one process.

    python benchmarks/cli_bench.py [--books 2000] [--edits 50]

Builds a library of N books (as benchmarks/ui_startup.py does), then runs the real command in a
fresh process each time and prints the wall time of: `books`, `books --json`, `book ID`
(median of 5), --edits status changes done one process per book, the same changes as one
`book ID ID ...` process, and `book --all-unread` over the whole library.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ui_startup import build_library  # noqa: E402


def timed(data_dir: Path, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data_dir), *args]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed: {done.stderr.decode()[-400:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bookorbit-cli-bench-") as folder:
        data = Path(folder) / "data"
        build_library(data, args.books)
        ids = [str(book_id) for book_id in range(1, args.edits + 1)]
        print(f"library: {args.books:,} books")
        print(f"  books                 {timed(data, 'books'):6.2f} s")
        print(f"  books --json          {timed(data, 'books', '--json'):6.2f} s")
        one = statistics.median(timed(data, "book", "1") for _ in range(5))
        print(f"  book ID               {one:6.2f} s  (median of 5)")
        each = sum(timed(data, "book", book_id, "--status", "reading") for book_id in ids)
        per_book = each / args.edits
        print(f"  {args.edits} edits, a process each {each:6.2f} s  ({per_book:.2f} s per book)")
        batch = timed(data, "book", *ids, "--status", "read")
        per_book = batch / args.edits * 1000
        print(f"  {args.edits} edits, one process    {batch:6.2f} s  ({per_book:.1f} ms per book)")
        every = timed(data, "book", "--all-unread", "--status", "want_to_read")
        print(f"  book --all-unread     {every:6.2f} s  (every unread book of {args.books:,})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
