"""Restoring a backup made by `library.store.backup`.

A restore checks everything before it changes anything (the manifest, every member's and the
database's checksum, SQLite's integrity check, the schema version, every member name:
`check_backup` makes the same checks alone, for the window to ask first); then it keeps a copy
of the current library beside the new one (`library.sqlite3.before-restore-<time>.bak` and
`covers.before-restore-<time>`, `kept_names`) and renames the restored file over the live
one, so at every moment one whole library is in place and nothing is lost. The scratch folder
(`.restore-*`) goes when the restore ends; one left by a crash goes with the next restore.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bookorbit_desktop.config import DB_FILENAME, Paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.durable import sync_path
from bookorbit_desktop.library.store.backup import (
    COVERS,
    FORMAT,
    MANIFEST,
    cover_member,
    database_facts,
    sha256_file,
    snapshot_database,
    time_stamp,
)
from bookorbit_desktop.library.store.backup_file import scratch_folder
from bookorbit_desktop.library.store.migrations import SCHEMA_VERSION

SIDE_FILES = ("-wal", "-shm", "-journal")


class RestoreError(BookOrbitError):
    title = "Restore refused"


@dataclass(frozen=True)
class BackupFacts:
    """What a backup holds, found by the checks a restore makes before it changes anything."""

    books: int
    covers: int
    schema: int
    created: str  # when it was made, as its manifest says (`2026-11-26T15:30:00+0100`)


@dataclass(frozen=True)
class RestoreSummary:
    books: int
    covers: int
    schema: int
    created: str
    kept_database: Path | None  # where the library that was replaced now is
    kept_covers: Path | None


def _read_manifest(archive: zipfile.ZipFile, name: Path) -> dict[str, object]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise RestoreError(f"{name} is not a BookOrbit backup (it has no {MANIFEST}).") from None
    except ValueError:
        raise RestoreError(f"The manifest in {name} is damaged.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreError(
            f"{name} was made by a BookOrbit Desktop this version does not understand; "
            "restore it with the version that made it (or a newer one)."
        )
    return manifest


def _check_database(database: Path, manifest: dict[str, object], name: Path) -> tuple[int, int]:
    if sha256_file(database) != manifest.get("database_sha256"):
        raise RestoreError(f"The library in {name} is damaged (its checksum does not match).")
    try:
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            db.close()
        schema, books, _ = database_facts(database)
    except sqlite3.Error as error:
        raise RestoreError(f"The library in {name} cannot be read ({error}).") from None
    if result != "ok":
        raise RestoreError(f"The library in {name} failed SQLite's integrity check ({result}).")
    if schema > SCHEMA_VERSION:
        raise RestoreError(
            f"{name} was made by a newer BookOrbit Desktop (schema {schema}; this version "
            f"understands up to {SCHEMA_VERSION}). Install the newer version, then restore."
        )
    return schema, books


def _extract_covers(archive: zipfile.ZipFile, destination: Path | None, name: Path) -> int:
    """Extract the covers to `destination`; with None, read each to its end only (its
    checksum is checked as it is read) and write nothing."""
    count = 0
    for info in archive.infolist():
        if info.filename in (MANIFEST, DB_FILENAME) or info.is_dir():
            continue
        member = cover_member(info.filename)
        if member is None or member != info.filename:
            raise RestoreError(f"{name} holds an unexpected file, {info.filename!r}; refused.")
        with archive.open(info) as source:
            if destination is None:
                while source.read(1 << 20):
                    pass
            else:
                target = destination.joinpath(*PurePosixPath(member).parts[1:])
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as out:
                    shutil.copyfileobj(source, out)
        count += 1
    return count


def _open_backup(source: Path) -> zipfile.ZipFile:
    if not source.is_file():
        raise RestoreError(f"{source} does not exist or is not a file.")
    try:
        return zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as error:
        raise RestoreError(f"{source} is not a BookOrbit backup ({error}).") from None


def _unpack(archive: zipfile.ZipFile, source: Path, scratch: Path, *, covers: bool) -> BackupFacts:
    """Check every part of the backup `archive` (read from `source`): its manifest, each
    member's checksum, the database's checksum, integrity and schema. The database is
    extracted to `scratch`, the covers too when `covers`."""
    manifest = _read_manifest(archive, source)
    try:
        with archive.open(DB_FILENAME) as member, (scratch / DB_FILENAME).open("wb") as out:
            shutil.copyfileobj(member, out)
        count = _extract_covers(archive, scratch / COVERS if covers else None, source)
    except KeyError:
        raise RestoreError(f"{source} has no library database in it.") from None
    except (OSError, zipfile.BadZipFile, EOFError) as error:
        raise RestoreError(f"{source} cannot be read completely ({error}).") from None
    schema, books = _check_database(scratch / DB_FILENAME, manifest, source)
    return BackupFacts(books, count, schema, str(manifest.get("created", "")))


def check_backup(source: Path) -> BackupFacts:
    """Check the backup at `source` as `restore_library` does before it changes anything, and
    say what it holds; nothing in the library is touched. RestoreError says why a restore of
    it would be refused."""
    source = source.expanduser()
    with _open_backup(source) as archive, scratch_folder() as scratch:
        return _unpack(archive, source, scratch, covers=False)


def library_books(db_file: Path) -> int | None:
    """How many books the library at `db_file` holds; None when there is no library there or
    it cannot be read (a damaged library is often the reason to restore)."""
    if not db_file.is_file():
        return None
    try:
        return database_facts(db_file)[1]
    except sqlite3.Error:
        return None


def restore_stamp() -> str:
    """The time a restore is named by (`kept_names`), taken when the user agrees to it."""
    return time_stamp()


def kept_names(paths: Paths, stamp: str) -> tuple[Path, Path]:
    """Where a restore named by `stamp` keeps the library it replaces: its database file and
    its covers folder, beside them in the data folder."""
    db_file = paths.db_file
    return (
        db_file.with_name(f"{db_file.name}.before-restore-{stamp}.bak"),
        paths.covers_dir.with_name(f"{COVERS}.before-restore-{stamp}"),
    )


def _keep_database(db_file: Path, kept: Path) -> Path | None:
    """Copy the current library to a dated .bak beside it, leaving it in place and complete.

    Its journal is first folded into the file (a checkpoint), so the file alone holds every
    commit: the journal can then go before the restored file is renamed over it, and a crash
    at any moment leaves one whole library at `db_file`, the old one or the restored one."""
    if not db_file.exists():
        return None
    try:
        live = sqlite3.connect(str(db_file), timeout=10)
        try:
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            live.close()
        snapshot_database(db_file, kept)
        sync_path(kept)
    except sqlite3.Error:
        # A damaged library (often the reason to restore) cannot be read by SQLite: keep
        # its files exactly as they are instead.
        kept.unlink(missing_ok=True)
        for suffix in ("", *SIDE_FILES):
            side = Path(f"{db_file}{suffix}")
            if side.exists():
                shutil.copyfile(side, Path(f"{kept}{suffix}"))
                sync_path(Path(f"{kept}{suffix}"))
    return kept


def _replace_database(restored: Path, db_file: Path) -> None:
    """Put `restored` in place of `db_file` with one rename. The old journal goes first: it
    belongs to the old file and, replayed onto the restored one, would damage it."""
    sync_path(restored)
    for suffix in SIDE_FILES:
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    os.replace(restored, db_file)
    sync_path(db_file.parent)


def clean_restore_leftovers(data_dir: Path) -> None:
    """Remove `.restore-*` folders an interrupted restore left (the caller owns the library)."""
    for leftover in data_dir.glob(".restore-*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def restore_library(paths: Paths, source: Path, *, stamp: str | None = None) -> RestoreSummary:
    """Replace the library in `paths` with the backup at `source`, keeping the current one
    under the names `kept_names` gives for `stamp` (by default, now).

    The caller makes sure no app or server has the library open (see `cli.backup`)."""
    source = source.expanduser()
    archive = _open_backup(source)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    clean_restore_leftovers(paths.data_dir)
    stamp = stamp or time_stamp()
    kept_db_name, kept_covers_name = kept_names(paths, stamp)
    with (
        archive,
        tempfile.TemporaryDirectory(prefix=".restore-", dir=paths.data_dir) as scratch_name,
    ):
        scratch = Path(scratch_name)
        facts = _unpack(archive, source, scratch, covers=True)
        # Everything is checked; from here on the current library is kept, then replaced.
        try:
            kept_db = _keep_database(paths.db_file, kept_db_name)
            _replace_database(scratch / DB_FILENAME, paths.db_file)
            kept_covers: Path | None = None
            if paths.covers_dir.is_dir() and not any(paths.covers_dir.iterdir()):
                paths.covers_dir.rmdir()  # an empty folder (a new library) needs no keeping
            elif paths.covers_dir.exists():
                kept_covers = kept_covers_name
                paths.covers_dir.rename(kept_covers)
            (scratch / COVERS).mkdir(exist_ok=True)
            (scratch / COVERS).rename(paths.covers_dir)
        except (OSError, sqlite3.Error) as error:
            raise RestoreError(
                f"Could not put the restored library in place ({error}). The library that was "
                f"there is kept in {paths.data_dir} (files named *before-restore-{stamp}*)."
            ) from None
    return RestoreSummary(
        books=facts.books,
        covers=facts.covers,
        schema=facts.schema,
        created=facts.created,
        kept_database=kept_db,
        kept_covers=kept_covers,
    )
