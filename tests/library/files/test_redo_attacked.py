"""Redo of a tidy, and the recording of its step, against what can go wrong between Undo and
Redo or at a bad moment: a process stopped between a run's files and its step, a full disk
where Redo copies the files to, a file put where one goes, a file deleted, a book removed."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.files import journal, mover, safe
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.settings import set_setting
from tests.library.files.books import add_with_notes
from tests.library.files.file_child import namespaces_or_skip, run_child
from tests.library.files.tidied import consistent, paths, too_big_for_a_small_drive


def test_a_tidy_stopped_before_its_step_was_written_gets_it_at_the_next_start(library, tmp_path):
    """The run's files moved and the process stopped before `tidy_record.record`: the next
    start's repair writes the step, so Edit ▸ Undo takes the tidy back as Undo Last Tidy would."""
    set_setting("library.tidy_folder", str(tmp_path / "Library"))
    add_with_notes(tmp_path / "in")
    before = paths()
    planned = mover.preview()
    mover.run_again([p.rename for p in planned], [journal.MOVE] * len(planned))  # no step
    after = paths()
    assert steps.history() == []
    mover.recover()  # the next start
    (step,) = steps.history()
    assert step.label == "Tidy File Names (2 files)"
    assert run.undo(library) is not None and paths() == before
    consistent(before, after)
    assert run.redo(library) is not None and paths() == after
    consistent(before, after, redoing=True)


def test_the_command_lines_undo_repairs_first(library, tmp_path, capsys):
    """`bookorbit-desktop undo` after a tidy stopped before its step: the tidy, not the step
    before it, is taken back."""
    from bookorbit_desktop.cli import main

    set_setting("library.tidy_folder", str(tmp_path / "Library"))
    add_with_notes(tmp_path / "in")
    before = paths()
    steps.open_step("edit", "Edit Title", time.time())  # a change before the tidy
    planned = mover.preview()
    mover.run_again([p.rename for p in planned], [journal.MOVE] * len(planned))  # no step
    close_database()
    try:
        assert main(["--data-dir", str(library.data_dir), "undo"]) == 0
    finally:
        open_database(library.db_file)
    assert capsys.readouterr().out.startswith("Undid Tidy File Names (2 files)")
    assert paths() == before


def test_a_tidy_older_than_the_latest_step_gets_no_step_again(library, tmp_path):
    """A tidy whose step is gone (dropped with the oldest steps, ended by a later action) is
    not written again as the latest step: Edit ▸ Undo keeps to the steps the user sees."""
    set_setting("library.tidy_folder", str(tmp_path / "Library"))
    add_with_notes(tmp_path / "in")
    mover.tidy(mover.preview())
    (tidy,) = steps.history()
    steps.open_step("edit", "Edit Title", time.time())  # a later step
    steps.delete_steps([tidy])
    later = steps.history()
    mover.recover()
    assert steps.history() == later


def test_a_redo_onto_a_full_disk_moves_nothing_and_keeps_the_step_for_redo(tmp_path, other_drive):
    """The library folder on another drive is full when Redo copies the books there: no
    partial file there, every book whole where it was and where the library says, and Redo
    still offers the tidy, which makes it once there is room."""
    namespaces_or_skip()
    data = tmp_path / "data"
    data.mkdir()
    open_database(resolve_paths(data).db_file)
    folder = other_drive / "Library"
    set_setting("library.tidy_folder", str(folder))
    too_big_for_a_small_drive(tmp_path / "in")
    before = paths()
    books = [Path(path).read_bytes() for path in before]
    mover.tidy(mover.preview(), allow_copy=True)
    after = paths()
    run.undo(resolve_paths(data))
    assert paths() == before
    close_database()
    mount = f'mkdir -p "{folder}" && mount -t tmpfs -o size=1m tmpfs "{folder}"'
    child = run_child(data, "redo", setup=mount, after=f'ls -A -R "{folder}"')
    result, *listing = child.stdout.splitlines()
    assert json.loads(result)["done"] == 0, child.stderr[-2000:]
    assert len(json.loads(result)["failed"]) == 2
    assert not any(line.startswith(safe.TEMP_PREFIX) for line in listing), listing
    assert not any(line.endswith(".epub") for line in listing), listing
    open_database(data / "library.sqlite3")
    try:
        mover.recover()
        assert paths() == before
        assert [Path(path).read_bytes() for path in before] == books
        (step,) = steps.history()
        assert steps.next_redo() == step and steps.next_undo() is None
        assert run.redo(resolve_paths(data)) is not None  # the folder has room again
        assert paths() == after and [Path(path).read_bytes() for path in after] == books
        assert steps.next_redo() is None and steps.next_undo() == steps.get_step(step.id)
    finally:
        close_database()


def _tidied_and_undone(library, tmp_path) -> tuple[list[str], list[str]]:
    set_setting("library.tidy_folder", str(tmp_path / "Library"))
    add_with_notes(tmp_path / "in")
    before = paths()
    mover.tidy(mover.preview())
    after = paths()
    assert run.undo(library) is not None and paths() == before
    return before, after


def test_a_file_put_where_redo_moves_one_stays_and_the_rest_is_made(library, tmp_path):
    """Redo leaves the file in the way and the book it would have replaced where it is, makes
    the rest of the tidy, and Undo takes back what it made; once the path is free again, Redo
    makes the whole tidy."""
    before, after = _tidied_and_undone(library, tmp_path)
    Path(after[1]).parent.mkdir(parents=True, exist_ok=True)
    Path(after[1]).write_bytes(b"put here since")
    done = run.redo(library)
    assert done is not None and done.skipped == (f"{before[1]}: a file is already at {after[1]}",)
    assert paths() == [after[0], before[1]] and os.path.isfile(before[1])
    assert Path(after[1]).read_bytes() == b"put here since"
    assert run.undo(library) is not None and paths() == before
    assert all(os.path.isfile(path) for path in before) and not os.path.exists(after[0])
    Path(after[1]).unlink()
    assert run.redo(library) is not None and paths() == after
    consistent(before, after, redoing=True)


def test_a_file_deleted_between_undo_and_redo_is_left_out(library, tmp_path):
    before, after = _tidied_and_undone(library, tmp_path)
    os.remove(before[1])
    done = run.redo(library)
    assert done is not None and done.skipped == (f"{before[1]}: {before[1]} is not there any more",)
    assert paths() == [after[0], before[1]] and os.path.isfile(after[0])
    assert Path(after[0]).with_suffix(".sdr").joinpath("metadata.epub.lua").is_file()
    assert Path(before[1]).with_suffix(".sdr").is_dir()  # its notes stay where the book was
    assert run.undo(library) is not None and paths() == before and os.path.isfile(before[0])


def test_a_book_removed_between_undo_and_redo_ends_the_redo(library, tmp_path):
    """Removing a book is a change of its own: it ends what could be redone, the tidy among it.
    Undo Last Tidy has nothing left to take back, and the removed book's file stays put."""
    from bookorbit_desktop.library.editing.removal import remove_books

    before, _after = _tidied_and_undone(library, tmp_path)
    books = [book_id for (book_id,) in journal.database.execute_sql("SELECT id FROM book")]
    remove_books([books[1]], library)
    assert steps.next_redo() is None and steps.next_undo().kind == "remove"
    assert mover.undo_preview() == (0, 0)
    assert paths() == [before[0]] and os.path.isfile(before[1])


def test_redo_makes_a_file_the_stopped_run_and_its_end_both_moved_go_to_its_last_path(
    library, tmp_path
):
    """The library folder changed between a stopped run and the run that finished it, which
    moved the stopped run's file on: Redo puts that file where the second run put it, in one
    move, and Undo takes it from there back to where it was."""
    set_setting("library.tidy_folder", str(tmp_path / "First"))
    add_with_notes(tmp_path / "in")
    before = paths()
    planned = mover.preview()
    journal.start_batch([p.rename for p in planned], [journal.MOVE, journal.MOVE])
    first = planned[0].rename
    Path(first.new).parent.mkdir(parents=True)
    os.rename(first.old, first.new)  # the process stopped after its first file's book
    os.rename(Path(first.old).with_suffix(".sdr"), Path(first.new).with_suffix(".sdr"))
    set_setting("library.tidy_folder", str(tmp_path / "Second"))
    mover.tidy(mover.preview())  # repairs the stopped run, then moves both into Second
    after = paths()
    assert all(path.startswith(str(tmp_path / "Second")) for path in after)
    assert steps.history()[0].label == "Tidy File Names (2 files)"
    assert run.undo(library) is not None and paths() == before
    consistent(before, after)
    done = run.redo(library)
    assert done is not None and done.skipped == ()
    assert paths() == after
    consistent(before, after, redoing=True)
    assert not (tmp_path / "First").exists() or not any((tmp_path / "First").rglob("*.epub"))
    assert run.undo(library) is not None and paths() == before
    consistent(before, after)
