"""A restore under attack: killed at each step, a full drive, hostile backups, clashes. Each
leaves one whole library in place (the old one or the restored one) or a next start that
refuses and names the file to put back; nothing of the user's is lost or mixed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.backup import backup_library
from bookorbit_desktop.library.store.db import LibraryOpenError, close_database, open_database
from bookorbit_desktop.library.store.models import Book
from tests.library.files.file_child import ROOT
from tests.library.store.test_backup import filled, titles  # noqa: F401

# Runs `restore` as the command line does, in its own process, killed (SIGKILL, as `kill -9`)
# before its Nth file-system step: the steps of `file_child`, and each folder made (one for
# each cover extracted). With "copy", it is killed halfway through the database's extraction.
KILLED_RESTORE = """
import os, shutil, signal, sys
from tests.library.files import file_child
from bookorbit_desktop.cli import main

data_dir, backup, kill_at = sys.argv[1:]
if kill_at == "copy":
    copy = shutil.copyfileobj

    def half(source, out, *args):
        out.write(source.read(4096))
        out.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    shutil.copyfileobj = half
else:
    file_child.STEPS = (*file_child.STEPS, "mkdir")
    file_child._arm(int(kill_at), False)
sys.exit(main(["--data-dir", data_dir, "restore", backup]))
"""

OLD_COVER = b"\xff\xd8\xff\xe0 the cover of the library in use"
RESTORED_COVER = b"\xff\xd8\xff\xe0 a jpeg cover"  # the `filled` library's, in the backup
OLD = ["Dune", "Emma", "Piranesi"]
RESTORED = ["Dune", "Piranesi"]
# One library with its own covers, or with none (each is made again from its book when shown).
WHOLE = ((OLD, OLD_COVER), (OLD, None), (RESTORED, RESTORED_COVER), (RESTORED, None))


def killed_restore(data_dir: Path, backup: Path, kill_at: object) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", KILLED_RESTORE, str(data_dir), str(backup), str(kill_at)]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(data_dir.parent)}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def in_use_with_its_journal(filled, tmp_path):  # noqa: F811
    """A backup of `filled`, then `filled` changed as the app left it when it was killed: a new
    book and a new cover committed to the journal (-wal), not yet folded into the file."""
    backup = backup_library(filled, tmp_path / "backup.zip").archive
    (dune,) = Book.select().where(Book.title == "Dune")
    (filled.data_dir / dune.cover_path).write_bytes(OLD_COVER)
    close_database()
    writer = f"""
import os, sqlite3
from bookorbit_desktop.library.search.fold import SQL_FOLD, fold_value
db = sqlite3.connect({str(filled.db_file)!r}, isolation_level=None)
db.create_function(SQL_FOLD, 1, fold_value, deterministic=True)
db.execute("PRAGMA wal_autocheckpoint=0")
db.execute("INSERT INTO book (title, sort_title, identifiers, added_at, updated_at) "
           "VALUES ('Emma', 'emma', '{{}}', 0, 0)")
os._exit(0)  # killed: the journal stays beside the file
"""
    subprocess.run([sys.executable, "-c", writer], check=True, cwd=ROOT)
    assert Path(f"{filled.db_file}-wal").stat().st_size > 0
    return backup


def next_start(data_dir: Path) -> tuple[list[str], bytes | None] | Path:
    """What the next start finds: the titles and Dune's cover of the library it opens, or the
    file its refusal names (which must exist)."""
    paths = resolve_paths(data_dir)
    try:
        open_database(paths.db_file)
    except LibraryOpenError as refused:
        said = [Path(w.rstrip(".,")) for w in refused.message.split() if w.startswith("/")]
        named = [path for path in said if path != paths.db_file]
        assert named and named[0].is_file(), refused.message
        return named[0]
    try:
        found = [book.title for book in Book.select().order_by(Book.title)]
        dune = Book.get_or_none(Book.title == "Dune")
        cover = paths.data_dir / dune.cover_path if dune else None
        return found, cover.read_bytes() if cover and cover.is_file() else None
    finally:
        close_database()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_restore_killed_at_any_step_leaves_one_whole_library(filled, tmp_path):  # noqa: F811
    backup = in_use_with_its_journal(filled, tmp_path)
    origin = tmp_path / "origin"
    subprocess.run(["cp", "-a", str(filled.data_dir), str(origin)], check=True)
    outcomes: list[object] = []
    step, finished = 0, False
    while not finished:
        step += 1
        data = tmp_path / f"run{step}"
        subprocess.run(["cp", "-a", str(origin), str(data)], check=True)
        run = killed_restore(data, backup, step)
        finished = run.returncode == 0
        assert finished or run.returncode == -9, run.stderr[-2000:]
        found = next_start(data)
        assert not isinstance(found, Path), f"step {step}: a library is in place"
        outcomes.append(found)
        assert found in WHOLE, f"step {step}"
    assert outcomes[0] == (OLD, OLD_COVER) and outcomes[-1] == (RESTORED, RESTORED_COVER)
    assert step > 10


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_first_restore_killed_never_points_at_a_half_library(filled, tmp_path):  # noqa: F811
    """Into a new data folder: the next start makes a new library only while no checked
    restored copy exists; when it refuses, the file it names is the whole restored library."""
    backup = backup_library(filled, tmp_path / "backup.zip").archive
    close_database()
    step, finished = 0, False
    while not finished:
        step += 1
        data = tmp_path / f"run{step}"
        run = killed_restore(data, backup, "copy" if step == 1 else step - 1)
        finished = run.returncode == 0
        assert finished or run.returncode == -9, run.stderr[-2000:]
        found = next_start(data)
        if isinstance(found, Path):
            assert titles(found) == RESTORED, f"step {step}"
        else:
            assert found in (([], None), *WHOLE[2:]), f"step {step}"
    assert next_start(data) == (RESTORED, RESTORED_COVER)
