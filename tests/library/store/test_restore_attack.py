"""A restore under attack: killed at each step, a full drive, hostile backups, clashes. Each
leaves one whole library in place (the old one or the restored one) or a next start that
refuses and names the file to put back; nothing of the user's is lost or mixed."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import struct
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import Paths, resolve_paths
from bookorbit_desktop.library.search.fold import SQL_FOLD, fold_value
from bookorbit_desktop.library.store import restore as restores
from bookorbit_desktop.library.store.backup import backup_library
from bookorbit_desktop.library.store.db import LibraryOpenError, close_database, open_database
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.restore import RestoreError, restore_library
from tests import forked
from tests.library.files.file_child import ROOT
from tests.library.store.damaged import scribbled
from tests.library.store.test_backup import filled, fingerprint, titles  # noqa: F401
from tests.library.store.test_backup_file import small_drive  # noqa: F401

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

# What KILLED_RESTORE imports, loaded once by the fork server that starts it (`tests.forked`).
RESTORE_PRELOAD = (
    "bookorbit_desktop.cli",
    "bookorbit_desktop.cli.backup",
    "tests.library.files.file_child",
)

OLD_COVER = b"\xff\xd8\xff\xe0 the cover of the library in use"
RESTORED_COVER = b"\xff\xd8\xff\xe0 a jpeg cover"  # the `filled` library's, in the backup
OLD = ["Dune", "Emma", "Piranesi"]
RESTORED = ["Dune", "Piranesi"]
# One library with its own covers, or with none (each is made again from its book when shown).
WHOLE = ((OLD, OLD_COVER), (OLD, None), (RESTORED, RESTORED_COVER), (RESTORED, None))


def killed_restore(data_dir: Path, backup: Path, kill_at: object) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", KILLED_RESTORE, str(data_dir), str(backup), str(kill_at)]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(data_dir.parent)}
    return forked.run(command, cwd=ROOT, env=env, timeout=60, preload=RESTORE_PRELOAD)


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
    file its refusal names (which must exist; the library's own when it names no other)."""
    paths = resolve_paths(data_dir)
    try:
        open_database(paths.db_file)
    except LibraryOpenError as refused:
        said = [Path(w.rstrip(".,")) for w in refused.message.split() if w.startswith("/")]
        named = [path for path in said if path != paths.db_file] or said
        assert named and named[0].is_file(), refused.message
        return named[0]
    try:
        found = [book.title for book in Book.select().order_by(Book.title)]
        dune = Book.get_or_none(Book.title == "Dune")
        cover = paths.data_dir / dune.cover_path if dune else None
        return found, cover.read_bytes() if cover and cover.is_file() else None
    finally:
        close_database()


def killed_at_each_step(
    origin: Path, backup: Path, tmp_path: Path
) -> Iterator[tuple[int, tuple[list[str], bytes | None] | Path]]:
    """For step 1, 2, ... until the restore ends: a copy of the data folder `origin` restored
    from `backup` by a `restore` killed before that step; (the step, what the next start
    finds)."""
    step, finished = 0, False
    while not finished:
        step += 1
        data = tmp_path / f"run{step}"
        subprocess.run(["cp", "-a", str(origin), str(data)], check=True)
        run = killed_restore(data, backup, step)
        finished = run.returncode == 0
        assert finished or run.returncode == -9, run.stderr[-2000:]
        yield step, next_start(data)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_restore_killed_at_any_step_leaves_one_whole_library(filled, tmp_path):  # noqa: F811
    backup = in_use_with_its_journal(filled, tmp_path)
    origin = tmp_path / "origin"
    subprocess.run(["cp", "-a", str(filled.data_dir), str(origin)], check=True)
    outcomes: list[object] = []
    for step, found in killed_at_each_step(origin, backup, tmp_path):
        assert not isinstance(found, Path), f"step {step}: a library is in place"
        outcomes.append(found)
        assert found in WHOLE, f"step {step}"
    assert outcomes[0] == (OLD, OLD_COVER) and outcomes[-1] == (RESTORED, RESTORED_COVER)
    assert step > 10


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_restore_over_a_damaged_library_killed_at_any_step_keeps_it(filled, tmp_path):  # noqa: F811
    """Until the restored library is in place, the start refuses the damaged one and names it
    or its whole copy, never a half copy; once it is, the restored library opens."""
    backup = backup_library(filled, tmp_path / "backup.zip").archive
    close_database()
    origin = tmp_path / "origin"
    damaged = scribbled(tmp_path / "damaged" / "library.sqlite3")
    subprocess.run(["cp", "-a", str(filled.data_dir), str(origin)], check=True)
    (origin / "library.sqlite3").write_bytes(damaged)
    for step, found in killed_at_each_step(origin, backup, tmp_path):
        if isinstance(found, Path):
            # it, or its copy: every page as it was (the 100-byte header holds SQLite's counters)
            assert found.read_bytes()[100:] == damaged[100:], f"step {step}"
        else:
            assert found in WHOLE[2:], f"step {step}"
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


def left_behind(data_dir: Path) -> list[str]:
    """Scratch folders and kept copies in `data_dir`."""
    return sorted(p.name for p in data_dir.iterdir() if "restore" in p.name)


def library_files(data_dir: Path) -> dict[str, str]:
    """The library's own files in `data_dir` (not the lock nor the command line's log)."""
    return {k: v for k, v in fingerprint(data_dir).items() if k.startswith(("library", "cov"))}


def beside_the_locks(data_dir: Path) -> dict[str, str]:
    """Every file in `data_dir` but the locks by which processes share or own the library
    (`store.sharing`, `store.owner`): what a refused restore leaves as it was."""
    return {
        k: v for k, v in fingerprint(data_dir).items() if not k.startswith("bookorbit-desktop.")
    }


def test_two_restores_in_one_second_keep_both_libraries(filled, tmp_path, monkeypatch):  # noqa: F811
    first = backup_library(filled, tmp_path / "first.zip").archive
    Book.update(title="Emma").where(Book.title == "Piranesi").execute()
    second = backup_library(filled, tmp_path / "second.zip").archive
    Book.update(title="Persuasion").where(Book.title == "Emma").execute()
    close_database()
    monkeypatch.setattr(restores, "time_stamp", lambda: "20261126-180000")  # the same second
    kept = restore_library(filled, first)
    again = restore_library(filled, second)
    assert kept.kept_database is not None and again.kept_database is not None
    assert titles(kept.kept_database) == ["Dune", "Persuasion"]  # the library in use at first
    assert titles(again.kept_database) == ["Dune", "Piranesi"]
    assert again.kept_database.name.endswith("-20261126-180000-2.bak")
    assert kept.kept_covers is not None and again.kept_covers is not None
    assert len(list(kept.kept_covers.iterdir())) == len(list(again.kept_covers.iterdir())) == 1
    assert titles(filled.db_file) == ["Dune", "Emma"]


LOCK_HOLDER = """
import sys
from pathlib import Path
from bookorbit_desktop.library.store.owner import LibraryLock
lock = LibraryLock(Path(sys.argv[1]), sys.argv[2])
lock.acquire()
print("held", flush=True)
sys.stdin.read()
"""


@pytest.mark.parametrize("holder", ["serve", "restore"])
def test_a_restore_while_another_process_owns_the_library_is_refused(
    filled,  # noqa: F811
    tmp_path,
    capsys,
    holder,
):
    """`serve` or the window, or a second restore: refused, and nothing changes."""
    backup = backup_library(filled, tmp_path / "backup.zip").archive
    close_database()
    before = library_files(filled.data_dir)
    owner = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(filled.data_dir), holder],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert owner.stdout is not None and owner.stdout.readline() == "held\n"
        assert main(["--data-dir", str(filled.data_dir), "restore", str(backup)]) == 2
    finally:
        owner.communicate("", timeout=10)
    assert f"is in use by `{holder}` (pid {owner.pid})" in capsys.readouterr().err
    assert library_files(filled.data_dir) == before
    assert left_behind(filled.data_dir) == []


@pytest.mark.parametrize("where", ["data folder", "covers folder"])
def test_a_backup_inside_the_data_folder_is_restored_and_kept(filled, tmp_path, where):  # noqa: F811
    made = backup_library(filled, tmp_path / "backup.zip").archive
    close_database()
    folder = filled.data_dir if where == "data folder" else filled.covers_dir
    backup = made.rename(folder / "backup.zip")
    content = backup.read_bytes()
    summary = restore_library(filled, backup)
    assert titles(filled.db_file) == RESTORED
    assert sorted(p.name for p in filled.covers_dir.iterdir()) == [f"{summary.books - 1}.jpg"]
    still = backup if where == "data folder" else summary.kept_covers / "backup.zip"
    assert still.read_bytes() == content


def test_a_backup_on_a_read_only_drive_restores(filled, tmp_path, small_drive):  # noqa: F811
    made = backup_library(filled, tmp_path / "backup.zip").archive
    close_database()
    backup = small_drive / "backup.zip"
    backup.write_bytes(made.read_bytes())
    subprocess.run(["mount", "-o", "remount,ro", str(small_drive)], check=True)
    assert restore_library(filled, backup).books == 2
    assert titles(filled.db_file) == RESTORED


def test_a_read_only_data_folder_is_refused_in_plain_words(filled, tmp_path, small_drive):  # noqa: F811
    backup = backup_library(filled, tmp_path / "backup.zip").archive
    close_database()
    data = small_drive / "data"
    data.mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(small_drive)], check=True)
    with pytest.raises(RestoreError) as refused:
        restore_library(resolve_paths(data), backup)
    assert str(refused.value) == (
        f"Could not write in {data} (Read-only file system). Nothing was changed."
    )


def on_the_drive(filled, drive: Path) -> Paths:  # noqa: F811
    """The `filled` library moved onto `drive`."""
    close_database()
    data = drive / "data"
    subprocess.run(["cp", "-a", str(filled.data_dir), str(data)], check=True)
    return resolve_paths(data)


def test_a_backup_larger_than_the_free_space_is_refused_first(filled, tmp_path, small_drive):  # noqa: F811
    backup = backup_library(filled, tmp_path / "backup.zip").archive
    paths = on_the_drive(filled, small_drive)
    before = fingerprint(paths.data_dir)
    with pytest.raises(RestoreError) as refused:
        restore_library(paths, backup)
    message = str(refused.value)
    assert message.startswith(f"{backup} unpacks to more than the free space on the drive of")
    assert message.endswith("Nothing was changed; free some space and restore again.")
    assert fingerprint(paths.data_dir) == before
    assert left_behind(paths.data_dir) == []


FILLED_AFTER = {
    "check_space": "Could not unpack {backup} into {data} (No space left on device). ",
    "unpack": "Could not keep a copy of the library in use in {data} (database or disk is full), "
    "so it was not replaced. ",
}


@pytest.mark.parametrize("step", sorted(FILLED_AFTER))
def test_a_drive_filling_up_during_the_restore_changes_nothing(
    filled,  # noqa: F811
    tmp_path,
    small_drive,  # noqa: F811
    monkeypatch,
    step,
):
    """Another program fills the drive once the backup was measured (the unpacking fails) or
    once it is unpacked (the copy of the library in use cannot be written): nothing is
    replaced, and no half copy is left to put back."""
    backup = backup_library(filled, tmp_path / "backup.zip").archive
    subprocess.run(["mount", "-o", "remount,size=4m", str(small_drive)], check=True)
    paths = on_the_drive(filled, small_drive)
    before = beside_the_locks(paths.data_dir)
    done = getattr(restores, step)

    def and_the_drive_fills(*args):
        result = done(*args)
        free = shutil.disk_usage(small_drive).free
        (small_drive / "another-program").write_bytes(bytes(free - 100_000))
        return result

    monkeypatch.setattr(restores, step, and_the_drive_fills)
    with pytest.raises(RestoreError) as refused:
        restore_library(paths, backup)
    said = FILLED_AFTER[step].format(backup=backup, data=paths.data_dir)
    assert str(refused.value) == f"{said}Nothing was changed."
    assert beside_the_locks(paths.data_dir) == before
    assert left_behind(paths.data_dir) == []


def foreign_database(path: Path) -> bytes:
    """A valid SQLite file that is no BookOrbit library."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.commit()
    db.close()
    return path.read_bytes()


def link(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def remade(good: Path, target: Path, database: bytes | None = None, extra=(), **manifest) -> Path:
    """`good` with another database (its checksum in the manifest), `extra` members after the
    others, and `manifest` entries changed."""
    with zipfile.ZipFile(good) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    if database is not None:
        members["library.sqlite3"] = database
        manifest["database_sha256"] = hashlib.sha256(database).hexdigest()
    said = json.loads(members.pop(restores.MANIFEST)) | manifest
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile's own, of a name written twice
        for name, data in [*members.items(), *extra]:
            out.writestr(name, data)
        out.writestr(restores.MANIFEST, json.dumps(said))
    return target


HOSTILE = {
    "a name going up": ([("../evil.sh", b"rm -rf ~")], "unexpected file, '../evil.sh'"),
    "an absolute name": ([("/tmp/evil.sh", b"rm -rf ~")], "unexpected file, '/tmp/evil.sh'"),
    "backslashes": ([("covers\\..\\..\\evil.sh", b"x")], "unexpected file"),
    "up from covers": ([("covers/../../evil.sh", b"x")], "unexpected file"),
    "a link": ([link("covers/9.jpg", "/etc/passwd")], "unexpected file, 'covers/9.jpg'"),
    "the journal beside it": ([("library.sqlite3-wal", b"WAL")], "unexpected file"),
    "a name twice": ([("covers/1.jpg", b"another")], "holds two files named 'covers/1.jpg'"),
    "the database twice": ([("library.sqlite3", b"SQLite format 3")], "two files named"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_backup_is_refused_before_anything_is_written(filled, tmp_path, case):  # noqa: F811
    extra, message = HOSTILE[case]
    good = backup_library(filled, tmp_path / "good.zip").archive
    bad = remade(good, tmp_path / "bad.zip", extra=extra)
    close_database()
    before = fingerprint(filled.data_dir)
    with pytest.raises(RestoreError, match=re.escape(message)):
        restore_library(filled, bad)
    assert fingerprint(filled.data_dir) == before
    assert left_behind(filled.data_dir) == []
    assert not (tmp_path / "evil.sh").exists() and not Path("/tmp/evil.sh").exists()


@pytest.mark.parametrize(
    ("database", "message"),
    [
        (foreign_database, "is not a BookOrbit library"),
        (lambda path: b"", "is not a BookOrbit library"),
    ],
    ids=["another program's", "0 bytes"],
)
def test_a_database_of_another_kind_is_refused(filled, tmp_path, database, message):  # noqa: F811
    good = backup_library(filled, tmp_path / "good.zip").archive
    bad = remade(good, tmp_path / "bad.zip", database(tmp_path / "other.sqlite3"))
    close_database()
    before = fingerprint(filled.data_dir)
    with pytest.raises(RestoreError, match=message):
        restore_library(filled, bad)
    assert fingerprint(filled.data_dir) == before


def test_a_manifest_that_lies_about_the_count_is_not_believed(filled, tmp_path):  # noqa: F811
    good = backup_library(filled, tmp_path / "good.zip").archive
    lying = remade(good, tmp_path / "lying.zip", books=5000, covers=5000)
    close_database()
    summary = restore_library(filled, lying)
    assert (summary.books, summary.covers) == (2, 1)


def test_a_zip_bomb_is_refused_before_it_fills_the_drive(filled, tmp_path, small_drive):  # noqa: F811
    """A few kilobytes that unpack to 50 MB, into a library on a 1 MB drive."""
    good = backup_library(filled, tmp_path / "good.zip").archive
    bomb = remade(good, tmp_path / "bomb.zip", extra=[("covers/9.png", bytes(50_000_000))])
    assert bomb.stat().st_size < 200_000
    paths = on_the_drive(filled, small_drive)
    before = fingerprint(paths.data_dir)
    with pytest.raises(RestoreError, match="unpacks to more than the free space"):
        restore_library(paths, bomb)
    assert fingerprint(paths.data_dir) == before
    assert left_behind(paths.data_dir) == []


def test_a_member_larger_than_it_says_is_cut_and_refused(filled, tmp_path):  # noqa: F811
    """A cover whose declared size is small and its content large: no more than the declared
    size is written, and the checksum refuses it."""
    good = backup_library(filled, tmp_path / "good.zip").archive
    bad = remade(good, tmp_path / "bad.zip", extra=[("covers/9.png", b"x" * 100_000)])
    with zipfile.ZipFile(bad) as archive:
        info = archive.getinfo("covers/9.png")
    data = bytearray(bad.read_bytes())
    size = struct.pack("<I", info.file_size)
    small = struct.pack("<I", 10)
    local = info.header_offset + 22  # the uncompressed size in its local header
    assert data[local : local + 4] == size
    data[local : local + 4] = small
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"covers/9.png")) + 24
    assert data[central : central + 4] == size
    data[central : central + 4] = small
    bad.write_bytes(bytes(data))
    close_database()
    before = fingerprint(filled.data_dir)
    with pytest.raises(RestoreError, match="cannot be read completely"):
        restore_library(filled, bad)
    assert fingerprint(filled.data_dir) == before
    assert left_behind(filled.data_dir) == []


STALE_READER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN")
db.execute("SELECT count(*) FROM book").fetchone()  # reads this moment until it ends
print("reading", flush=True)
sys.stdin.read()
"""


def test_a_reader_holding_an_older_moment_makes_the_restore_wait_its_turn(filled, tmp_path):  # noqa: F811
    """A command reading the library since before its last commit keeps that commit in the
    journal: the journal must not be removed (a stop before the rename would lose the commit
    from the library in use), so the restore is refused and nothing changes."""
    backup = backup_library(filled, tmp_path / "backup.zip").archive
    close_database()
    reader = subprocess.Popen(
        [sys.executable, "-c", STALE_READER, str(filled.db_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "reading\n"
        writer = sqlite3.connect(filled.db_file)
        writer.create_function(SQL_FOLD, 1, fold_value, deterministic=True)
        with writer:
            writer.execute("UPDATE book SET title = 'Emma' WHERE title = 'Piranesi'")
        writer.close()
        before = library_files(filled.data_dir)
        with pytest.raises(RestoreError, match="Another program is still reading the library"):
            restore_library(filled, backup)
        assert library_files(filled.data_dir) == before
        assert left_behind(filled.data_dir) == []
    finally:
        reader.communicate("", timeout=10)
    assert titles(filled.db_file) == ["Dune", "Emma"]


def test_a_refused_backup_leaves_what_an_interrupted_restore_left(filled, tmp_path):  # noqa: F811
    """A first restore stopped with its checked library in the scratch folder: the start names
    that file. A second try with a damaged backup changes nothing, so the start still names it;
    a good one finishes and takes the leftover away."""
    good = backup_library(filled, tmp_path / "good.zip").archive
    with zipfile.ZipFile(good) as archive:
        scribbled_over = bytearray(archive.read("library.sqlite3"))
    scribbled_over[4096:8192] = b"\xa5" * 4096  # its second page
    damaged = remade(good, tmp_path / "damaged.zip", database=bytes(scribbled_over))
    close_database()
    data = tmp_path / "new-computer"
    step = 0
    while not list(data.glob(".restore-*/library.sqlite3")):  # killed once it was named
        step += 1
        assert killed_restore(data, good, step).returncode == -9
    (left,) = data.glob(".restore-*/library.sqlite3")
    assert next_start(data) == left
    with pytest.raises(RestoreError, match=re.escape("cannot be read (database disk image is")):
        restore_library(resolve_paths(data), damaged)
    assert next_start(data) == left and titles(left) == RESTORED
    restore_library(resolve_paths(data), good)
    assert next_start(data) == (RESTORED, RESTORED_COVER)
    assert left_behind(data) == []


def test_a_rename_refused_puts_the_old_covers_back(filled, tmp_path, monkeypatch):  # noqa: F811
    """The drive refuses the rename that puts the restored library in place: the covers moved
    aside come back, and the library in use is as it was."""
    backup = in_use_with_its_journal(filled, tmp_path)
    replace = os.replace

    def refused_for_the_library(source, target):
        if Path(target) == filled.db_file:
            raise OSError(errno.EIO, "Input/output error")
        replace(source, target)

    monkeypatch.setattr(os, "replace", refused_for_the_library)
    with pytest.raises(RestoreError) as refused:
        restore_library(filled, backup)
    assert str(refused.value) == (
        "Could not put the restored library in place (Input/output error). The library in use "
        "was not replaced."
    )
    monkeypatch.undo()
    assert next_start(filled.data_dir) == (OLD, OLD_COVER)


def test_covers_that_cannot_follow_are_a_note_not_a_refusal(
    filled,  # noqa: F811
    tmp_path,
    monkeypatch,
    capsys,
):
    """The restored library is in place when its covers' move is refused: the restore says so
    and succeeds (the old covers are kept aside), rather than calling itself refused."""
    backup = in_use_with_its_journal(filled, tmp_path)
    rename = Path.rename

    def refused_into_the_library(self, target):
        if Path(target) == filled.covers_dir:
            raise OSError(errno.EIO, "Input/output error")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refused_into_the_library)
    assert main(["--data-dir", str(filled.data_dir), "restore", str(backup)]) == 0
    monkeypatch.undo()
    said = capsys.readouterr().out
    assert "The backup's covers could not be moved in (Input/output error)" in said
    assert "is kept as" in said
    assert next_start(filled.data_dir) == (RESTORED, None)


def test_an_empty_file_is_refused_and_changes_nothing(filled, tmp_path):  # noqa: F811
    empty = tmp_path / "empty.zip"
    empty.touch()
    close_database()
    before = fingerprint(filled.data_dir)
    with pytest.raises(RestoreError, match="is not a BookOrbit backup"):
        restore_library(filled, empty)
    assert fingerprint(filled.data_dir) == before
    assert left_behind(filled.data_dir) == []
