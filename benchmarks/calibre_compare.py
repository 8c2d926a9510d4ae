"""Import speed against calibre's: the same generated EPUBs through `bookorbit-desktop import`
and through calibre's `calibredb add -r`, in interleaved pairs, each into a fresh library.

    python benchmarks/calibre_compare.py [--count 2000] [--pairs 3] [--keep DIR] [--json]

Needs calibre's command-line tools (`calibredb`; Debian's `apt-get install calibre` gives
calibre 6.13). Each pair runs both imports back to back, calibre first in odd pairs and last in
even ones, so a machine that slows down during the run weighs on both alike. calibre runs with a
configuration folder of its own under the work folder, so the user's calibre settings are
neither read nor changed. Prints each side's files/s and CPU a file (the process and its
children), and the ratio per pair with its median and spread. Goal: >= 25x calibre.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.import_bench import generate, import_process

GOAL = ">= 25x calibre"


def calibre_import(books: Path, work: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) of one `calibredb add -r` of `books` into a fresh library."""
    library, config = work / "calibre-library", work / "calibre-config"
    for folder in (library, config):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    env = {**os.environ, "CALIBRE_CONFIG_DIRECTORY": str(config), "QT_QPA_PLATFORM": "offscreen"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        ["calibredb", "add", "-r", "--library-path", str(library), str(books)],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def ours(books: Path, work: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) of one `bookorbit-desktop import` of `books` into a fresh one;
    SystemExit unless it imported every file."""
    data_dir = work / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    seconds, _largest, _together, line, cpu = import_process(books, data_dir)
    count = sum(1 for _ in books.rglob("*.epub"))
    if f"Import: {count} new," not in line:
        raise SystemExit(f"the import did not add all {count} books: {line or 'no log line'}")
    return seconds, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="number of EPUBs (2000)")
    parser.add_argument("--pairs", type=int, default=3, help="interleaved pairs (3)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it afterwards")
    parser.add_argument("--json", action="store_true", help="end with the figures as JSON")
    args = parser.parse_args()
    if shutil.which("calibredb") is None:
        raise SystemExit("calibredb is not installed (Debian: apt-get install calibre)")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bookorbit-calibre-"))
    try:
        books = work / "books"
        if not books.is_dir() or sum(1 for _ in books.rglob("*.epub")) != args.count:
            shutil.rmtree(books, ignore_errors=True)
            generate(books, args.count)
        os.sync()  # the corpus's write-back is neither side's
        print(f"{args.count} EPUBs; load average before: {os.getloadavg()[0]:.2f}")
        ratios, rates = [], {"bookorbit": [], "calibre": []}
        for pair in range(args.pairs):
            sides = [("calibre", calibre_import), ("bookorbit", ours)]
            results = {}
            for name, run in sides if pair % 2 == 0 else reversed(sides):
                seconds, cpu = run(books, work)
                results[name] = args.count / seconds
                rates[name].append(args.count / seconds)
                print(
                    f"pair {pair + 1} {name:9s} {seconds:8.2f} s = {args.count / seconds:7.1f}"
                    f" files/s, CPU {cpu * 1000 / args.count:6.2f} ms a file",
                    flush=True,
                )
            ratios.append(results["bookorbit"] / results["calibre"])
        ratio = statistics.median(ratios)
        print(
            f"bookorbit / calibre: {ratio:.1f}x (pairs {min(ratios):.1f}-{max(ratios):.1f}x),"
            f" goal {GOAL}; load average after: {os.getloadavg()[0]:.2f}"
        )
        if args.json:
            figures = {
                "import against calibre": f"{ratio:.1f}x",
                "calibre files/s": f"{statistics.median(rates['calibre']):,.1f} files/s",
            }
            print(json.dumps({"figures": figures, "goals": {"import against calibre": GOAL}}))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
