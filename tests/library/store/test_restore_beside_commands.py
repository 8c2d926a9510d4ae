"""A restore beside other commands, each the real command line in a process of its own: a
restore asked while an `import` writes is refused and the import completes; an `import` started
while a restore replaces the library waits for it, or is refused, and never writes into the
library being moved aside; a command killed with `kill -9` leaves no lock behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.library.store.backup import backup_library
from bookorbit_desktop.library.store.db import close_database
from bookorbit_desktop.library.store.restore import RestoreError, restore_library
from bookorbit_desktop.library.store.sharing import USE_FILENAME, USERS_FOLDER
from tests.factories import make_epub
from tests.library.files.file_child import ROOT
from tests.library.store.test_backup import filled, titles  # noqa: F401
from tests.library.store.test_restore_attack import left_behind, library_files

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

# The command line in a process of its own, held where the test says until a line arrives on
# its stdin (it prints "held" there): an import after writing its first book, inside the
# transaction; a restore once the library in use is kept, before the restored one is put in
# place; a backup once written. WAIT, when given, is how long a command waits for a restore.
HELD = """
import sys
from bookorbit_desktop.cli import main
from bookorbit_desktop.library.importer.writer import LibraryIndex
from bookorbit_desktop.library.store import restore, sharing

hold, wait, *argv = sys.argv[1:]
if wait:
    sharing.WAIT_SECONDS = float(wait)

def held(step):
    def until_told(*args):
        result = step(*args)
        print("held", flush=True)
        sys.stdin.readline()
        return result
    return until_told

if hold == "import":
    LibraryIndex.create_book = held(LibraryIndex.create_book)
elif hold == "restore":
    restore.keep_library = held(restore.keep_library)
elif hold == "backup":
    from bookorbit_desktop.cli import backup
    backup.backup_library = held(backup.backup_library)
sys.exit(main(argv))
"""

NEW_BOOK = "Middlemarch"


def command(data_dir: Path, *argv: str, hold: str = "", wait: str = "") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", HELD, hold, wait, "--data-dir", str(data_dir), *argv],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def held(process: subprocess.Popen) -> None:
    assert process.stdout is not None
    line = process.stdout.readline()
    if line != "held\n":
        out, err = process.communicate(timeout=30)
        pytest.fail(f"not held: {line}{out}{err[-2000:]}")


def finished(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate("\n", timeout=60)
    return process.returncode, out, err


@pytest.fixture
def backed_up(filled, tmp_path):  # noqa: F811
    """The `filled` library (Dune, Piranesi), closed; a backup of it; then Piranesi renamed
    Emma in the library in use, and a new book's file to import."""
    backup = backup_library(filled, tmp_path / "backup.zip").archive
    from bookorbit_desktop.library.store.models import Book

    Book.update(title="Emma").where(Book.title == "Piranesi").execute()
    close_database()
    book = make_epub(tmp_path / "books" / "middlemarch.epub", NEW_BOOK)
    return filled, backup, book


def test_a_restore_asked_during_an_import_is_refused_and_the_import_completes(backed_up):
    paths, backup, book = backed_up
    importing = command(paths.data_dir, "import", str(book), hold="import")
    try:
        held(importing)
        before = library_files(paths.data_dir)
        # Another command shares the library with the import, as the window and `serve` do.
        listing = subprocess.run(
            [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(paths.data_dir), "books"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert listing.returncode == 0, listing.stderr
        assert "Emma" in listing.stdout
        code, _, err = finished(command(paths.data_dir, "restore", str(backup)))
        assert code == 2
        assert f"is in use by `import` (pid {importing.pid}): a restore needs it" in err
        assert "Nothing was changed." in err
        assert library_files(paths.data_dir) == before
    finally:
        code, out, err = finished(importing)
    assert code == 0, err
    assert "1 new book imported" in out
    assert titles(paths.db_file) == ["Dune", "Emma", NEW_BOOK]
    assert left_behind(paths.data_dir) == []


def test_a_restore_asked_during_a_backup_is_refused(backed_up, tmp_path):
    paths, backup, _book = backed_up
    backing_up = command(paths.data_dir, "backup", str(tmp_path / "another.zip"), hold="backup")
    try:
        held(backing_up)
        code, _, err = finished(command(paths.data_dir, "restore", str(backup)))
        assert code == 2
        assert f"is in use by `backup` (pid {backing_up.pid})" in err
    finally:
        code, _, err = finished(backing_up)
    assert code == 0, err
    assert titles(paths.db_file) == ["Dune", "Emma"]


def test_a_killed_command_leaves_no_lock_behind(backed_up):
    paths, backup, book = backed_up
    importing = command(paths.data_dir, "import", str(book), hold="import")
    held(importing)
    os.kill(importing.pid, signal.SIGKILL)
    assert finished(importing)[0] == -signal.SIGKILL
    assert list((paths.data_dir / USERS_FOLDER).iterdir())  # its record stayed behind

    code, out, err = finished(command(paths.data_dir, "restore", str(backup)))
    assert code == 0, err
    assert "Restored 2 books" in out
    assert titles(paths.db_file) == ["Dune", "Piranesi"]
    assert list((paths.data_dir / USERS_FOLDER).iterdir()) == []  # recognised as unheld


def test_an_import_started_during_a_restore_waits_and_lands_in_the_restored_library(backed_up):
    paths, backup, book = backed_up
    restoring = command(paths.data_dir, "restore", str(backup), hold="restore", wait="60")
    try:
        held(restoring)
        importing = command(paths.data_dir, "import", str(book), wait="60")
        assert importing.stderr is not None
        assert importing.stderr.readline() == (
            "A restore is replacing the library: waiting for it to finish…\n"
        )
    finally:
        code, out, err = finished(restoring)
    assert code == 0, err
    assert "Restored 2 books" in out
    code, out, err = finished(importing)
    assert code == 0, err
    assert "1 new book imported" in out
    assert titles(paths.db_file) == ["Dune", NEW_BOOK, "Piranesi"]  # the restored one, and it
    (kept,) = paths.data_dir.glob("library.sqlite3.before-restore-*.bak")
    assert titles(kept) == ["Dune", "Emma"]  # the library replaced, as it was


def test_an_import_refused_during_a_long_restore_imports_nothing(backed_up):
    paths, backup, book = backed_up
    restoring = command(paths.data_dir, "restore", str(backup), hold="restore")
    try:
        held(restoring)
        code, out, err = finished(command(paths.data_dir, "import", str(book), wait="0.3"))
        assert code == 2
        assert (
            f"Library being restored: A restore is replacing the library in {paths.data_dir} "
            f"(pid {restoring.pid}). Nothing was done; run `import` again once it has finished."
        ) in err
        assert "imported" not in out
    finally:
        restored = finished(restoring)
    assert restored[0] == 0, restored[2]
    assert titles(paths.db_file) == ["Dune", "Piranesi"]
    (kept,) = paths.data_dir.glob("library.sqlite3.before-restore-*.bak")
    assert titles(kept) == ["Dune", "Emma"]


@pytest.mark.parametrize("kind", ["folder", "link loop"])
def test_a_lock_file_in_the_way_is_named_and_nothing_is_changed(backed_up, kind):
    """Something else where the sharing lock belongs: the restore names that file (not the
    data folder, which can be written) and leaves the library as it was."""
    paths, backup, _book = backed_up
    lock = paths.data_dir / USE_FILENAME
    lock.unlink(missing_ok=True)
    if kind == "folder":
        lock.mkdir()
    else:
        lock.symlink_to(lock.name)
    before = library_files(paths.data_dir)
    with pytest.raises(RestoreError) as refused:
        restore_library(paths, backup)
    assert refused.value.message.startswith(f"Could not use {lock} (")
    assert refused.value.message.endswith(
        "the file by which BookOrbit's commands share the library. Remove it while no "
        "BookOrbit command runs, then restore again. Nothing was changed."
    )
    assert library_files(paths.data_dir) == before
