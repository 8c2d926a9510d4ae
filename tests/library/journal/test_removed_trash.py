"""Undo and Redo of a removal that moved files to the trash: a removal stopped before its
files reached the trash leaves them in place once undone (the next start does not trash the
restored book's files), and a redo's undo never takes another file out of the trash."""

from __future__ import annotations

import os

import pytest

from bookorbit_desktop.library.editing.removal import finish_trashing, remove_books
from bookorbit_desktop.library.editing.trash import freedesktop
from bookorbit_desktop.library.journal import run
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book
from tests.factories import add_book, make_epub
from tests.library.files.file_child import run_child

pytestmark = pytest.mark.skipif(not freedesktop(), reason="the freedesktop trash")


def test_an_undone_removal_stopped_before_the_trash_keeps_its_files(library, tmp_path, monkeypatch):
    path = make_epub(tmp_path / "in" / "emma.epub", "Emma", ["Jane Austen"])
    book = add_book("Emma", ["Jane Austen"], file=path)
    close_database()
    monkeypatch.setenv("TRASH", str(tmp_path / "Trash"))
    child = run_child(library.data_dir, "remove", book.id, kill_at=1)  # before any file moves
    assert child.returncode == -9, child.stderr[-2000:]
    open_database(library.db_file)
    assert Book.get_or_none(Book.id == book.id) is None and path.is_file()
    run.undo(library)
    assert Book.get_or_none(Book.id == book.id) is not None
    finish_trashing()  # what the next start does
    assert path.is_file()
    assert not (tmp_path / "Trash" / "files").exists() or not os.listdir(
        tmp_path / "Trash" / "files"
    )


def test_undo_after_a_redo_takes_no_other_file_out_of_the_trash(library, tmp_path):
    """The desktop's trash gets another file of the same name after a redo: the next undo of
    the removal leaves it in the trash."""
    from bookorbit_desktop.library.editing.trash import move_to_trash

    trash = tmp_path / "Trash"
    path = make_epub(tmp_path / "in" / "emma.epub", "Emma", ["Jane Austen"])
    book = add_book("Emma", ["Jane Austen"], file=path)
    remove_books([book.id], library, trash_files=True, trash=trash)
    run.undo(library)
    assert path.is_file()
    run.redo(library)  # removed again; its file stays where it is
    other = tmp_path / "elsewhere" / "emma.epub"
    other.parent.mkdir()
    other.write_text("another file of that name")
    assert move_to_trash(other, trash) == trash / "files" / "emma.epub"  # by the user
    run.undo(library)
    assert Book.get_or_none(Book.id == book.id) is not None and path.is_file()
    assert (trash / "files" / "emma.epub").read_text() == "another file of that name"
    assert not other.exists()


def test_undo_takes_out_of_the_trash_only_the_file_that_went_in(library, tmp_path):
    """The trash emptied since the removal, and another file from the same place trashed under
    the same name: the undo leaves it in the trash and says so; the book comes back without it."""
    from bookorbit_desktop.library.editing.trash import move_to_trash

    trash = tmp_path / "Trash"
    path = make_epub(tmp_path / "in" / "emma.epub", "Emma", ["Jane Austen"])
    book = add_book("Emma", ["Jane Austen"], file=path)
    assert remove_books([book.id], library, trash_files=True, trash=trash).trashed == [str(path)]
    for folder in ("files", "info"):  # the user empties the trash
        for name in os.listdir(trash / folder):
            os.remove(trash / folder / name)
    other = make_epub(path, "Not Emma", ["Someone Else"])
    other_bytes = other.read_bytes()
    assert move_to_trash(other, trash) == trash / "files" / "emma.epub"

    done = run.undo(library)
    assert done is not None and Book.get_or_none(Book.id == book.id) is not None
    (note,) = done.notes
    assert "is not the one removed with it" in note and str(path) in note
    assert not path.exists()
    assert (trash / "files" / "emma.epub").read_bytes() == other_bytes
    assert os.listdir(trash / "info") == ["emma.epub.trashinfo"]


def test_a_removal_killed_at_any_step_leaves_no_info_file_without_its_file(
    library, tmp_path, monkeypatch
):
    """Killed before each file-system step and each database write of a removal to the trash,
    then repaired as the next start does: every info file in the trash has its file, and the
    book's file is in exactly one place."""
    trash = tmp_path / "Trash"
    monkeypatch.setenv("TRASH", str(trash))
    close_database()
    for kill_at in range(1, 40):
        data = tmp_path / f"lib{kill_at}"
        data.mkdir()
        open_database(data / "library.sqlite3")
        path = make_epub(tmp_path / f"in{kill_at}" / "emma.epub", "Emma", ["Jane Austen"])
        book = add_book("Emma", ["Jane Austen"], file=path)
        content = path.read_bytes()
        close_database()
        child = run_child(data, "remove", book.id, kill_at=kill_at, writes=True)
        open_database(data / "library.sqlite3")
        finish_trashing()
        close_database()
        infos = os.listdir(trash / "info") if (trash / "info").exists() else []
        files = os.listdir(trash / "files") if (trash / "files").exists() else []
        assert sorted(name.removesuffix(".trashinfo") for name in infos) == sorted(files), kill_at
        copies = [trash / "files" / name for name in files] + [path] * path.is_file()
        assert [f.read_bytes() == content for f in copies] == [True], kill_at
        for name in files:  # the next point starts from an empty trash
            os.remove(trash / "files" / name)
            os.remove(trash / "info" / f"{name}.trashinfo")
        if child.returncode == 0:
            break
    else:
        raise AssertionError("the removal never finished")
    open_database(library.db_file)


_REPAIR = """
import json, sys
from pathlib import Path
from bookorbit_desktop.library.editing.trash import carry_out
from bookorbit_desktop.library.journal import removed
from bookorbit_desktop.library.store.db import open_database
open_database(Path(sys.argv[1]))
print(json.dumps(carry_out(removed.note_trashed)[1]))
"""


def test_another_process_repairing_meanwhile_never_moves_a_file_reserved_here(
    library, tmp_path, monkeypatch
):
    """A second process carries out the trash intents (a second removal, or a start's repair)
    just as this removal has reserved its file's place in the trash: the file is moved once,
    and neither process says it was not moved."""
    import contextlib
    import json
    import subprocess
    import sys

    from bookorbit_desktop.library.editing import trash as trash_module
    from tests.library.files.file_child import ROOT

    trash = tmp_path / "Trash"
    path = make_epub(tmp_path / "in" / "emma.epub", "Emma", ["Jane Austen"])
    book = add_book("Emma", ["Jane Austen"], file=path)
    real = trash_module.move_to_trash
    others: list[subprocess.Popen[str]] = []

    def racing(file, where=None, reserved=None):
        def hook(place):
            if reserved is not None:
                reserved(place)
            if not others:  # the other process starts now, and gets two seconds to finish
                command = [sys.executable, "-c", _REPAIR, str(library.db_file)]
                env = {**os.environ, "PYTHONPATH": str(ROOT)}
                others.append(subprocess.Popen(command, env=env, stdout=-1, stderr=-1, text=True))
                with contextlib.suppress(subprocess.TimeoutExpired):  # it waits for the lock
                    others[0].wait(timeout=2)

        return real(file, where, hook)

    monkeypatch.setattr(trash_module, "move_to_trash", racing)
    result = remove_books([book.id], library, trash_files=True, trash=trash)
    out, err = others[0].communicate(timeout=60)
    assert others[0].returncode == 0, err[-2000:]
    assert result.not_trashed == [] and result.trashed == [str(path)]
    assert json.loads(out) == []
    assert os.listdir(trash / "files") == ["emma.epub"]
    assert os.listdir(trash / "info") == ["emma.epub.trashinfo"]
