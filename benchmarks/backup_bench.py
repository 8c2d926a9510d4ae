"""Backup and restore speed with a large library.

    python benchmarks/backup_bench.py [--books 10000] [--cover-kb 40]

Builds a library of N books (as benchmarks/ui_startup.py does) with one cover file of
--cover-kb kilobytes per book, then times `backup_library` to a zip file and
`restore_library` from it into a fresh data folder, and prints the archive size.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ui_startup import build_library  # noqa: E402

from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.library.store.backup import backup_library  # noqa: E402
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from bookorbit_desktop.library.store.models import Book, database  # noqa: E402
from bookorbit_desktop.library.store.restore import restore_library  # noqa: E402


def add_covers(data_dir: Path, size: int) -> int:
    paths = resolve_paths(data_dir)
    open_database(paths.db_file)
    try:
        ids = [book.id for book in Book.select(Book.id)]
        for book_id in ids:
            (paths.covers_dir / f"{book_id}.jpg").write_bytes(os.urandom(size))
        with database.atomic():
            database.execute_sql("UPDATE book SET cover_path = 'covers/' || id || '.jpg'")
    finally:
        close_database()
    return len(ids)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--cover-kb", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bookorbit-backup-bench-") as folder:
        tmp = Path(folder)
        build_library(tmp / "data", args.books)
        covers = add_covers(tmp / "data", args.cover_kb * 1024)
        paths = resolve_paths(tmp / "data")
        database_mb = paths.db_file.stat().st_size / 1e6
        print(f"library: {args.books:,} books, {database_mb:.1f} MB database, {covers:,} covers")

        start = time.perf_counter()
        summary = backup_library(paths, tmp / "backup.zip")
        backup_s = time.perf_counter() - start
        start = time.perf_counter()
        restored = restore_library(resolve_paths(tmp / "restored"), summary.archive)
        restore_s = time.perf_counter() - start
        if (restored.books, restored.covers) != (args.books, covers):
            raise SystemExit(f"restored {restored.books} books and {restored.covers} covers")
        print(f"  backup      {backup_s:7.2f} s   archive {summary.size / 1e6:.1f} MB")
        print(f"  restore     {restore_s:7.2f} s   (checks the archive, then replaces)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
