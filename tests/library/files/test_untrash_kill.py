"""The undo of a removal whose files went to the trash (on another drive, or the same), killed
with SIGKILL before each of its steps (file-system steps and database writes), then `undo` on
the command line: each file is back where it was, once, with its book; nothing half-copied is
left in the user's folder or the trash; and the command says what happened."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.editing.removal import remove_books, repair_files
from bookorbit_desktop.library.editing.trash import freedesktop
from bookorbit_desktop.library.files import safe
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import BookFile
from tests.factories import add_book, make_epub
from tests.library.files.file_child import run_child
from tests.library.files.test_trash_undo_kill import cli
from tests.new_library import new_library

pytestmark = pytest.mark.skipif(not freedesktop(), reason="the freedesktop trash")


BOOKS = {"Emma": "emma.epub", "Persuasion": "persuasion.epub"}


def _removed(base: Path, drive: Path) -> tuple[Path, dict[int, Path], Path]:
    """A library in `base` whose two books, on `drive`, were removed in one step, their files
    to the trash in `base`: (data folder, each book's file by its id, the trash)."""
    data = base / "data"
    data.mkdir(parents=True)
    new_library(resolve_paths(data).db_file)
    open_database(resolve_paths(data).db_file)
    try:
        files = {}
        for title, name in BOOKS.items():
            path = make_epub(drive / "in" / name, title, ["Jane Austen"])
            files[add_book(title, ["Jane Austen"], file=path).id] = path
        trash = base / "Trash"
        removed = remove_books(list(files), resolve_paths(data), trash_files=True, trash=trash)
        assert len(removed.trashed) == len(files)
    finally:
        close_database()
    return data, files, trash


def _parts(*roots: Path) -> list[str]:
    return [
        os.path.join(folder, name)
        for root in roots
        for folder, _dirs, names in os.walk(root)
        for name in names
        if name.startswith(safe.TEMP_PREFIX)
    ]


@pytest.mark.parametrize("across", [True, False], ids=["across drives", "same drive"])
def test_an_undo_of_a_removal_killed_at_any_step_is_undone_by_the_next(tmp_path, across, request):
    other_drive = request.getfixturevalue("other_drive") if across else tmp_path / "drive"
    wrong: list[str] = []  # every kill point whose outcome is not as it should be
    step, finished = 0, False
    while not finished:
        step += 1
        base, drive = tmp_path / f"run{step}", other_drive / f"run{step}"
        data, files, trash = _removed(base, drive)
        whole = {name: (trash / "files" / name).read_bytes() for name in BOOKS.values()}
        child = run_child(data, "edit-undo", kill_at=step, writes=True)
        finished = child.returncode == 0
        assert finished or child.returncode == -9, child.stderr[-2000:]
        undone = cli(data, "undo")
        assert undone.returncode == 0, undone.stderr
        said = undone.stdout.strip()
        if finished:
            expected = "Nothing to undo."
        else:
            back = [
                f"“{t}”: its file is back from the trash at {drive / 'in' / n}."
                for t, n in BOOKS.items()
            ]
            expected = "\n".join(["Undid Remove 2 Books.", *back])
        open_database(data / "library.sqlite3")
        try:
            state = {
                book_id: [
                    (f.path, f.missing) for f in BookFile.select().where(BookFile.book == book_id)
                ]
                for book_id in files
            }
        finally:
            close_database()
        problems = [
            *(f".part left: {part}" for part in _parts(base, drive)),
            *([f"said {said!r}"] if said != expected else []),
            *(
                [f"library: {state}"]
                if state != {b: [(str(p), False)] for b, p in files.items()}
                else []
            ),
            *(
                f"not back: {p}"
                for p in files.values()
                if not p.is_file() or p.read_bytes() != whole[p.name]
            ),
            *(f"left in the trash: {n}" for f in ("files", "info") for n in os.listdir(trash / f)),
        ]
        if problems:
            wrong.append(f"kill {step}: {'; '.join(problems)}")
    assert wrong == [], f"{len(wrong)} of {step} kill points:\n" + "\n".join(wrong)
    assert step > (8 if across else 5)  # the copies' steps, the trash's, the transactions


def test_the_repair_of_a_killed_undo_killed_at_any_step_is_finished_by_the_next(
    tmp_path, other_drive
):
    """Each undo killed after it journaled its files, then the repair that puts them back
    killed at each of its steps, then the next repair: the library is as the removal left it,
    each file whole in the trash, no half copy and nothing at the files' old places."""
    repaired = 0
    for undo_at in range(2, 17):  # after the journal's own transaction
        at, finished = 0, False
        while not finished:
            at += 1
            base, drive = tmp_path / f"u{undo_at}r{at}", other_drive / f"u{undo_at}r{at}"
            data, files, trash = _removed(base, drive)
            whole = {name: (trash / "files" / name).read_bytes() for name in BOOKS.values()}
            child = run_child(data, "edit-undo", kill_at=undo_at, writes=True)
            if child.returncode == 0:
                return  # past the undo's last step
            assert child.returncode == -9, child.stderr[-2000:]
            child = run_child(data, "repair", kill_at=at, writes=True)
            finished = child.returncode == 0
            assert finished or child.returncode == -9, child.stderr[-2000:]
            open_database(data / "library.sqlite3")
            try:
                repair_files()
                assert BookFile.select().count() == 0, (undo_at, at)
            finally:
                close_database()
            assert _parts(base, drive) == [], (undo_at, at)
            assert not any(path.exists() for path in files.values()), (undo_at, at)
            assert {n: (trash / "files" / n).read_bytes() for n in BOOKS.values()} == whole
            assert sorted(os.listdir(trash / "info")) == sorted(f"{n}.trashinfo" for n in whole)
            repaired += 1
    assert repaired > 30
