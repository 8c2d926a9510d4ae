"""Opening the library database: WAL, foreign keys, versioned migrations with a backup first."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from peewee import DatabaseError, SqliteDatabase

from bookorbit_desktop.errors import BookOrbitError, DatabaseTooNewError
from bookorbit_desktop.library.categories.paths import register_paths
from bookorbit_desktop.library.search.fold import register_fold
from bookorbit_desktop.library.search.regexp import register_regexp
from bookorbit_desktop.library.store import early_check
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.schema_version import SCHEMA_VERSION
from bookorbit_desktop.library.store.upgrade_copy import (
    copy_before_upgrade,
    remove_abandoned_copies,
)
from bookorbit_desktop.sizes import file_size

log = logging.getLogger(__name__)

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # NORMAL in WAL mode survives a killed process; only a power cut may lose the last commit.
    "synchronous": "normal",
    "busy_timeout": 10_000,
    "cache_size": -16_000,
}


class LibraryDatabase(SqliteDatabase):
    """The library's database. On some errors (a full drive, an I/O error) SQLite rolls the
    transaction back itself: the ORM's rollback after it then fails ("cannot rollback - no
    transaction is active"), and that error, not the reason, reached the user. Here a rollback
    with no transaction left does nothing, so the error that ended the write is the one said."""

    def rollback(self) -> None:
        if not self.is_closed() and not self.connection().in_transaction:
            return
        super().rollback()


class LibraryOpenError(BookOrbitError):
    title = "Cannot open the library"


class LibraryDamagedError(LibraryOpenError):
    """A library file that is there but cannot be used (empty, damaged, of another kind): what
    a restore from a backup mends."""


def latest_backup(path: Path) -> Path | None:
    """The newest `library.sqlite3.*.bak` beside `path` (made before an upgrade or a restore)."""
    backups = sorted(path.parent.glob(f"{path.name}.*.bak"), key=lambda p: p.stat().st_mtime)
    return backups[-1] if backups else None


def _leftover_restore(path: Path) -> Path | None:
    """A restored library an interrupted restore left in its scratch folder, if any."""
    found = sorted(path.parent.glob(f".restore-*/{path.name}"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def _refuse_missing(path: Path) -> None:
    """With no library at `path`, refuse to make a new one where a restore or a backup left a
    copy: the user finishes the restore (or moves the copy away) instead of starting over."""
    restored = _leftover_restore(path)
    if restored is not None:
        raise LibraryOpenError(
            f"There is no library file at {path}, but an interrupted restore left the restored "
            f"library at {restored}. To finish the restore, move that file to {path} (or run "
            "`bookorbit-desktop restore` with the backup again); to start a new, empty library "
            "instead, delete that folder. Then start again."
        )
    backup = latest_backup(path)
    if backup is not None:
        raise LibraryOpenError(
            f"There is no library file at {path}, but a copy of one is beside it: {backup}. "
            f"To use it, copy it to {path}; to start a new, empty library instead, move the "
            "*.bak files out of that folder. Then start again."
        )


def _damaged(path: Path, what: str, detail: str | None = None) -> LibraryDamagedError:
    """The refusal of a library file that cannot be used: what is wrong in plain words, what
    the user can do (the newest copy beside it, or a backup made with `backup`), and last,
    SQLite's own words (`detail`) for whoever looks further."""
    backup = latest_backup(path)
    if backup is not None:
        restore = (
            f"The newest copy beside it is {backup} (made before an upgrade or a restore): "
            f"quit BookOrbit, copy it over {path} and start again, or restore a backup .zip "
            "with `bookorbit-desktop restore`."
        )
    else:
        restore = (
            "If you made a backup .zip (File ▸ Back Up Library… or `bookorbit-desktop "
            "backup`), put it back with `bookorbit-desktop restore BACKUP.zip`."
        )
    said = f" SQLite reported: {detail}." if detail else ""
    return LibraryDamagedError(
        f"The library file {path} {what}, so BookOrbit will not use it (nothing was changed). "
        f"{restore} To start a new, empty library instead, move that file away, or use "
        f"another folder with --data-dir.{said}"
    )


def _first_problem(check: tuple[str, ...] | None) -> str:
    """The first problem SQLite's quick check reported, and how many more: its answer can run
    to hundreds of lines, which a message box or a terminal line cannot show."""
    if not check:
        return "no answer"
    lines = [line for line in str(check[0]).splitlines() if line and not line.startswith("***")]
    if len(lines) <= 1:
        return lines[0] if lines else str(check[0])
    more = len(lines) - 1
    return f"{lines[0]}, and {more} more problem{'s' if more > 1 else ''}"


def open_database(path: Path, *, check_later: bool = False) -> SqliteDatabase:
    """Open (creating or migrating) the library at `path` and bind the models to it.

    A library file that exists but is empty or fails SQLite's quick check is refused with
    the backup to restore: it is never silently replaced by a new, empty library.

    The quick check reads the whole file (most of a second for a large library). With
    `check_later`, a library already at SCHEMA_VERSION opens without it once SQLite has read
    its header and schema: the window shows the library first, then calls `check_library`
    before its server, sync or checkpointer write to it. A command that only reads opens the
    library so too and never checks it: a damaged page it reads is reported by `read_damage`.
    A library to migrate is always checked first.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _refuse_missing(path)
    elif path.stat().st_size == 0:
        raise _damaged(path, "is empty (0 bytes)")
    db = LibraryDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)
    register_fold(db)  # before any connection: the search index's triggers call it
    register_regexp(db)  # searches with a pattern (`title:~^the`)
    register_paths(db)  # the triggers keeping the browser's counts of tag paths
    doing = "open the library"  # what the refusal of a full drive says could not be done
    reached: list[int] = []  # the schema versions an upgrade committed before it failed
    try:
        db.connect(reuse_if_open=True)
        early = early_check.take(path)  # the check begun while the program loaded, if any
        if early is None and check_later and schema_version(db) == SCHEMA_VERSION:
            check: tuple[str, ...] | None = ("ok",)  # `check_library` answers, soon after
        else:
            check = early.row if early else db.execute_sql("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            db.close()
            raise _damaged(path, "is damaged", _first_problem(check))
        doing = "upgrade the library for this version"
        migrate(db, path, reached)
    except (DatabaseError, sqlite3.DatabaseError) as error:
        # A damaged or foreign file, or one another program holds locked: say so instead of
        # failing with a traceback (rows are read outside peewee's error wrapper, so SQLite's
        # own errors arrive too). A migration that failed was rolled back.
        early_check.take(path)  # a check not taken yet: its connection closes too
        db.close()
        _release_statements(error)
        if "locked" in str(error) or "busy" in str(error):
            raise LibraryOpenError(
                f"The library file {path} is locked by another program ({error}). Close that "
                "program and try again."
            ) from error
        if _read_only(path, error):
            raise LibraryOpenError(
                f"The library file {path} cannot be written: it or its folder is read-only (a "
                f"drive mounted read-only, or no permission to write there; {error}). Nothing "
                "was changed. Make them writable for your user, or choose another data folder "
                "(--data-dir, or Settings)."
            ) from error
        if _drive_full(path, error):
            done = (
                f"The library was upgraded part of the way (to schema {reached[-1]} of "
                f"{SCHEMA_VERSION}), and the copy made before the upgrade is kept beside it"
                if reached
                else "Nothing was changed"
            )
            raise LibraryOpenError(
                f"The drive of {path} is full: SQLite could not {doing} ({error}). {done}. "
                "Free some space on it, then start again."
            ) from error
        raise _unreadable(path, error) from error
    database.initialize(db)
    return db


def _release_statements(error: BaseException | None) -> None:
    """Let go of the statements the frames of a failure hold (the cursors of the calls it
    passed through): until they are freed, the closed connection keeps the library's files
    open, and a drive holding it cannot be unmounted nor the file replaced."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:  # a chain may loop back on itself
        seen.add(id(error))
        traceback.clear_frames(error.__traceback__)
        error = error.__cause__ or error.__context__


_FULL_BELOW = 1 << 20  # bytes: SQLite's shared-memory and journal files need a little room


def _drive_full(path: Path, error: Exception) -> bool:
    """Whether opening the library at `path` failed for want of space: SQLite saying the
    drive is full, or any error but damaged pages (an I/O error, say) where the drive has next
    to no room left. No damage to restore from a copy; a drive to clear."""
    code = _code(error)
    if code == sqlite3.SQLITE_FULL:  # the room it lacked may be free again once it gave up
        return True
    if code in _DAMAGE_CODES:
        return False
    try:
        return shutil.disk_usage(path.parent).free < _FULL_BELOW
    except OSError:
        return False


def check_library(path: Path) -> None:
    """SQLite's quick check of the library at `path` that `open_database(check_later=True)`
    left for later, on a connection of its own (it may run in a worker thread): raises the
    error `open_database` would have raised when the file is damaged. The library's own
    connection stays open meanwhile: closing this one copies nothing back into the file."""
    try:
        connection = sqlite3.connect(str(path))
        try:
            check = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise _unreadable(path, error) from error
    if check is None or check[0] != "ok":
        raise _damaged(path, "is damaged", _first_problem(check))


# SQLite's primary result codes for a file whose pages make no sense (a read of a page the
# quick check was not run on meets them).
_DAMAGE_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _read_only(path: Path, error: Exception) -> bool:
    """Whether opening the library at `path` failed because it cannot be written: SQLite
    refusing to write, or unable to open it where the file or its folder (for the journal
    files beside it) is not writable. Nothing damaged: no copy to restore."""
    code = _code(error)
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        return True
    return code == sqlite3.SQLITE_CANTOPEN and not (
        os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    )


def _code(error: Exception) -> int | None:
    """SQLite's primary result code of `error` (SQLite's or the ORM's wrapping it), if any."""
    code = getattr(getattr(error, "orig", error), "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _unreadable(path: Path, error: Exception) -> LibraryDamagedError:
    """The refusal of the library at `path` when reading it raised `error`: damaged pages are
    said to be damaged, anything else (a file of another kind) unreadable."""
    what = "is damaged" if _code(error) == sqlite3.SQLITE_CORRUPT else "cannot be read"
    return _damaged(path, what, str(getattr(error, "orig", error)))


def read_damage(path: Path, error: Exception) -> LibraryOpenError | None:
    """The error `open_database` gives for a damaged file, when `error` (SQLite's or the ORM's,
    raised by a read of the library at `path`) says a page of it is damaged; None when it says
    something else (a lock, a full disk)."""
    return _unreadable(path, error) if _code(error) in _DAMAGE_CODES else None


def close_database() -> None:
    """Close the bound database, if any (checkpointing the WAL)."""
    db = database.obj
    if db is not None and not db.is_closed():
        db.close()


def schema_version(db: SqliteDatabase) -> int:
    db.execute_sql("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = db.execute_sql("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(db: SqliteDatabase, path: Path, reached: list[int] | None = None) -> None:
    """Bring the file at `path` to SCHEMA_VERSION, refusing files from a newer release; each
    schema version committed is added to `reached` (so a failure after one can say so)."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        db.close()
        raise DatabaseTooNewError(
            f"The library at {path} was written by a newer version of BookOrbit Desktop "
            f"(schema {current}; this version understands up to {SCHEMA_VERSION}). "
            "Install the newer version again, or choose another data folder with --data-dir."
        )
    remove_abandoned_copies(path)
    if current == SCHEMA_VERSION:
        return
    from bookorbit_desktop.library.store.migrations import MIGRATIONS  # only to upgrade

    backup = None
    if current > 0:
        try:
            backup = copy_before_upgrade(db, path, current)
        except (sqlite3.Error, OSError) as error:  # the library itself is untouched
            db.close()
            raise LibraryOpenError(
                f"Before upgrading the library {path}, BookOrbit copies it beside it, and the "
                f"copy could not be written ({error}). Nothing was changed. The copy needs "
                f"about {file_size(path.stat().st_size)} free on that drive: free some "
                "space on it, then start again."
            ) from error
        if backup is not None:
            log.info("Backed up the library to %s before migrating", backup)
    kept = False  # a migration of this upgrade was committed
    try:
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with _upgrade_step(db):  # it reads, then writes
                if schema_version(db) >= version:
                    continue  # another program opening the library at once made it meanwhile
                MIGRATIONS[version - 1](db)
                db.execute_sql("DELETE FROM schema_version")
                db.execute_sql("INSERT INTO schema_version (version) VALUES (?)", (version,))
            kept = True
            if reached is not None:
                reached.append(version)
            log.info("Migrated the library to schema version %d", version)
    except BaseException:
        if backup is not None and not kept:
            # The library is still the copy: kept, it would only take the room a new attempt
            # needs for its own (a full drive filled further at each attempt).
            with suppress(OSError):
                backup.unlink()
                log.info("Removed %s: the upgrade it was made for changed nothing", backup)
        raise


@contextmanager
def _upgrade_step(db: SqliteDatabase) -> Iterator[None]:
    """One migration's transaction, its failure reported as itself. On some errors (a full
    drive) SQLite has already rolled the transaction back: rolling it back again fails ("no
    transaction is active"), and that error hid the reason (the ORM's `atomic` does so)."""
    connection = db.connection()
    db.execute_sql("BEGIN IMMEDIATE")
    try:
        yield
        db.execute_sql("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.rollback()
        raise
