"""Edit ▸ Redo of a tidy in a process killed with SIGKILL before each of its file-system steps
and each write to the library database, then the next start's repair and what the user does
next (Redo again, or Undo Last Tidy): every file once, where the tidy put it or where it was,
where the library says, its notes beside it, nothing half-written, and the tidy's step done
exactly when every file is where the tidy put it."""

from __future__ import annotations

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.files import mover
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.library.files.file_child import run_child
from tests.library.files.tidied import consistent, kept, leftovers, paths, tidied


def _undone(data) -> None:
    """The tidy taken back by Edit ▸ Undo, as the user does before a Redo."""
    open_database(resolve_paths(data).db_file)
    try:
        assert run.undo(resolve_paths(data)) is not None
    finally:
        close_database()


@pytest.mark.parametrize("across", [False, True], ids=["same drive", "across drives"])
@pytest.mark.parametrize("stopped", [False, True], ids=["one run", "a stopped run and its end"])
def test_a_redo_killed_at_any_step_is_finished_by_the_next_redo(tmp_path, stopped, across, request):
    """After a kill at an odd step the user chooses Redo, at an even one Undo Last Tidy (each
    kill starts from the same undone tidy, laid out again, and is followed by one of the two)."""
    drive = request.getfixturevalue("other_drive") if across else tmp_path
    base = tmp_path / "run"
    data, before, after, _killed = tidied(base, drive / "run" / "Library", 0 if stopped else None)
    _undone(data)
    lay_out = kept([base] if drive == tmp_path else [base, drive / "run"], tmp_path / "kept")
    step, finished = 0, False
    while not finished:
        step += 1
        then = "undo last tidy" if step % 2 == 0 else "edit redo"
        lay_out()
        child = run_child(data, "redo", kill_at=step, writes=True)
        finished = child.returncode == 0
        assert finished or child.returncode == -9, child.stderr[-2000:]
        open_database(resolve_paths(data).db_file)
        try:
            mover.recover()  # the next start repairs first
            consistent(before, after, redoing=True)
            if then == "undo last tidy" and paths() != before:
                mover.undo_last(allow_copy=True)
                consistent(before, after)
                assert steps.next_undo() is None
            if paths() != after:
                assert run.redo(resolve_paths(data)) is not None
            assert paths() == after
            consistent(before, after, redoing=True)
            assert steps.next_redo() is None and steps.next_undo() is not None
            assert leftovers(base, drive) == []
            run.undo(resolve_paths(data))  # and the tidy is whole for Undo again
            assert paths() == before
            consistent(before, after)
        finally:
            close_database()
    assert step > 6  # each file's rename, its notes, the folders, the database's writes
