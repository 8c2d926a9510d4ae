"""What the browser's kept counts (`store.category_tally_schema`) cost the writes that keep them.

    python benchmarks/tally_writes.py --folder DIR

Copies the library in DIR (one `category_counts.py --folder DIR` built: 250,000 books with
tags, dotted ones among them, and a tag-like custom column #genre) to a temporary folder and
times, each in one transaction, the bulk writes whose triggers keep the counts:

    tags set on 10,000 books            two tags each (one new), as Bulk Edit writes them
    credits moved (10,000)              each book's first credit given to one author
    tag renamed (10,000 books)          the new tag renamed to another path
    5,000 books removed                 with their credits, tags and values
    #genre written on 10,000 books      two values each
    #genre cleared on 10,000 books

and prints each in milliseconds. Run it on two commits (each on a copy of the same library) to
compare them.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.tags.store import set_tags_of


def timed(label: str, write: Callable[[], object]) -> None:
    start = time.perf_counter()
    with database.atomic("IMMEDIATE"):
        write()
    print(f"{label:<36}{(time.perf_counter() - start) * 1000:>10.1f}")


def _books(count: int, offset: int = 0) -> list[int]:
    rows = database.execute_sql("SELECT id FROM book ORDER BY id LIMIT ? OFFSET ?", (count, offset))
    return [book_id for (book_id,) in rows]


def _write(books: list[int], column_id: int, value: list[str] | None) -> None:
    for book_id in books:
        store.write(book_id, column_id, value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        copy = Path(temporary) / "library"
        shutil.copytree(args.folder, copy)
        open_database(resolve_paths(copy).db_file)  # a library of an older schema: migrated
        genre = store.by_label("genre")
        if genre is None:
            sys.exit("no #genre column: build the library with category_counts.py --folder")
        books = _books(10_000)
        print(f"{'':<36}{'ms':>10}")
        timed(
            "tags set on 10,000 books",
            lambda: set_tags_of({b: ["genre.g1.t1", "bulk.new"] for b in books}, time.time()),
        )
        moved = _books(10_000, 10_000)
        timed(
            "credits moved (10,000)",
            lambda: database.execute_sql(
                "UPDATE book_author SET author_id = (SELECT min(id) FROM author)"
                f" WHERE position = 0 AND book_id IN ({', '.join(map(str, moved))})"
            ),
        )
        timed(
            "tag renamed (10,000 books)",
            lambda: database.execute_sql(
                "UPDATE tag SET name = 'other.bulk' WHERE name = 'bulk.new'"
            ),
        )
        timed(
            "5,000 books removed",
            lambda: database.execute_sql(
                "DELETE FROM book WHERE id IN (SELECT id FROM book ORDER BY id DESC LIMIT 5000)"
            ),
        )
        values = ["genre.g1.t1", "new.one"]
        timed("#genre written on 10,000 books", lambda: _write(books, genre.id, values))
        timed("#genre cleared on 10,000 books", lambda: _write(books, genre.id, None))
        close_database()


if __name__ == "__main__":
    main()
