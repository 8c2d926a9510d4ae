"""Tidy against what a hostile or unlucky folder does: notes that cannot move (a folder made
immutable, as a read-only copy from a device behaves for a normal user), an original that
cannot be deleted after its copy, a run stopped and finished by a second run, a sidecar that
is a link, a file named like a sidecar, and a file already at the target when a copy is rolled
back. Real files; `chattr +i` stands for folders BookOrbit may not change (root ignores
permissions)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bookorbit_desktop.library.files import journal, mover, safe, sidecars
from bookorbit_desktop.library.files.journal import SKIPPED
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book, make_epub


def _paths() -> dict[int, str]:
    return {f.id: f.path for f in BookFile.select().order_by(BookFile.id)}


@pytest.fixture
def immutable():
    """`immutable(folder)`: nothing in `folder` can be renamed or deleted until the test ends."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    made: list[Path] = []

    def freeze(folder: Path) -> None:
        run = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
        if run.returncode:
            pytest.skip(f"this file system keeps no immutable flag: {run.stderr.strip()}")
        made.append(folder)

    yield freeze
    for folder in made:
        subprocess.run(["chattr", "-i", str(folder)], check=False)


def test_notes_that_cannot_move_keep_the_book_where_it_was(library_folder, tmp_path, immutable):
    book = add_book("Emma", ["Jane Austen"], file=make_epub(tmp_path / "in" / "e.epub", "Emma"))
    (tmp_path / "in" / "e.sdr").mkdir()
    (tmp_path / "in" / "e.sdr" / "metadata.epub.lua").write_text("notes")
    immutable(tmp_path / "in" / "e.sdr")
    result = mover.tidy(mover.preview())
    (_move, why), *_ = result.failed
    assert why.startswith(f"KOReader's notes in {tmp_path / 'in' / 'e.sdr'} could not be moved")
    assert _paths()[book.files[0].id] == str(tmp_path / "in" / "e.epub")
    assert (tmp_path / "in" / "e.epub").is_file()
    assert list(library_folder.rglob("*.epub")) == []


def test_an_original_that_cannot_be_deleted_is_kept_and_undo_drops_the_copy(
    library, tmp_path, immutable, other_drive
):
    original = make_epub(tmp_path / "in" / "e.epub", "Emma", ["Jane Austen"])
    book = add_book("Emma", ["Jane Austen"], file=original)
    set_setting("library.tidy_folder", str(other_drive))
    immutable(original.parent)
    result = mover.tidy(mover.preview(), allow_copy=True)
    assert len(result.done) == 1 and not result.failed
    ((_move, why),) = result.kept
    assert why.startswith(f"the original was kept: {original} (")
    copy = Path(_paths()[book.files[0].id])
    assert copy.read_bytes() == original.read_bytes()
    assert len(mover.undo_last().done) == 1  # the copy goes, the records go back
    assert _paths()[book.files[0].id] == str(original) and not copy.exists()


def test_a_stopped_tidy_and_the_run_that_finished_it_are_undone_together(library_folder, tmp_path):
    before = {}
    for title in ("Dune", "Emma"):
        path = make_epub(tmp_path / "in" / f"{title}.epub", title)
        before[add_book(title, ["A"], file=path).files[0].id] = str(path)
    planned = mover.preview()
    journal.start_batch([p.rename for p in planned], [journal.MOVE, journal.MOVE])
    first = planned[0].rename
    Path(first.new).parent.mkdir(parents=True, exist_ok=True)
    os.rename(first.old, first.new)  # the process stopped after its first file
    mover.tidy(mover.preview())  # repairs the first batch, then moves the rest
    assert [m.state for m in journal.moves() if m.batch_id == 1] == ["done", SKIPPED]
    assert all(path.startswith(str(library_folder)) for path in _paths().values())
    assert mover.undo_preview() == (2, 0)
    result = mover.undo_last()
    assert len(result.done) == 2 and not result.failed
    assert _paths() == before
    with pytest.raises(mover.NothingToUndoError):
        mover.undo_last()


def test_redo_makes_a_stopped_tidy_and_the_run_that_finished_it_again(library, tmp_path):
    """Their one step names both runs' moves: Edit ▸ Undo takes back both, Redo makes both."""
    set_setting("library.tidy_folder", str(tmp_path / "Library"))
    for title in ("Dune", "Emma"):
        add_book(title, ["A"], file=make_epub(tmp_path / "in" / f"{title}.epub", title))
    before = _paths()
    planned = mover.preview()
    journal.start_batch([p.rename for p in planned], [journal.MOVE, journal.MOVE])
    first = planned[0].rename
    Path(first.new).parent.mkdir(parents=True, exist_ok=True)
    os.rename(first.old, first.new)  # the process stopped after its first file
    mover.tidy(mover.preview())
    after = _paths()
    (step,) = steps.history()
    assert step.label == "Tidy File Names (2 files)"
    run.undo(library)
    assert _paths() == before
    done = run.redo(library)
    assert done is not None and not done.skipped
    assert _paths() == after and all(os.path.isfile(path) for path in after.values())
    run.undo(library)
    assert _paths() == before and all(os.path.isfile(path) for path in before.values())


def test_a_sidecar_that_is_a_link_is_linked_anew(library_folder, tmp_path):
    notes = tmp_path / "device-notes" / "e.sdr"
    notes.mkdir(parents=True)
    (notes / "metadata.epub.lua").write_text("notes")
    add_book("Emma", ["Jane Austen"], file=make_epub(tmp_path / "in" / "e.epub", "Emma"))
    (tmp_path / "in" / "e.sdr").symlink_to(os.path.relpath(notes, tmp_path / "in"))
    assert not mover.tidy(mover.preview()).failed
    moved = library_folder / "Jane Austen" / "Emma.sdr"
    assert moved.is_symlink() and (moved / "metadata.epub.lua").read_text() == "notes"
    assert not os.path.lexists(tmp_path / "in" / "e.sdr")
    assert len(mover.undo_last().done) == 1
    assert (tmp_path / "in" / "e.sdr" / "metadata.epub.lua").read_text() == "notes"


def test_a_file_named_like_a_sidecar_does_not_hold_back_a_book_without_notes(
    library_folder, tmp_path
):
    book = add_book("Emma", ["Jane Austen"], file=make_epub(tmp_path / "in" / "e.epub", "Emma"))
    assert not mover.tidy(mover.preview()).failed
    (tmp_path / "in" / "e.sdr").write_text("not a folder")
    assert len(mover.undo_last().done) == 1
    assert _paths()[book.files[0].id] == str(tmp_path / "in" / "e.epub")
    assert (tmp_path / "in" / "e.sdr").read_text() == "not a folder"


def test_a_rolled_back_copy_leaves_a_file_that_was_already_there(library, tmp_path):
    """An identical note already at the target stands for its source during a copy; when the
    copy is rolled back, that note (which the copy did not write) stays."""
    old, new = tmp_path / "a" / "e.epub", tmp_path / "b" / "e.epub"
    for folder in (old.parent, new.parent):
        (folder / "e.sdr").mkdir(parents=True)
        (folder / "e.sdr" / "metadata.epub.lua").write_text("same")
    (old.parent / "e.sdr" / "cover.jpg").write_text("c")
    sidecars.copy(str(old), str(new), move_id=7)
    assert (new.parent / "e.sdr" / "cover.jpg").read_text() == "c"
    sidecars.roll_back(7)
    assert (new.parent / "e.sdr" / "metadata.epub.lua").read_text() == "same"
    assert not (new.parent / "e.sdr" / "cover.jpg").exists()
    assert safe.copies_of_move(7) == []


def test_removing_a_book_a_stopped_tidy_moved_trashes_it_where_it_is(library_folder, tmp_path):
    from bookorbit_desktop.library.editing.removal import remove_books
    from bookorbit_desktop.library.editing.trash import freedesktop

    if not freedesktop():
        pytest.skip("the freedesktop trash")
    book = add_book("Emma", ["Jane Austen"], file=make_epub(tmp_path / "in" / "e.epub", "Emma"))
    (planned,) = mover.preview()
    journal.start_batch([planned.rename], [journal.MOVE])
    Path(planned.rename.new).parent.mkdir(parents=True)
    os.rename(planned.rename.old, planned.rename.new)  # the process stopped here
    bin_ = tmp_path / "Trash"
    from bookorbit_desktop.config import resolve_paths

    result = remove_books([book.id], resolve_paths(tmp_path / "data"), trash_files=True, trash=bin_)
    assert result.trashed == [planned.rename.new]
    assert (bin_ / "files" / "Emma.epub").is_file() and not Path(planned.rename.new).exists()
