"""The files a restore writes, in an order that is safe to stop at any moment.

Unpacking: every member of the backup is checked before a byte is written: the manifest, the
database and covers under `covers/` only (no `..`, absolute or backslashed names, no links, no
name twice), and their sizes as the archive declares them (the most a member unpacks to: more
fails its checksum) must fit in the data folder's drive with the copy of the library in use.
Everything is unpacked into the restore's scratch folder (`.restore-*` in the data folder), the
database under a name of its own (`library.sqlite3.partial`) that becomes `library.sqlite3`
only once checked: a start that finds a restore's leftover (`db._leftover_restore`) names a
complete, checked library.

Keeping: the library in use is copied (journal folded in) into the scratch folder, then named
`library.sqlite3.before-restore-<time>.bak` beside it once complete, so a stopped restore never
leaves a half copy under a name the start offers to put back. A second restore in the same
second keeps its copies under `…-<time>-2`, never over the first one's.

Putting in place: the old covers folder goes aside (`covers.before-restore-<time>`) first, then
the restored database is renamed over the live one (that rename is the moment the restore
happens), then the restored covers move in. Stopped before that rename, the old library is in
place (its covers aside if it stopped after the first step: they are made again from the books
as they are shown); after it, the restored library, with its covers or with them made again.
Never the restored database with the old covers, nor with the old journal.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bookorbit_desktop.config import DB_FILENAME, Paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.durable import sync_path
from bookorbit_desktop.library.store.db import read_damage

MANIFEST = "bookorbit-backup.json"
COVERS = "covers"
SIDE_FILES = ("-wal", "-shm", "-journal")
UNCHECKED = f"{DB_FILENAME}.partial"  # the database unpacked, until its checks pass
_KEEPING = "kept.sqlite3"  # the copy of the library in use, until it is complete


class RestoreError(BookOrbitError):
    title = "Restore refused"


@dataclass(frozen=True)
class Kept:
    """Where the library in use is kept: its database copy and its covers folder (None when
    there is nothing to keep)."""

    database: Path | None
    covers: Path | None


def cover_member(relative: str) -> str | None:
    """The archive name of a cover path stored relative to the data folder, if it is safe."""
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    if len(parts) < 2 or parts[0] != COVERS or any(p in ("", ".", "..") for p in parts):
        return None
    return "/".join(parts)


def snapshot_database(db_file: Path, destination: Path) -> None:
    """Copy the live database at `db_file` to `destination` as one consistent snapshot."""
    source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=10)
    try:
        target = sqlite3.connect(str(destination))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def check_names(archive: zipfile.ZipFile, name: Path) -> None:
    """Refuse a backup with a member that is no part of one."""
    seen: set[str] = set()
    for info in archive.infolist():
        if info.filename in seen:
            raise RestoreError(f"{name} holds two files named {info.filename!r}; refused.")
        seen.add(info.filename)
        if info.filename in (MANIFEST, DB_FILENAME) or info.is_dir():
            continue
        link = stat.S_ISLNK(info.external_attr >> 16)
        if link or cover_member(info.filename) != info.filename:
            raise RestoreError(f"{name} holds an unexpected file, {info.filename!r}; refused.")


def check_space(archive: zipfile.ZipFile, name: Path, paths: Paths) -> None:
    """Refuse a backup that does not fit on the data folder's drive beside the library in use
    and the copy kept of it."""
    in_use = sum(
        Path(f"{paths.db_file}{suffix}").stat().st_size
        for suffix in ("", "-wal")
        if Path(f"{paths.db_file}{suffix}").is_file()
    )
    needed = sum(info.file_size for info in archive.infolist()) + in_use
    free = shutil.disk_usage(paths.data_dir).free
    if needed > free:
        raise RestoreError(
            f"{name} unpacks to more than the free space on the drive of {paths.data_dir}: "
            f"with the copy kept of the library in use it needs {_megabytes(needed)}, and "
            f"{_megabytes(free)} is free. Nothing was changed; free some space and restore again."
        )


def unpack(archive: zipfile.ZipFile, scratch: Path, *, covers: bool = True) -> tuple[Path, int]:
    """Unpack the database (as UNCHECKED) and the covers into `scratch`; (the database, the
    number of covers). Members were checked by `check_names` (and `check_space`). Without
    `covers`, each cover is read to its end (its checksum is checked as it is read) and
    nothing of it written."""
    database = scratch / UNCHECKED
    with archive.open(DB_FILENAME) as member, database.open("wb") as out:
        shutil.copyfileobj(member, out)
    count = 0
    for info in archive.infolist():
        if info.filename in (MANIFEST, DB_FILENAME) or info.is_dir():
            continue
        with archive.open(info) as source:
            if covers:
                target = scratch.joinpath(*PurePosixPath(info.filename).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as out:
                    shutil.copyfileobj(source, out)
            else:
                while source.read(1 << 20):
                    pass
        count += 1
    return database, count


def name_checked(database: Path) -> Path:
    """Give the checked, unpacked database the library's name in its scratch folder, on disk
    first."""
    sync_path(database)
    checked = database.with_name(DB_FILENAME)
    os.replace(database, checked)
    sync_path(database.parent)
    return checked


def kept_names(paths: Paths, stamp: str) -> tuple[Path, Path]:
    """Where a restore named by `stamp` keeps the library it replaces: its database file and
    its covers folder beside them in the data folder, under names no file has yet (a second
    restore in the same second takes `…-<time>-2`)."""
    tag, number = stamp, 1
    while True:
        database = paths.db_file.with_name(f"{paths.db_file.name}.before-restore-{tag}.bak")
        covers = paths.covers_dir.with_name(f"{COVERS}.before-restore-{tag}")
        taken = [Path(f"{database}{suffix}") for suffix in ("", *SIDE_FILES)] + [covers]
        if not any(os.path.lexists(path) for path in taken):
            return database, covers
        number += 1
        tag = f"{stamp}-{number}"


def _copy_in_use(db_file: Path, copy: Path) -> list[str]:
    """Copy the library in use to `copy`; the suffixes of the files written.

    Its journal is first folded into the file (a checkpoint), so the file alone holds every
    commit: the journal can then go before the restored file is renamed over it. A reader in
    another process that still reads an older moment keeps later commits out of the file;
    the restore is refused until it is done. A damaged
    library (often the reason to restore) cannot be read by SQLite: its files are copied
    exactly as they are instead."""
    try:
        live = sqlite3.connect(str(db_file), timeout=10)
        try:
            _busy, journal, folded = live.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            live.close()
        if folded != journal:  # a reader holds an older moment: its later commits stay out
            raise RestoreError(
                "Another program is still reading the library (a `backup` or another "
                "command), so its latest changes are not all in its file yet. Wait for it to "
                "finish, then restore again. Nothing was changed."
            )
        snapshot_database(db_file, copy)
        return [""]
    except sqlite3.DatabaseError as error:
        if read_damage(db_file, error) is None:
            raise  # a full drive, a lock: not a damaged library
    copy.unlink(missing_ok=True)
    written = []
    for suffix in ("", *SIDE_FILES):
        if Path(f"{db_file}{suffix}").exists():
            shutil.copyfile(Path(f"{db_file}{suffix}"), Path(f"{copy}{suffix}"))
            written.append(suffix)
    return written


def covers_kept(paths: Paths) -> bool:
    """Whether a restore keeps the covers folder it replaces: only one with covers in it (an
    empty folder, a new library's, is removed instead)."""
    return paths.covers_dir.is_dir() and any(paths.covers_dir.iterdir())


def keep_library(paths: Paths, scratch: Path, stamp: str) -> Kept:
    """Copy the library in use beside it under a name not taken; the names its database copy
    and its covers folder (moved later, by `put_restored_in_place`) are kept under."""
    database, covers_name = kept_names(paths, stamp)
    covers = covers_name if covers_kept(paths) else None
    if not paths.db_file.exists():
        return Kept(None, covers)
    try:
        copy = scratch / _KEEPING
        written = _copy_in_use(paths.db_file, copy)
        for suffix in sorted(written, reverse=True):  # the database's own file last
            sync_path(Path(f"{copy}{suffix}"))
            os.replace(Path(f"{copy}{suffix}"), Path(f"{database}{suffix}"))
        sync_path(paths.data_dir)
    except (OSError, sqlite3.Error) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise RestoreError(
            f"Could not keep a copy of the library in use in {paths.data_dir} ({reason}), so it "
            "was not replaced. Nothing was changed."
        ) from None
    return Kept(database, covers)


def put_restored_in_place(paths: Paths, restored: Path, covers: Path, kept: Kept) -> str:
    """Move the old covers aside, rename `restored` over the live database, move `covers` in.
    Returns "" or, when the library is in place but its covers could not follow, why (the
    restore happened: that is a note for the user, not a refusal).

    The old journal goes just before the rename: it belongs to the old file and, replayed onto
    the restored one, would damage it; the old file holds all of it (`_copy_in_use`)."""
    try:
        if kept.covers is not None:
            paths.covers_dir.rename(kept.covers)
        elif paths.covers_dir.is_dir():
            paths.covers_dir.rmdir()  # an empty folder (a new library) needs no keeping
        try:
            for suffix in SIDE_FILES:
                Path(f"{paths.db_file}{suffix}").unlink(missing_ok=True)
            os.replace(restored, paths.db_file)
        except OSError:
            if kept.covers is not None:
                kept.covers.rename(paths.covers_dir)
            raise
    except OSError as error:
        raise RestoreError(
            f"Could not put the restored library in place ({error.strerror or error}). The "
            "library in use was not replaced."
        ) from None
    try:
        covers.mkdir(exist_ok=True)
        covers.rename(paths.covers_dir)
        sync_path(paths.data_dir)
    except OSError as error:
        return (
            f"The backup's covers could not be moved in ({error.strerror or error}): each "
            "cover is made again from its book when it is shown."
        )
    return ""
