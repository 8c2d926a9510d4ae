"""Undo Last Tidy in a process killed with SIGKILL before each of its file-system steps, then
the next Undo Last Tidy or Edit ▸ Undo: every file is back once, where the library says, and the
tidy's change-journal step is undone exactly when every file is back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.files import mover, safe
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book, make_epub
from tests.library.files.file_child import run_child


def _paths() -> list[str]:
    return [f.path for f in BookFile.select().order_by(BookFile.id)]


def _tidied(base: Path, stopped: bool) -> tuple[Path, list[str], list[str]]:
    """A library of two books with notes, tidied (`stopped`: by a run killed after the first
    book and the run that finished it): its data folder, the paths before, after."""
    data = base / "data"
    data.mkdir(parents=True)
    open_database(resolve_paths(data).db_file)
    set_setting("library.tidy_folder", str(base / "Library"))
    for title in ("Dune", "Emma"):
        path = make_epub(base / "in" / f"{title}.epub", title)
        add_book(title, ["A"], file=path)
        path.with_suffix(".sdr").mkdir()
        (path.with_suffix(".sdr") / "metadata.epub.lua").write_text(title)
    before = _paths()
    close_database()
    kill_at = 0
    while stopped and _paths_after(data) == before:  # the first kill after a file moved
        kill_at += 1
        assert run_child(data, "tidy", kill_at=kill_at).returncode == -9
    open_database(resolve_paths(data).db_file)
    mover.tidy(mover.preview())
    after = _paths()
    close_database()
    return data, before, after


def _paths_after(data: Path) -> list[str]:
    """The library's paths once a repair ran."""
    open_database(resolve_paths(data).db_file)
    try:
        mover.recover()
        return _paths()
    finally:
        close_database()


def _consistent(before: list[str], after: list[str]) -> None:
    """Each file is at its recorded path and nowhere else, its notes beside it; the tidy's step
    is undone exactly when every file is back."""
    now = _paths()
    for path, old, new in zip(now, before, after, strict=True):
        assert path in (old, new)
        other = new if path == old else old
        assert os.path.isfile(path) and not os.path.lexists(other), (path, other)
        assert Path(path).with_suffix(".sdr").joinpath("metadata.epub.lua").is_file()
    (step,) = steps.history()
    assert (step.undone_at is not None) == (now == before), (now, step)


@pytest.mark.parametrize("stopped", [False, True], ids=["one run", "a stopped run and its end"])
@pytest.mark.parametrize("then", ["undo last tidy", "edit undo"])
def test_an_undo_last_tidy_killed_at_any_step_is_finished_by_the_next_undo(tmp_path, then, stopped):
    step, finished = 0, False
    while not finished:
        step += 1
        base = tmp_path / f"run{step}"
        data, before, after = _tidied(base, stopped)
        child = run_child(data, "undo", kill_at=step)
        finished = child.returncode == 0
        assert finished or child.returncode == -9, child.stderr[-2000:]
        open_database(data / "library.sqlite3")
        try:
            mover.recover()  # any later file operation repairs first
            _consistent(before, after)
            if then == "undo last tidy" and _paths() != before:
                mover.undo_last()
            elif then == "edit undo":
                run.undo(resolve_paths(data))
            assert _paths() == before
            _consistent(before, after)
            assert steps.next_undo() is None and steps.next_redo() is not None
            assert [p for p in base.rglob("*") if p.name.startswith(safe.TEMP_PREFIX)] == []
        finally:
            close_database()
    assert step > 4  # each file's rename, its notes, the folders
