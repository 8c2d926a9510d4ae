"""Undo Last Tidy in a process killed with SIGKILL before each of its file-system steps, then
the next Undo Last Tidy or Edit ▸ Undo: every file is back once, where the library says, and the
tidy's change-journal step is undone exactly when every file is back. Then a file in the way of
one going back, and a full disk where they go back to."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.files import mover, safe
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.settings import set_setting
from tests.library.files.file_child import namespaces_or_skip, run_child
from tests.library.files.tidied import (
    consistent,
    kept,
    leftovers,
    paths,
    tidied,
    too_big_for_a_small_drive,
)


@pytest.mark.parametrize("across", [False, True], ids=["same drive", "across drives"])
@pytest.mark.parametrize("stopped", [False, True], ids=["one run", "a stopped run and its end"])
@pytest.mark.parametrize("then", ["undo last tidy", "edit undo"])
def test_an_undo_last_tidy_killed_at_any_step_is_finished_by_the_next_undo(
    tmp_path, then, stopped, across, request
):
    drive = request.getfixturevalue("other_drive") if across else tmp_path
    base = tmp_path / "run"
    data, before, after, _killed = tidied(base, drive / "run" / "Library", 0 if stopped else None)
    lay_out = kept([base] if drive == tmp_path else [base, drive / "run"], tmp_path / "kept")
    step, finished = 0, False
    while not finished:
        step += 1
        lay_out()  # each kill starts from the same tidy
        child = run_child(data, "undo", kill_at=step)
        finished = child.returncode == 0
        assert finished or child.returncode == -9, child.stderr[-2000:]
        open_database(data / "library.sqlite3")
        try:
            mover.recover()  # any later file operation repairs first
            consistent(before, after)
            if then == "undo last tidy" and paths() != before:
                mover.undo_last(allow_copy=True)
            elif then == "edit undo":
                run.undo(resolve_paths(data))
            assert paths() == before
            consistent(before, after)
            assert steps.next_undo() is None and steps.next_redo() is not None
            assert leftovers(base, drive) == []
        finally:
            close_database()
    assert step > 4  # each file's rename, its notes, the folders


def test_a_file_put_at_an_original_path_keeps_the_step_until_every_file_is_back(tmp_path):
    """Undo Last Tidy moves back every file but one whose old path was taken meanwhile: the
    taken file is left alone, the step stays for Edit ▸ Undo, which takes the rest back once
    the path is free."""
    data, before, after, _stop = tidied(tmp_path, tmp_path / "Library")
    open_database(data / "library.sqlite3")
    try:
        Path(before[1]).write_bytes(b"put here since")
        result = mover.undo_last()
        assert len(result.done) == 1 and len(result.failed) == 1
        assert paths() == [before[0], after[1]]
        assert Path(before[1]).read_bytes() == b"put here since" and os.path.isfile(after[1])
        (step,) = steps.history()
        assert step.undone_at is None and steps.next_undo() == step
        Path(before[1]).unlink()
        done = run.undo(resolve_paths(data))
        assert done is not None and done.skipped == ()
        assert paths() == before
        consistent(before, after)
    finally:
        close_database()


def test_an_undo_onto_a_full_disk_moves_nothing_back_and_keeps_the_step(tmp_path, other_drive):
    """The books' old folder is full when Undo Last Tidy copies them back across drives: no
    partial file there, every book still whole where the library says, the step still done;
    once there is room the next undo takes the tidy and its step back."""
    namespaces_or_skip()
    data = tmp_path / "data"
    data.mkdir()
    open_database(resolve_paths(data).db_file)
    set_setting("library.tidy_folder", str(other_drive / "Library"))
    too_big_for_a_small_drive(tmp_path / "in")
    before = paths()
    mover.tidy(mover.preview(), allow_copy=True)
    after = paths()
    books = [Path(path).read_bytes() for path in after]
    close_database()
    folder = tmp_path / "in"
    mount = f'mount -t tmpfs -o size=1m tmpfs "{folder}"'
    child = run_child(data, "undo", setup=mount, after=f'ls -A -R "{folder}"')
    result, *listing = child.stdout.splitlines()
    assert json.loads(result) == {
        "done": 0,
        "failed": [f"the disk holding {folder} is full"] * 2,
    }, child.stderr[-2000:]
    assert not any(line.startswith(safe.TEMP_PREFIX) for line in listing), listing
    open_database(data / "library.sqlite3")
    try:
        mover.recover()
        assert paths() == after
        assert [Path(path).read_bytes() for path in after] == books
        (step,) = steps.history()
        assert step.undone_at is None
        mover.undo_last(allow_copy=True)  # the old folder has room again
        assert paths() == before and steps.next_undo() is None
        assert [Path(path).read_bytes() for path in before] == books
    finally:
        close_database()
