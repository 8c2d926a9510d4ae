"""Undo on the command line after a removal that moved files to the trash was killed: the
command finishes the removal's trash intents first (as the window does as it starts), so the
undo brings the file back from the trash with the book."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book, BookFile
from tests.factories import add_book, make_epub
from tests.library.files.file_child import run_child
from tests.new_library import new_library

ROOT = Path(__file__).resolve().parents[3]


def cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data), *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _library(base: Path) -> tuple[Path, Path, int]:
    data = base / "data"
    data.mkdir(parents=True)
    new_library(resolve_paths(data).db_file)
    open_database(resolve_paths(data).db_file)
    path = make_epub(base / "in" / "emma.epub", "Emma", ["Jane Austen"])
    book = add_book("Emma", ["Jane Austen"], file=path)
    close_database()
    return data, path, book.id


def test_undo_on_the_command_line_after_a_removal_killed_once_its_file_moved(tmp_path, monkeypatch):
    from bookorbit_desktop.library.editing.trash import freedesktop

    if not freedesktop():
        pytest.skip("the freedesktop trash")
    after_move, step, finished = 0, 0, False
    while not finished:
        step += 1
        base = tmp_path / f"run{step}"
        data, path, book_id = _library(base)
        before = path.read_bytes()
        trash = base / "Trash"
        monkeypatch.setenv("TRASH", str(trash))
        run = run_child(data, "remove", book_id, kill_at=step, writes=True)
        finished = run.returncode == 0
        assert finished or run.returncode == -9, run.stderr[-2000:]
        if finished or path.exists():
            continue  # killed before the file moved: other tests cover it
        after_move += 1
        undone = cli(data, "undo")
        assert undone.returncode == 0, undone.stderr
        assert "Undid Remove" in undone.stdout
        assert f"its file is back from the trash at {path}" in undone.stdout, undone.stdout
        assert path.read_bytes() == before
        assert list((trash / "files").iterdir()) == []
        assert list((trash / "info").iterdir()) == []
        open_database(data / "library.sqlite3")
        try:
            assert Book.get_or_none(Book.id == book_id) is not None
            (file,) = BookFile.select().where(BookFile.book == book_id)
            assert file.path == str(path) and not file.missing
        finally:
            close_database()
    assert after_move >= 2  # kills between the file's move and the removal's last write
