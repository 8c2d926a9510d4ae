"""A tidy run is a step of the change journal: Undo (the Edit menu's, the command line's)
moves its files back, Redo moves them again, and Undo Last Tidy undoes the step too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bookorbit_desktop.library.files import mover
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book, make_epub
from tests.library.files.books import add_with_notes


def _paths() -> list[str]:
    return [f.path for f in BookFile.select().order_by(BookFile.id)]


@pytest.fixture
def tidied(library, tmp_path):
    set_setting("library.tidy_folder", str(tmp_path / "Library"))
    add_with_notes(tmp_path / "in")
    before = _paths()
    mover.tidy(mover.preview())
    return before, _paths()


def test_undo_and_redo_take_a_tidy_back_and_make_it_again(library, tidied):
    before, after = tidied
    (step,) = steps.history()
    assert step.label == "Tidy File Names (2 files)" and run.moves_files()
    assert run.describe(step)[0].endswith(f"→ {after[0]}")

    done = run.undo(library)
    assert done is not None and done.text() == "Undid Tidy File Names (2 files)."
    assert _paths() == before and all(os.path.isfile(p) for p in before)
    assert all(Path(p).with_suffix(".sdr").joinpath("metadata.epub.lua").is_file() for p in before)

    assert run.moves_files(redo=True)
    run.redo(library)
    assert _paths() == after and all(os.path.isfile(p) for p in after)
    run.undo(library)  # the redo's batch is the one taken back now
    assert _paths() == before


def test_undo_last_tidy_takes_the_step_back_too(library, tidied):
    """The tidy's own undo marks its step undone: Edit ▸ Undo offers the step before it (none
    here), and Redo makes the tidy again."""
    before, after = tidied
    mover.undo_last()
    assert _paths() == before
    assert steps.next_undo() is None
    (step,) = steps.history()
    assert step.undone_at is not None and steps.next_redo() == step
    assert run.undo(library) is None
    run.redo(library)
    assert _paths() == after
    mover.undo_last()  # the redo's batch, taken back by the tidy's own undo again
    assert _paths() == before and steps.next_undo() is None


def test_undo_last_tidy_leaves_the_steps_before_it_to_edit_undo(library, tidied, tmp_path):
    before, _after = tidied
    set_setting("library.tidy_folder", str(tmp_path / "Other"))
    mover.tidy(mover.preview())  # a second tidy, its own step
    first, second = sorted(steps.history(), key=lambda step: step.id)
    mover.undo_last()  # the second tidy
    assert steps.next_undo() == steps.get_step(first.id)
    assert steps.next_redo() == steps.get_step(second.id)
    back = _paths()
    done = run.undo(library)  # Edit ▸ Undo: the first tidy, but only the last can be
    assert done is not None and done.label == first.label
    assert done.skipped == ("only the last tidy can be moved back, and it already was",)
    assert _paths() == back != before


def test_a_later_run_that_moved_nothing_does_not_hide_the_tidy_before(library, tidied, tmp_path):
    """A later run whose only move was refused makes a batch but no step, and is no tidy to
    undo: the step's undo (and Undo Last Tidy) take back the tidy before it."""
    before, _after = tidied
    blocked = add_book("Zed", ["Z"], file=make_epub(tmp_path / "in" / "z.epub", "Zed"))
    (planned,) = mover.preview()
    Path(planned.rename.new).parent.mkdir(parents=True, exist_ok=True)
    Path(planned.rename.new).write_text("in the way")
    assert mover.tidy([planned]).failed  # a batch, no step
    assert mover.undo_preview() == (2, 0)
    done = run.undo(library)
    assert done is not None and done.text() == "Undid Tidy File Names (2 files)."
    assert _paths()[:2] == before and blocked.id
