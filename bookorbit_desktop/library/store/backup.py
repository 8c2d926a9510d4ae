"""Backing up the library: one zip file with the database, the covers and a manifest
(`library.store.restore` checks one and puts it back).

A backup is consistent while the app runs: the database is copied with SQLite's online backup
API (one snapshot, WAL included, writers never blocked), and the covers it names are copied
after it. The archive is written under a hidden name and named when complete and on disk
(`backup_file`), so a failed or killed backup never leaves a file that looks finished, never
overwrites a file it was not asked to replace, and leaves no partial behind for long. The
Hardcover token is not in a backup: it lives in the system keyring, and the new computer
connects with a new token.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import zipfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop import __version__
from bookorbit_desktop.config import DB_FILENAME, Paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.store.backup_file import (
    NameTakenError,
    open_partial,
    put_in_place,
    remove_stale_partials,
    scratch_folder,
)
from bookorbit_desktop.library.store.restore_files import (
    MANIFEST,
    cover_member,
    snapshot_database,
)

FORMAT = 1


class BackupError(BookOrbitError):
    title = "Backup failed"


@dataclass(frozen=True)
class BackupSummary:
    archive: Path
    books: int
    covers: int
    missing_covers: int  # named by the database but not (or not yet) in the covers folder
    schema: int
    size: int


def time_stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_name() -> str:
    """The dated name a backup takes in a folder (`bookorbit-backup-20261126-153000.zip`)."""
    return f"bookorbit-backup-{time_stamp()}.zip"


def archive_path(target: Path) -> Path:
    """A folder gets a dated file name inside it; a file name is used as given."""
    if target.is_dir():
        return target / backup_name()
    return target


def is_backup(path: Path) -> bool:
    """Whether `path` is a zip file with a backup's manifest (of any version)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return MANIFEST in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def database_facts(db_file: Path) -> tuple[int, int, list[str]]:
    """(schema version, book count, cover paths) of a database file, read-only."""
    db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT version FROM schema_version").fetchone()
        schema = int(row[0]) if row else 0
        books = int(db.execute("SELECT count(*) FROM book").fetchone()[0])
        covers = [
            str(path)
            for (path,) in db.execute("SELECT cover_path FROM book WHERE cover_path IS NOT NULL")
        ]
    finally:
        db.close()
    return schema, books, covers


def _check_target(target: Path, replace: bool, data_dir: Path) -> tuple[Path, bool]:
    """The archive's path, and whether an earlier backup there is to be replaced. Nothing in
    the data folder is a target: a backup there goes with the folder it is to stand in for,
    and a restore moves the covers folder aside, with anything in it."""
    archive = archive_path(target.expanduser())
    if archive.resolve().is_relative_to(data_dir.resolve()):
        raise BackupError(
            f"{archive} is in the library's data folder ({data_dir}); choose a folder "
            "outside it, so the backup outlives the library."
        )
    exists = os.path.lexists(archive)
    if exists and replace and not archive.is_dir() and not is_backup(archive):
        raise BackupError(
            f"{archive} is not a BookOrbit backup, so it was not replaced; choose a new file "
            "name or a folder."
        )
    if archive.is_dir() or (exists and not replace):
        raise BackupError(f"{archive} already exists; choose a new file name or a folder.")
    if not archive.parent.is_dir():
        raise BackupError(f"The folder {archive.parent} does not exist.")
    return archive, exists


def _write_archive(paths: Paths, snapshot: Path, out: zipfile.ZipFile) -> tuple[int, int, int, int]:
    """Write the database `snapshot` and the covers it names to `out`; (schema, books, covers,
    missing covers)."""
    schema, books, cover_paths = database_facts(snapshot)
    covers, missing = 0, 0
    out.write(snapshot, DB_FILENAME)  # first: it is how a killed backup's partial is known
    for relative in sorted(set(cover_paths)):
        member = cover_member(relative)
        source = paths.data_dir / relative
        if member is None or not source.is_file():
            missing += 1
            continue
        # Covers are JPEG or PNG already: compressing them again gains nothing.
        out.write(source, member, compress_type=zipfile.ZIP_STORED)
        covers += 1
    manifest = {
        "format": FORMAT,
        "app_version": __version__,
        "schema": schema,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "books": books,
        "covers": covers,
        "database_sha256": sha256_file(snapshot),
    }
    out.writestr(MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return schema, books, covers, missing


def backup_library(paths: Paths, target: Path, *, replace: bool = False) -> BackupSummary:
    """Write a backup of the library in `paths` to `target` (a new file, or a folder). With
    `replace`, an earlier backup at `target` (the user agreed to replace it) stays whole until
    the new backup is complete and on disk, then is swapped for it in one rename; anything
    else there is never overwritten (`backup_file`)."""
    if not paths.db_file.is_file():
        raise BackupError(f"There is no library at {paths.db_file} to back up.")
    archive = target.expanduser()
    partial: Path | None = None
    try:
        archive, earlier = _check_target(archive, replace, paths.data_dir)
        remove_stale_partials(archive.parent)
        with scratch_folder() as scratch:
            snapshot = scratch / DB_FILENAME
            snapshot_database(paths.db_file, snapshot)
            partial, handle = open_partial(archive)
            with handle:
                with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as out:
                    schema, books, covers, missing = _write_archive(paths, snapshot, out)
                handle.flush()
                os.fsync(handle.fileno())  # on disk before its name says it is finished
            put_in_place(partial, archive, replace=earlier)
    except NameTakenError:
        raise BackupError(
            f"{archive} appeared while the backup was written, so it was left as it is; "
            "choose a new file name or a folder."
        ) from None
    except (OSError, sqlite3.Error) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise BackupError(f"Could not write {archive}: {reason}. Nothing was changed.") from None
    finally:
        if partial is not None:
            with suppress(OSError):  # else the next backup to this folder removes it
                partial.unlink(missing_ok=True)
    return BackupSummary(archive, books, covers, missing, schema, archive.stat().st_size)
