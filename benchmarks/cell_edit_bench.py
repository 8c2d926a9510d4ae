"""Editing a cell of the library table at scale: what F2 reads before its editor shows (on the
window's thread) and what Enter's save takes (off it), per editable column.

    python benchmarks/cell_edit_bench.py [--books 250000] [--edits 20]

A generated library (`generated_library`, with reading states and details) in a temporary
folder; for each column, `--edits` random books are opened and saved with a new value through
`services.library.cell_edits`, the window's own path. Prints the median and the slowest of each.
"""

from __future__ import annotations

import argparse
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
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.services.library.cell_edits import CellEditService

# Two values each column takes in turn, so every save changes the book.
VALUES = {
    "title": ("Alpha", "Beta"),
    "authors": ("Ann Leckie", "Iain Banks & Ann Leckie"),
    "series": ("Saga #2", "Saga #3"),
    "tags": ("a, b", "c"),
    "rating": ("4.5", "3"),
    "publisher": ("Tor", "Orbit"),
    "pages": ("320", "412"),
}


def _ms(call: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    call(*args)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=250_000)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cell-edit-bench-") as folder:
        paths = resolve_paths(folder)
        paths.ensure()
        open_database(paths.db_file)
        try:
            insert_books(args.books, random.Random(42), files=True, states=True, details=True)
            cells, rng = CellEditService(paths), random.Random(1)
            print(f"{args.books:,} books, {args.edits} edits a column (ms: median / slowest)")
            for key, values in VALUES.items():
                opens, saves = [], []
                for n in range(args.edits):
                    book = rng.randint(1, args.books)
                    opens.append(_ms(cells.text, book, key))
                    saves.append(_ms(cells.save, book, key, values[n % 2]))
                print(
                    f"{key:10} F2 reads {statistics.median(opens):5.1f} / {max(opens):5.1f}"
                    f"   save {statistics.median(saves):5.1f} / {max(saves):5.1f}"
                )
        finally:
            close_database()


if __name__ == "__main__":
    main()
