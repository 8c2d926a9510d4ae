"""Restoring a backup made by `library.store.backup`, and checking one first.

A restore checks everything before it changes anything (the manifest, every member's name and
size against the free space, the database's checksum, SQLite's integrity check, the schema
version; `check_backup` makes the same checks of the backup alone, writing nothing in the
library, so the window can ask first); then it keeps a copy of the current library beside the
new one (`library.sqlite3.before-restore-<time>.bak` and `covers.before-restore-<time>`, named
by `kept_names`) and renames the restored file over the live one, so at every moment one whole
library is in place and nothing is lost (`restore_files` says how, step by step). The scratch
folder (`.restore-*`) goes when the restore ends; one left by a crash goes with the next restore
whose backup passes its checks (a refused backup changes nothing).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.config import DB_FILENAME, Paths
from bookorbit_desktop.library.store.backup import (
    FORMAT,
    database_facts,
    sha256_file,
    time_stamp,
)
from bookorbit_desktop.library.store.backup_file import scratch_folder
from bookorbit_desktop.library.store.restore_files import (
    COVERS,
    MANIFEST,
    RestoreError,
    check_names,
    check_space,
    covers_kept,
    keep_library,
    kept_names,
    name_checked,
    put_restored_in_place,
    unpack,
)
from bookorbit_desktop.library.store.schema_version import SCHEMA_VERSION
from bookorbit_desktop.library.store.sharing import (
    USE_FILENAME,
    LibraryBusyError,
    check_alone,
    take_alone,
)

__all__ = [
    "BackupFacts",
    "RestoreError",
    "RestoreSummary",
    "check_backup",
    "clean_restore_leftovers",
    "covers_kept",
    "kept_names",
    "library_books",
    "refused_while_shared",
    "restore_library",
    "restore_stamp",
]


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
    covers_problem: str = ""  # the library is in place, but its covers could not follow (why)

    def kept(self) -> str:
        """Where the library that was replaced is kept, in one sentence ("" when there was
        none): its database file, and its covers folder with it."""
        database, covers = self.kept_database, self.kept_covers
        if database is not None and covers is not None:
            return f"The library that was here is kept as {database} (its covers as {covers})."
        if database is not None:
            return f"The library that was here is kept as {database}."
        if covers is not None:
            return f"The covers that were here are kept as {covers}."
        return ""


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
    except sqlite3.Error as error:
        raise RestoreError(f"The library in {name} cannot be read ({error}).") from None
    if result != "ok":
        raise RestoreError(f"The library in {name} failed SQLite's integrity check ({result}).")
    try:
        schema, books, _ = database_facts(database)
    except sqlite3.Error as error:
        schema, books, reason = 0, 0, f" ({error})"
    else:
        reason = ""
    if schema < 1:  # a library has a schema version from its first start on
        raise RestoreError(f"The database in {name} is not a BookOrbit library{reason}.")
    if schema > SCHEMA_VERSION:
        raise RestoreError(
            f"{name} was made by a newer BookOrbit Desktop (schema {schema}; this version "
            f"understands up to {SCHEMA_VERSION}). Install the newer version, then restore."
        )
    return schema, books


def clean_restore_leftovers(data_dir: Path, but: Path | None = None) -> None:
    """Remove `.restore-*` folders interrupted restores left, `but` this restore's own (the
    caller owns the library)."""
    for leftover in data_dir.glob(".restore-*"):
        if leftover.is_dir() and leftover != but:
            shutil.rmtree(leftover, ignore_errors=True)


def _unwritable(paths: Paths, error: OSError) -> RestoreError:
    return RestoreError(
        f"Could not write in {paths.data_dir} ({error.strerror or error}). Nothing was changed."
    )


@contextmanager
def _scratch(paths: Paths) -> Iterator[Path]:
    """The restore's scratch folder in the data folder (on the library's drive, so its files
    are renamed into place)."""
    try:
        scratch = tempfile.TemporaryDirectory(prefix=".restore-", dir=paths.data_dir)
    except OSError as error:
        raise _unwritable(paths, error) from None
    with scratch as name:
        yield Path(name)


def refused_while_shared(paths: Paths) -> None:
    """RestoreError at once while a command uses the library (`store.sharing`): a restore
    asks before its long checks, the window before it stops anything."""
    try:
        check_alone(paths.data_dir)
    except LibraryBusyError as error:
        raise RestoreError(error.message) from None


@contextmanager
def _alone(paths: Paths) -> Iterator[None]:
    """The library to this restore alone (`store.sharing`) while it keeps and replaces it: a
    command that uses it refuses the restore, one started meanwhile waits or is refused."""
    try:
        hold = take_alone(paths.data_dir)
    except LibraryBusyError as error:
        raise RestoreError(error.message) from None
    except OSError as error:  # a folder, a link or an unreadable file in the lock's place
        raise RestoreError(
            f"Could not use {paths.data_dir / USE_FILENAME} ({error.strerror or error}), the "
            "file by which BookOrbit's commands share the library. Remove it while no "
            "BookOrbit command runs, then restore again. Nothing was changed."
        ) from None
    with hold:
        yield


def _open_backup(source: Path) -> zipfile.ZipFile:
    if not source.is_file():
        raise RestoreError(f"{source} does not exist or is not a file.")
    try:
        return zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as error:
        raise RestoreError(f"{source} is not a BookOrbit backup ({error}).") from None


def _checked_members(archive: zipfile.ZipFile, source: Path) -> dict[str, object]:
    """The manifest of `archive`, once it and every member's name passed their checks."""
    manifest = _read_manifest(archive, source)
    if DB_FILENAME not in archive.namelist():
        raise RestoreError(f"{source} has no library database in it.")
    check_names(archive, source)
    return manifest


def check_backup(source: Path) -> BackupFacts:
    """Check the backup at `source` as `restore_library` does before it changes anything, and
    say what it holds: its database is unpacked to a scratch folder of the system's and every
    cover read to its end (its checksum is checked as it is read). Nothing in the library is
    touched. RestoreError says why a restore of it would be refused."""
    source = source.expanduser()
    with _open_backup(source) as archive, scratch_folder() as scratch:
        manifest = _checked_members(archive, source)
        try:
            unpacked, covers = unpack(archive, scratch, covers=False)
        except (zipfile.BadZipFile, EOFError) as error:
            raise RestoreError(f"{source} cannot be read completely ({error}).") from None
        except OSError as error:
            raise RestoreError(f"{source} cannot be checked ({error.strerror or error}).") from None
        schema, books = _check_database(unpacked, manifest, source)
    return BackupFacts(books, covers, schema, str(manifest.get("created", "")))


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


def restore_library(paths: Paths, source: Path, *, stamp: str | None = None) -> RestoreSummary:
    """Replace the library in `paths` with the backup at `source`, keeping the current one
    under the names `kept_names` gives for `stamp` (by default, now).

    The caller makes sure no app or server owns the library (see `cli.backup`); a command
    that uses it refuses the restore (`_alone`)."""
    source = source.expanduser()
    with _open_backup(source) as archive:
        manifest = _checked_members(archive, source)
        try:
            paths.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _unwritable(paths, error) from None
        check_space(archive, source, paths)
        refused_while_shared(paths)  # before the unpacking, which takes long for a large one
        with _scratch(paths) as scratch:
            try:
                unpacked, covers = unpack(archive, scratch)
            except (zipfile.BadZipFile, EOFError) as error:
                raise RestoreError(f"{source} cannot be read completely ({error}).") from None
            except OSError as error:
                raise RestoreError(
                    f"Could not unpack {source} into {paths.data_dir} "
                    f"({error.strerror or error}). Nothing was changed."
                ) from None
            schema, books = _check_database(unpacked, manifest, source)
            # Everything is checked; from here on the current library is kept, then replaced,
            # and what interrupted restores left (which a start names) is not needed any more.
            with _alone(paths):
                clean_restore_leftovers(paths.data_dir, but=scratch)
                try:
                    restored = name_checked(unpacked)
                except OSError as error:
                    raise _unwritable(paths, error) from None
                kept = keep_library(paths, scratch, stamp or time_stamp())
                covers_problem = put_restored_in_place(paths, restored, scratch / COVERS, kept)
    return RestoreSummary(
        books=books,
        covers=covers,
        schema=schema,
        created=str(manifest.get("created", "")),
        kept_database=kept.database,
        kept_covers=kept.covers,
        covers_problem=covers_problem,
    )
