"""Writing a book with several languages into its EPUB file, attacked from outside with real
processes and real files: a kill at every step, another program replacing or removing the book
while it is written, a full disk where the book lives, the book on another drive."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.file_write import (
    backed_up,
    backups_dir,
    restore_backups,
    write_into_files,
)
from bookorbit_desktop.library.editing.removal import repair_files
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.files import safe
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.metadata.reader import read_metadata
from bookorbit_desktop.library.reading.pushes import resolve_document
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import BookFile
from tests.factories import add_book, make_epub
from tests.library.files.file_child import namespaces_or_skip, run_child
from tests.new_library import new_library

LANGUAGES = ("fr", "en", "pt-BR")


def _library(base: Path, book: Path) -> tuple[Path, int]:
    """A data folder whose one book, at `book`, has several languages to write."""
    data = base / "data"
    data.mkdir(parents=True)
    paths = resolve_paths(data)
    new_library(paths.db_file)
    open_database(paths.db_file)
    try:
        row = add_book("Dune", ["Frank Herbert"], file=book)
        edit_books([row.id], BookChanges(title="Dune (edited)", language=LANGUAGES), paths)
    finally:
        close_database()
    return data, row.id


def _temps(*roots: Path) -> list[Path]:
    return [p for root in roots for p in root.rglob(f"{safe.TEMP_PREFIX}*")]


@pytest.mark.parametrize("clash", ["replaced", "removed"])
def test_a_book_another_program_changes_during_the_write_keeps_that_program_s_version(
    tmp_path, clash
):
    """Another program replaces (or removes) the book before each file step of the write, up
    to the rename: what it left is never lost or undone. A replaced book is either written
    from its new version (kept as the backup) or left as that program left it, with the
    reason; a removed book is never brought back. Only a change in the instant between the
    last check and the rename itself goes unseen (no portable rename checks what it
    replaces)."""
    step, renamed = 0, False
    while not renamed:
        step += 1
        base = tmp_path / f"run{step}"
        path = make_epub(base / "books" / "dune.epub", "Dune", ["Frank Herbert"])
        theirs = make_epub(base / "theirs.epub", "Dune", ["Frank Herbert"], body="Their edit.")
        data, book_id = _library(base, path)
        other = f'cp "{theirs}" "{path}.new" && mv "{path}.new" "{path}"'
        if clash == "removed":
            other = f'rm "{path}"'
        run = run_child(data, "write", book_id, kill_at=step, clash=other)
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-2000:]
        assert "CLASH before" in run.stderr, step  # the sweep ends at the rename
        renamed = "CLASH before replace" in run.stderr
        if renamed:
            continue
        out = json.loads(run.stdout)
        backups = [b.read_bytes() for b in backups_dir(resolve_paths(data)).glob("*")]
        if clash == "removed":
            assert not path.exists() and backups == [], (step, out)
        elif path.read_bytes() != theirs.read_bytes():
            assert out == {"done": 1} and backups == [theirs.read_bytes()], (step, out)
            assert read_metadata(path).languages == list(LANGUAGES)
        if "error" in out:
            assert out["error"].startswith(f"{path} was not changed: "), (step, out)
            assert backups == [], (step, out)
        assert _temps(base) == [], step
    assert step > 3


def test_a_full_disk_where_the_book_lives_leaves_it_as_it_was(tmp_path):
    """The book's own drive (a 1 MB tmpfs, in a private mount namespace) has no room for the
    written copy: the user is told the disk is full, the book keeps its bytes, no temporary
    file is left on that drive and no backup in the library's."""
    namespaces_or_skip()
    stage = make_epub(tmp_path / "stage" / "big.epub", "Dune", ["Frank Herbert"])
    with zipfile.ZipFile(stage, "a") as archive:  # 600 KB that do not compress
        archive.writestr("OEBPS/noise.bin", os.urandom(600 << 10), zipfile.ZIP_STORED)
    books = tmp_path / "books"
    path = books / "big.epub"
    shutil.copytree(stage.parent, books)
    data, book_id = _library(tmp_path, path)
    small = f'mount -t tmpfs -o size=1m tmpfs "{books}" && cp -p "{stage}" "{path}"'
    listing = f'ls -A "{books}" && cmp "{stage}" "{path}" && echo same'
    run = run_child(data, "write", book_id, setup=small, after=listing)
    result, *left = run.stdout.splitlines()
    assert json.loads(result) == {
        "error": f"{path} was not changed: the disk holding {books} is full."
    }, run.stderr[-2000:]
    assert left == ["big.epub", "same"]  # the book untouched, nothing else on its drive
    assert list(backups_dir(resolve_paths(data)).iterdir()) == []


def test_a_book_on_another_drive_is_written_there(tmp_path):
    """The book on another file system than the library (/dev/shm): the new file is made in
    the book's own folder and renamed there, with every language, and its backup is the old
    book."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs /dev/shm on a file system of its own")
    folder = Path(tempfile.mkdtemp(dir=shm))
    try:
        path = make_epub(folder / "dune.epub", "Dune", ["Frank Herbert"])
        before = path.read_bytes()
        data, book_id = _library(tmp_path, path)
        run = run_child(data, "write", book_id)
        assert json.loads(run.stdout) == {"done": 1}, run.stderr[-2000:]
        assert read_metadata(path).languages == list(LANGUAGES)
        assert os.listdir(folder) == ["dune.epub"]
        backups = list(backups_dir(resolve_paths(data)).iterdir())
        assert [b.read_bytes() for b in backups] == [before]
    finally:
        shutil.rmtree(folder)


def _run_library(tmp_path: Path, step: int) -> tuple[Path, Path, bytes, Path, int]:
    """A library of its own for the run killed at `step`: its folder, the book's path and
    bytes, the data folder and the book's id."""
    base = tmp_path / f"run{step}"
    path = make_epub(base / "books" / "dune.epub", "Dune", ["Frank Herbert"])
    before = path.read_bytes()
    data, book_id = _library(base, path)
    return base, path, before, data, book_id


def test_a_write_killed_at_any_step_leaves_the_book_whole_and_the_library_agreeing(tmp_path):
    """The write killed with SIGKILL before each file step and each database write, then the
    repair the window and the command line run as they start: the book is the old file or the
    whole new one with every language, the library records the file that is there (its size
    and KOReader document id), no temporary file is left, writing again succeeds, and putting
    the backups back one by one ends at the old file."""
    step, finished = 0, False
    while not finished:
        step += 1
        base, path, before, data, book_id = _run_library(tmp_path, step)
        run = run_child(data, "write", book_id, kill_at=step, writes=True)
        finished = run.returncode == 0
        assert finished or run.returncode == -9, run.stderr[-2000:]
        paths = resolve_paths(data)
        open_database(paths.db_file)
        try:
            repair_files()
            if path.read_bytes() != before:
                assert read_metadata(path).languages == list(LANGUAGES), step
            row = BookFile.get(BookFile.book == book_id)
            assert (row.size, row.partial_md5) == (path.stat().st_size, partial_md5(path)), step
            assert resolve_document(row.partial_md5).book_id == book_id
            assert _temps(base) == [], step
            write_into_files(paths, book_id)
            assert read_metadata(path).languages == list(LANGUAGES)
            while backed_up(paths, [book_id]):
                restore_backups(paths, book_id)
            assert path.read_bytes() == before, step
        finally:
            close_database()
    assert step > 10


def test_a_read_only_book_is_left_as_it_is_and_the_user_told_why(tmp_path):
    """The user made the book read-only (its folder still writable, so a rename could replace
    it): the write is refused with that reason, the book keeps its bytes and its mode, and
    neither a backup nor a temporary file is left."""
    path = make_epub(tmp_path / "books" / "dune.epub", "Dune", ["Frank Herbert"])
    before = path.read_bytes()
    data, book_id = _library(tmp_path, path)
    os.chmod(path, 0o444)
    run = run_child(data, "write", book_id)
    assert json.loads(run.stdout) == {"error": f"{path} was not changed: the file is read-only."}, (
        run.stderr[-2000:]
    )
    assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert list(backups_dir(resolve_paths(data)).iterdir()) == [] and _temps(tmp_path) == []


def test_a_restore_killed_at_any_step_can_be_finished(tmp_path):
    """Restore File from Backup killed with SIGKILL before each file step and database write,
    then the repair run at start: the book is the written file or the old one, the library
    records the file that is there, and restoring again finishes, ending at the old file with
    no backup left (a backup already put back is not refused as a changed book)."""
    step, finished = 0, False
    while not finished:
        step += 1
        base, path, before, data, book_id = _run_library(tmp_path, step)
        paths = resolve_paths(data)
        open_database(paths.db_file)
        try:
            write_into_files(paths, book_id)
        finally:
            close_database()
        written = path.read_bytes()
        run = run_child(data, "restore", book_id, kill_at=step, writes=True)
        finished = run.returncode == 0
        assert finished or run.returncode == -9, run.stderr[-2000:]
        open_database(paths.db_file)
        try:
            repair_files()
            assert path.read_bytes() in (before, written), step
            row = BookFile.get(BookFile.book == book_id)
            assert (row.size, row.partial_md5) == (path.stat().st_size, partial_md5(path)), step
            assert _temps(base) == [], step
            if backed_up(paths, [book_id]):
                restore_backups(paths, book_id)
            assert path.read_bytes() == before and not backed_up(paths, [book_id]), step
        finally:
            close_database()
    assert step > 5


def test_a_repair_started_by_another_process_leaves_a_running_write_alone(tmp_path):
    """The command line (or the window) starting beside a running write repairs what stopped
    processes left, before each file step of that write: the running write's temporary files
    are not taken for leftovers, and it finishes."""
    step, clashed = 0, True
    while clashed:
        step += 1
        base = tmp_path / f"run{step}"
        path = make_epub(base / "books" / "dune.epub", "Dune", ["Frank Herbert"])
        data, book_id = _library(base, path)
        repair = (
            f"env -u KILL_AT -u CLASH -u KILL_WRITES {sys.executable} -m"
            f' tests.library.files.file_child "{data / "library.sqlite3"}" "{data}" repair'
        )
        run = run_child(data, "write", book_id, kill_at=step, clash=repair)
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-2000:]
        clashed = "CLASH before" in run.stderr
        assert json.loads(run.stdout.splitlines()[-1]) == {"done": 1}, (step, run.stdout)
        assert read_metadata(path).languages == list(LANGUAGES), step
        assert len(list(backups_dir(resolve_paths(data)).iterdir())) == 1, step
        assert _temps(base) == [], step
    assert step > 5
