"""A backup's file under attack: killed at each step, a full or read-only drive, another drive,
names that clash, links, names too long, two backups to one name, writers at work. Each leaves
the earlier file as it was or a complete backup a restore takes, and no hidden partial."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.backup import BackupError, backup_library
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.owner import try_lock
from bookorbit_desktop.library.store.restore import restore_library
from tests.library.store.test_backup import filled, fingerprint, titles  # noqa: F401
from tests.sql_functions import as_the_app

# Runs one backup in its own process and kills it (SIGKILL, as `kill -9`) at one step.
KILLED_BACKUP = """
import os, signal, sys, tempfile, zipfile
from collections.abc import Iterator
from pathlib import Path
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library import durable
from bookorbit_desktop.library.store import backup

data_dir, target, step, replace = sys.argv[1:]
tempfile.gettempdir()  # it probes the folder with a file it unlinks

def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

snapshot = backup.snapshot_database
sync = durable.sync_path

def after_naming(path):
    if Path(path).is_dir():
        die()
    sync(path)

if step == "snapshot":
    backup.snapshot_database = lambda *args: (snapshot(*args), die())
elif step == "writing":
    zipfile.ZipFile.writestr = die
elif step == "complete":
    os.link = os.replace = die
elif step == "linked":
    os.unlink = die
elif step == "named":
    for module in list(sys.modules.values()):
        if getattr(module, "sync_path", None) is sync:
            module.sync_path = after_naming
backup.backup_library(resolve_paths(Path(data_dir)), Path(target), replace=replace == "yes")
"""
STEPS = ["snapshot", "writing", "complete", "linked", "named"]


def partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def restores(archive: Path, scratch: Path) -> list[str]:
    """The titles a restore of `archive` brings back (it refuses anything incomplete)."""
    elsewhere = resolve_paths(Path(tempfile.mkdtemp(dir=scratch)))
    restore_library(elsewhere, archive)
    return titles(elsewhere.db_file)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("replace", [False, True], ids=["new name", "replacing"])
@pytest.mark.parametrize("step", STEPS)
def test_a_backup_killed_at_any_step_leaves_no_half_file_and_its_partial_goes_next_time(
    filled,  # noqa: F811
    tmp_path,
    step,
    replace,
    monkeypatch,
):
    folder, temporary = tmp_path / "backups", tmp_path / "temporary"
    folder.mkdir()
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    target = folder / "weekly.zip"
    earlier = backup_library(filled, target).archive.read_bytes() if replace else None
    Book.update(title="Dune Messiah").where(Book.title == "Dune").execute()
    args = [str(filled.data_dir), str(target), step, "yes" if replace else "no"]
    killed = subprocess.run([sys.executable, "-c", KILLED_BACKUP, *args], timeout=60)
    assert killed.returncode == -signal.SIGKILL
    if target.exists() and target.read_bytes() != earlier:  # else as it was, or not there
        assert restores(target, tmp_path) == ["Dune Messiah", "Piranesi"]
    else:
        assert step in ("snapshot", "writing", "complete")  # before the name was taken

    following = backup_library(filled, folder)  # the chooser's dated name, in the same folder
    assert restores(following.archive, tmp_path) == ["Dune Messiah", "Piranesi"]
    assert partials(folder) == []
    assert list(temporary.iterdir()) == []  # nor the snapshot's scratch folder


def mounted_drive(folder: Path, size: str) -> Iterator[Path]:
    """A drive (tmpfs) of `size` mounted on `folder` for a test, unmounted after it; skipped
    where it cannot be mounted."""
    folder.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a drive needs root on Linux")
    mount = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("tmpfs cannot be mounted here")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def small_drive(tmp_path):
    """A 1 MB drive (tmpfs) mounted on a folder, as a nearly full memory stick."""
    yield from mounted_drive(tmp_path / "stick", "1m")


@pytest.mark.parametrize("drive", ["full", "read-only"])
def test_a_full_or_read_only_drive_keeps_the_earlier_backup_and_says_why(
    filled,  # noqa: F811
    small_drive,
    drive,
):
    earlier = backup_library(filled, small_drive / "weekly.zip").archive
    before = earlier.read_bytes()
    cover = filled.covers_dir / "big.png"
    cover.write_bytes(os.urandom(2_000_000))  # as a PNG: stored, not compressed
    Book.update(cover_path="covers/big.png").where(Book.title == "Piranesi").execute()
    if drive == "read-only":
        subprocess.run(["mount", "-o", "remount,ro", str(small_drive)], check=True)
    reason = "No space left on device" if drive == "full" else "Read-only file system"
    for target, replace in ((earlier, True), (small_drive / "new.zip", False)):
        with pytest.raises(BackupError) as refused:
            backup_library(filled, target, replace=replace)
        assert str(refused.value) == f"Could not write {target}: {reason}. Nothing was changed."
        assert earlier.read_bytes() == before
        assert sorted(p.name for p in small_drive.iterdir()) == ["weekly.zip"]


def test_a_backup_to_another_drive_is_written_and_named_on_that_drive(
    filled,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    if not Path("/dev/shm").is_dir():
        pytest.skip("no /dev/shm here")
    folder = Path(tempfile.mkdtemp(dir="/dev/shm"))
    try:
        assert folder.stat().st_dev != filled.data_dir.stat().st_dev
        writing = []
        writestr = zipfile.ZipFile.writestr

        def seen(self, *args, **kwargs):
            writing.extend(partials(folder))  # the rename that names it stays on this drive
            return writestr(self, *args, **kwargs)

        monkeypatch.setattr(zipfile.ZipFile, "writestr", seen)
        summary = backup_library(filled, folder / "b.zip")
        assert len(writing) == 1 and writing[0].startswith(".b.zip.")
        assert restores(summary.archive, tmp_path) == ["Dune", "Piranesi"]
        assert partials(folder) == []
    finally:
        subprocess.run(["rm", "-rf", str(folder)], check=True)


@pytest.mark.parametrize("hard_links", [True, False], ids=["hard links", "no hard links"])
@pytest.mark.parametrize("appearing", ["file", "link to the library"])
def test_a_file_appearing_at_a_new_name_meanwhile_is_never_overwritten(
    filled,  # noqa: F811
    tmp_path,
    monkeypatch,
    appearing,
    hard_links,
):
    target = tmp_path / "new.zip"
    writestr = zipfile.ZipFile.writestr

    def user_saves_there_meanwhile(self, *args, **kwargs):
        if appearing == "file":
            target.write_bytes(b"the user's own file")
        else:
            target.symlink_to(filled.db_file)
        return writestr(self, *args, **kwargs)

    def no_hard_links(*_args, **_kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")  # as FAT and exFAT answer

    monkeypatch.setattr(zipfile.ZipFile, "writestr", user_saves_there_meanwhile)
    if not hard_links:
        monkeypatch.setattr(os, "link", no_hard_links)
    library = filled.db_file.read_bytes()
    with pytest.raises(BackupError, match="appeared while the backup was written"):
        backup_library(filled, target)
    if appearing == "file":
        assert target.read_bytes() == b"the user's own file"
    else:
        assert target.is_symlink() and filled.db_file.read_bytes() == library
    assert partials(tmp_path) == []


def test_a_drive_without_hard_links_still_gets_its_backup(filled, tmp_path, monkeypatch):  # noqa: F811
    def no_hard_links(*_args, **_kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_hard_links)
    summary = backup_library(filled, tmp_path / "stick.zip")
    assert restores(summary.archive, tmp_path) == ["Dune", "Piranesi"]
    assert partials(tmp_path) == []


@pytest.mark.parametrize(
    ("points_to", "replace", "outcome"),
    [
        ("the library", True, "is in the library's data folder"),
        ("nothing", False, "already exists"),
        ("an earlier backup", True, None),
        ("a folder", False, None),
    ],
)
def test_a_link_at_the_target(filled, tmp_path, points_to, replace, outcome):  # noqa: F811
    earlier = backup_library(filled, tmp_path / "earlier.zip").archive
    folder = tmp_path / "folder"
    folder.mkdir()
    pointed = {
        "the library": filled.db_file,
        "nothing": tmp_path / "gone.zip",
        "an earlier backup": earlier,
        "a folder": folder,
    }[points_to]
    link = tmp_path / "link.zip"
    link.symlink_to(pointed)
    before = {p: p.read_bytes() for p in (filled.db_file, earlier)}
    Book.update(title="Emma").where(Book.title == "Dune").execute()
    if outcome is not None:
        with pytest.raises(BackupError, match=outcome):
            backup_library(filled, link, replace=replace)
        assert link.is_symlink()
    else:
        archive = backup_library(filled, link, replace=replace).archive
        assert restores(archive, tmp_path) == ["Emma", "Piranesi"]
        # the link's name holds the new backup; what it pointed to is as it was
        assert archive.parent == (link if points_to == "a folder" else tmp_path)
    assert {p: p.read_bytes() for p in before} == before
    assert partials(tmp_path) == [] and partials(folder) == []


@pytest.mark.parametrize("replace", [False, True])
@pytest.mark.parametrize(
    "inside", ["library.sqlite3", "library.sqlite3-wal", "covers", "covers/b.zip", "b.zip"]
)
def test_nothing_in_the_data_folder_is_a_target(filled, inside, replace):  # noqa: F811
    before = fingerprint(filled.data_dir)
    with pytest.raises(BackupError, match="is in the library's data folder"):
        backup_library(filled, filled.data_dir / inside, replace=replace)
    assert fingerprint(filled.data_dir) == before


def test_only_partials_of_killed_backups_are_removed(filled, tmp_path):  # noqa: F811
    """A partial a running backup holds, and a file of the user's that only looks like one by
    its name, stay."""
    held = tmp_path / ".running.zip.abc123.partial"
    own = tmp_path / ".notes.partial"
    own.write_bytes(b"PK\x03\x04 the user's own zip")
    with held.open("w+b") as handle:
        assert try_lock(handle)
        handle.write(b"PK\x03\x04" + bytes(26) + b"library.sqlite3")  # as a backup's start
        handle.flush()
        backup_library(filled, tmp_path / "b.zip")
        assert partials(tmp_path) == [".notes.partial", ".running.zip.abc123.partial"]
    assert own.read_bytes() == b"PK\x03\x04 the user's own zip"


@pytest.mark.parametrize("length", [250, 300])
def test_a_long_name_is_written_or_refused_with_a_message(filled, tmp_path, length):  # noqa: F811
    target = tmp_path / ("b" * (length - 4) + ".zip")
    if length <= 255:  # as long as the drive allows
        assert restores(backup_library(filled, target).archive, tmp_path) == ["Dune", "Piranesi"]
    else:
        with pytest.raises(BackupError, match=r"Could not write .*: File name too long\."):
            backup_library(filled, target)
    assert partials(tmp_path) == []


def test_two_backups_to_one_name_at_once_never_mix(filled, tmp_path, monkeypatch):  # noqa: F811
    other = resolve_paths(tmp_path / "other")
    restore_library(other, backup_library(filled, tmp_path / "seed.zip").archive)
    writer = sqlite3.connect(other.db_file)
    as_the_app(writer)
    with writer:
        writer.execute("UPDATE book SET title = 'Emma', sort_title = 'emma'")
    writer.close()
    both_written = threading.Barrier(2, timeout=20)
    writestr = zipfile.ZipFile.writestr

    def together(self, *args, **kwargs):  # both are writing their last member at once
        both_written.wait()
        return writestr(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", together)
    target = tmp_path / "same.zip"
    outcomes: dict[str, object] = {}

    def back_up(name, paths):
        try:
            outcomes[name] = backup_library(paths, target)
        except BackupError as error:
            outcomes[name] = error

    threads = [
        threading.Thread(target=back_up, args=(name, paths))
        for name, paths in (("filled", filled), ("other", other))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    refused = [name for name, outcome in outcomes.items() if isinstance(outcome, BackupError)]
    assert len(outcomes) == 2 and len(refused) == 1
    monkeypatch.undo()
    expected = ["Emma", "Emma"] if refused == ["filled"] else ["Dune", "Piranesi"]
    assert restores(target, tmp_path) == expected
    assert partials(tmp_path) == []


def test_a_backup_while_a_writer_commits_is_one_consistent_moment(filled, tmp_path):  # noqa: F811
    """Each commit adds a book and records the count, as an import or a kosync push writes its
    rows in one transaction: every restored backup agrees with itself."""
    stop = threading.Event()

    def write() -> None:
        db = sqlite3.connect(filled.db_file, timeout=10)
        as_the_app(db)
        try:
            while not stop.is_set():
                with db:
                    db.execute(
                        "INSERT INTO book (title, sort_title, identifiers, added_at, updated_at) "
                        "VALUES ('Added', 'added', '{}', 0, 0)"
                    )
                    db.execute(
                        "INSERT OR REPLACE INTO setting (key, value) "
                        "SELECT 'count', count(*) FROM book"
                    )
        finally:
            db.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        archives = [backup_library(filled, tmp_path / f"{n}.zip").archive for n in range(5)]
    finally:
        stop.set()
        writer.join(30)
    for archive in archives:
        elsewhere = resolve_paths(Path(tempfile.mkdtemp(dir=tmp_path)))
        restore_library(elsewhere, archive)
        db = sqlite3.connect(elsewhere.db_file)
        try:
            books = db.execute("SELECT count(*) FROM book").fetchone()[0]
            counted = db.execute("SELECT value FROM setting WHERE key = 'count'").fetchone()
        finally:
            db.close()
        assert counted is None or int(counted[0]) == books
