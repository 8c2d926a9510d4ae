"""A few new or changed files among many unchanged ones: the unchanged files are decided before
any batch, savepoint or Ctrl-C guard, yet every file is reported once, in order, after the
files before it are committed; the folders are walked once for the quick answer and the run."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bookorbit_desktop.library.importer import finding, run, scan
from bookorbit_desktop.library.importer.complete import import_sources
from bookorbit_desktop.library.importer.run import ImportOutcome, ImportProgress, import_paths
from bookorbit_desktop.library.store.models import BookFile, database
from tests.factories import make_epub


def shelf_with_new_books(root: Path, library: Any) -> list[str]:
    """Twelve books imported, then three new ones whose names fall between them."""
    for number in range(0, 24, 2):
        make_epub(root / f"book-{number:02d}.epub", f"Book {number}")
    import_paths([root], library)
    new = [f"book-{number:02d}.epub" for number in (3, 11, 23)]
    for name in new:
        make_epub(root / name, f"New {name}")
    return new


def committed_books(db_file: Path) -> int:
    with sqlite3.connect(db_file) as other:
        return int(other.execute("SELECT COUNT(*) FROM book").fetchone()[0])


def test_each_file_is_reported_once_in_order_and_after_its_batch_commits(library, tmp_path):
    root = tmp_path / "books"
    new = shelf_with_new_books(root, library)
    seen: list[tuple[int, str, ImportOutcome, int]] = []

    def progress(event: ImportProgress) -> None:
        seen.append((event.done, event.path.name, event.outcome, committed_books(library.db_file)))

    summary = import_paths([root], library, progress=progress)
    assert (summary.imported, summary.unchanged, summary.total) == (3, 12, 15)
    assert [done for done, *_ in seen] == list(range(1, 16))
    assert [name for _, name, *_ in seen] == sorted(p.name for p in root.iterdir())
    outcomes = {name: outcome for _, name, outcome, _ in seen}
    assert [name for name, outcome in outcomes.items() if outcome == "imported"] == new
    # An unchanged file after a new one waits for that book's commit: a reader of the
    # library never sees it reported before the books reported ahead of it are there.
    imported_so_far = 0
    for _, _, outcome, books in seen:
        imported_so_far += outcome == ImportOutcome.IMPORTED
        assert books >= 12 + imported_so_far


@contextmanager
def counting_guards_and_savepoints(monkeypatch: Any) -> Iterator[dict[str, int]]:
    counts = {"guards": 0, "savepoints": 0}
    real_guard: Callable[[], Any] = run.interrupts_put_off

    @contextmanager
    def guard() -> Iterator[None]:
        counts["guards"] += 1
        with real_guard():
            yield

    def trace(statement: str) -> None:
        if statement.startswith("SAVEPOINT import_file"):
            counts["savepoints"] += 1

    monkeypatch.setattr(run, "interrupts_put_off", guard)
    connection = database.connection()
    connection.set_trace_callback(trace)
    try:
        yield counts
    finally:
        connection.set_trace_callback(None)


def test_unchanged_files_take_no_guard_and_no_savepoint(library, tmp_path, monkeypatch):
    root = tmp_path / "books"
    shelf_with_new_books(root, library)
    with counting_guards_and_savepoints(monkeypatch) as counts:
        summary = import_paths([root], library)
    assert (summary.imported, summary.unchanged) == (3, 12)
    assert counts == {"guards": 3, "savepoints": 3}


def test_a_file_marked_missing_and_found_again_is_recorded_back(library, tmp_path, monkeypatch):
    root = tmp_path / "books"
    shelf_with_new_books(root, library)
    BookFile.update(missing=True).where(BookFile.path == str(root / "book-04.epub")).execute()
    with counting_guards_and_savepoints(monkeypatch) as counts:
        summary = import_paths([root], library)
    assert (summary.imported, summary.unchanged) == (3, 12)
    assert counts == {"guards": 4, "savepoints": 4}  # the new books and the one found again
    assert not BookFile.select().where(BookFile.missing).exists()


@pytest.mark.parametrize("may_fork", [False, True], ids=["here", "by-a-child"])
def test_the_folders_are_walked_once(library, tmp_path, monkeypatch, may_fork):
    root = tmp_path / "books"
    shelf_with_new_books(root, library)
    walks = tmp_path / "walks"  # a line per walk, by whichever process walked
    real_walk = scan._walk

    def walk(folder: str, skipped: set[str]) -> tuple[list[str], int]:
        with walks.open("a") as record:
            record.write(f"{os.getpid() != here} {folder}\n")
        return real_walk(folder, skipped)

    here = os.getpid()
    monkeypatch.setattr(scan, "_walk", walk)
    monkeypatch.setattr(finding, "may_fork", lambda: may_fork)
    summary = import_sources([root], library)
    assert (summary.imported, summary.unchanged) == (3, 12)
    assert walks.read_text() == f"{may_fork} {root}\n"
    again = import_sources([root], library)  # all unchanged now: the quick answer
    assert (again.imported, again.unchanged) == (0, 15)
    assert walks.read_text() == f"{may_fork} {root}\n" * 2
