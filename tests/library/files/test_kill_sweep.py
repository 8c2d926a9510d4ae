"""A process killed with SIGKILL before each file-system step of a cross-drive tidy and of a
metadata write, then the next run: every book byte and every KOReader note is where the library
says (or still where it was), nothing half-written carries a real name, no temporary file is
left. Then full disks and a read-only folder, each in a private mount namespace."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.editing.file_write import restore_backups
from bookorbit_desktop.library.files import mover, safe
from bookorbit_desktop.library.files.plan import sidecar
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book, make_epub
from tests.library.files.file_child import namespaces_or_skip, run_child
from tests.new_library import new_library

ROOT = Path(__file__).resolve().parents[3]
NOTES = {"metadata.epub.lua": "return {pos=1}", "metadata.epub.lua.old": "old", "c.txt": "n"}


def _leftovers(*roots: Path) -> list[str]:
    found = []
    for root in roots:
        for directory, _folders, files in os.walk(root):
            found += [os.path.join(directory, n) for n in files if n.startswith(safe.TEMP_PREFIX)]
    return found


def _setup_tidy(base: Path, target: Path) -> tuple[Path, dict[str, bytes]]:
    data = base / "data"
    data.mkdir(parents=True)
    paths = resolve_paths(data)
    new_library(paths.db_file)
    open_database(paths.db_file)
    book = make_epub(base / "in" / "emma.epub", "Emma", ["Jane Austen"])
    (base / "in" / "emma.sdr").mkdir()
    for name, text in NOTES.items():
        (base / "in" / "emma.sdr" / name).write_text(text)
    add_book("Emma", ["Jane Austen"], file=book)
    set_setting("library.tidy_folder", str(target))
    close_database()
    return data, {name: text.encode() for name, text in NOTES.items()} | {"book": book.read_bytes()}


def _whole(before: dict[str, bytes]) -> None:
    """The book at its recorded path has its bytes; every note is in its sidecar."""
    (row,) = BookFile.select()
    assert Path(row.path).read_bytes() == before["book"]
    for name in NOTES:
        assert Path(sidecar(row.path), name).read_bytes() == before[name], (row.path, name)


def test_a_cross_drive_tidy_killed_at_any_step_loses_nothing(tmp_path, other_drive):
    step, finished = 0, False
    while not finished:
        step += 1
        base = tmp_path / f"run{step}"
        library_target = other_drive / f"run{step}"
        data, before = _setup_tidy(base, library_target)
        run = run_child(data, "tidy-copy", kill_at=step)
        finished = run.returncode == 0
        assert finished or run.returncode == -9, run.stderr[-2000:]
        open_database(data / "library.sqlite3")
        try:
            _whole(before)  # as the killed process left it
            mover.tidy(mover.preview(), allow_copy=True)  # repairs first, then finishes
            _whole(before)
            (row,) = BookFile.select()
            assert row.path.startswith(str(library_target))
            assert not (base / "in" / "emma.epub").exists()
            assert not (base / "in" / "emma.sdr").exists()
            assert _leftovers(base, library_target) == []
        finally:
            close_database()
    assert step > 10  # every step of the copy, the record and the deletes was a kill point


def test_a_metadata_write_killed_at_any_step_leaves_the_book_whole(tmp_path):
    step, finished = 0, False
    while not finished:
        step += 1
        data = tmp_path / f"run{step}" / "data"
        data.mkdir(parents=True)
        paths = resolve_paths(data)
        new_library(paths.db_file)
        open_database(paths.db_file)
        path = make_epub(tmp_path / f"run{step}" / "dune.epub", "Dune", ["Frank Herbert"])
        before = path.read_bytes()
        book = add_book("Dune (edited)", ["Frank Herbert"], file=path)
        close_database()
        run = run_child(data, "write", book.id, kill_at=step)
        finished = run.returncode == 0
        assert finished or run.returncode == -9, run.stderr[-2000:]
        open_database(paths.db_file)
        try:
            safe.recover()
            assert _leftovers(path.parent, data) == []
            backups = list((data / "file-backups").glob("*")) if finished else []
            if finished:
                assert [b.read_bytes() for b in backups] == [before]
                restore_backups(paths, book.id)
                assert path.read_bytes() == before
            else:
                assert path.read_bytes() == before or b"Dune (edited)" in _opf(path)
        finally:
            close_database()
    assert step > 5


def _opf(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".opf"))


def test_a_backup_on_a_full_disk_leaves_nothing_and_says_so(tmp_path):
    """The backups' folder fills up: no partial backup, no temporary file, the book as it was."""
    namespaces_or_skip()
    data = tmp_path / "data"
    data.mkdir()
    paths = resolve_paths(data)
    open_database(paths.db_file)
    path = make_epub(tmp_path / "books" / "big.epub", "Big", ["A"])
    import zipfile

    with zipfile.ZipFile(path, "a") as archive:  # 3 MB that do not compress
        archive.writestr("OEBPS/noise.bin", os.urandom(3 << 20), zipfile.ZIP_STORED)
    before = path.read_bytes()
    book = add_book("Big (edited)", ["A"], file=path)
    close_database()
    backups = data / "file-backups"
    backups.mkdir()
    run = run_child(data, "write", book.id, setup=f'mount -t tmpfs -o size=1m tmpfs "{backups}"')
    out = json.loads(run.stdout)
    assert out["error"] == (
        f"{path} was not changed: its backup could not be made: the disk holding {backups} is full."
    )
    assert path.read_bytes() == before
    assert list(backups.iterdir()) == [] and _leftovers(path.parent) == []


def test_a_tidy_onto_a_full_disk_leaves_no_partial_file(tmp_path):
    namespaces_or_skip()
    target = tmp_path / "small"
    target.mkdir()
    data, _before = _setup_tidy(tmp_path / "lib", target)
    book = tmp_path / "lib" / "in" / "emma.epub"
    import zipfile

    with zipfile.ZipFile(book, "a") as archive:
        archive.writestr("OEBPS/noise.bin", os.urandom(2 << 20), zipfile.ZIP_STORED)
    mount = f'mount -t tmpfs -o size=1m tmpfs "{target}"'
    run = run_child(data, "tidy-copy", setup=mount, after=f'ls -A -R "{target}"')
    result, *listing = run.stdout.splitlines()  # the full disk, as the run left it
    (why,) = json.loads(result)["failed"]
    assert why == f"the disk holding {target / 'Jane Austen'} is full", why
    assert not any(line.startswith(safe.TEMP_PREFIX) for line in listing), listing
    assert book.is_file() and (tmp_path / "lib" / "in" / "emma.sdr" / "c.txt").is_file()


@pytest.mark.parametrize("across", [False, True], ids=["same drive", "trash on another drive"])
def test_a_removal_killed_at_any_step_leaves_the_file_in_the_library_or_in_the_trash(
    tmp_path, across, monkeypatch, request
):
    """`books remove --delete-file`, killed before each step: after the next start's repair,
    the book is either still in the library with its file, or removed with its file in the
    trash (with its info file, once); nothing half-moved, no stray info file."""
    from bookorbit_desktop.library.editing.removal import finish_trashing
    from bookorbit_desktop.library.editing.trash import freedesktop
    from bookorbit_desktop.library.store.models import Book

    if not freedesktop():
        pytest.skip("the freedesktop trash")
    shm = request.getfixturevalue("other_drive") if across else None
    step, finished = 0, False
    while not finished:
        step += 1
        base = tmp_path / f"run{step}"
        trash = (shm / f"run{step}" if shm else base) / "Trash"
        data = base / "data"
        data.mkdir(parents=True)
        new_library(resolve_paths(data).db_file)
        open_database(resolve_paths(data).db_file)
        path = make_epub(base / "in" / "emma.epub", "Emma", ["Jane Austen"])
        before = path.read_bytes()
        book = add_book("Emma", ["Jane Austen"], file=path)
        close_database()
        monkeypatch.setenv("TRASH", str(trash))
        run = run_child(data, "remove", book.id, kill_at=step)
        finished = run.returncode == 0
        assert finished or run.returncode == -9, run.stderr[-2000:]
        open_database(data / "library.sqlite3")
        try:
            mover.recover()
            finish_trashing()
            trashed = list((trash / "files").iterdir()) if (trash / "files").is_dir() else []
            infos = list((trash / "info").iterdir()) if (trash / "info").is_dir() else []
            if Book.get_or_none(Book.id == book.id) is not None:
                assert path.read_bytes() == before and trashed == [] and infos == []
            else:
                assert not path.exists()
                assert [t.read_bytes() for t in trashed] == [before]
                assert [i.name for i in infos] == [f"{trashed[0].name}.trashinfo"]
            assert _leftovers(base, trash) == []
        finally:
            close_database()
    assert step > (5 if across else 1)  # the moves and, across drives, the copy's steps
