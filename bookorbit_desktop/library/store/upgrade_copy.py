"""The copy of the library an upgrade makes beside it first, and the copies killed ones left.

    copy = copy_before_upgrade(db, path, version)   # None: another program upgraded it

A copy is written under a name of its own (the schema, the time and this process's id:
two programs upgrading the same library in the same second write two files, never one) and
renamed to `….bak` once whole, so one cut short (a full drive, a killed process) is never
offered as the copy to restore (`db.latest_backup`); one that fails is removed, and the drive
keeps the room it had. It is named after the schema the copy itself holds: another program
may upgrade the library between this one reading its version and copying it, and a copy of
the upgraded library is then no copy from before the upgrade, so it is not kept.

`remove_abandoned_copies` runs at every open: a copy an upgrade cut short is as large as the
library, and one found too new to remove at the upgrade after it would otherwise stay until
the next release's upgrade.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from pathlib import Path

from peewee import SqliteDatabase

from bookorbit_desktop.library.store.schema_version import SCHEMA_VERSION

log = logging.getLogger(__name__)

# A copy being written is locked by its writer and written to without pause: one unlocked and
# untouched this long was cut short (its process killed) and is no one's any more.
ABANDONED_AFTER_SECONDS = 60.0


def copy_before_upgrade(db: SqliteDatabase, path: Path, version: int) -> Path | None:
    """Copy the live database (WAL included) beside `path`, read at schema `version`; the
    copy, or None when the library was upgraded meanwhile by another program (no copy kept)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    partial = path.with_name(f"{path.name}.v{version}-{stamp}-{os.getpid()}.bak.partial")
    try:
        destination = sqlite3.connect(str(partial))
        try:
            db.connection().backup(destination)
            row = destination.execute("SELECT max(version) FROM schema_version").fetchone()
        finally:
            destination.close()
        copied = int(row[0]) if row and row[0] is not None else version
        if copied >= SCHEMA_VERSION:  # upgraded by another program since `version` was read
            _remove(partial)
            return None
        target = path.with_name(f"{path.name}.v{copied}-{stamp}-{os.getpid()}.bak")
        os.replace(partial, target)
    except BaseException:
        _remove(partial)
        raise
    return target


def _remove(partial: Path) -> None:
    for leftover in (partial.with_name(f"{partial.name}-journal"), partial):
        leftover.unlink(missing_ok=True)


def remove_abandoned_copies(path: Path) -> None:
    """Remove the copies of the library an upgrade cut short left beside it (each as large as
    the library). Another program upgrading the library at the same moment keeps its own:
    its copy is locked, or new."""
    for partial in path.parent.glob(f"{path.name}.*.bak.partial"):
        try:
            if time.time() - partial.stat().st_mtime < ABANDONED_AFTER_SECONDS:
                continue
            probe = sqlite3.connect(str(partial), timeout=0)
            try:
                probe.execute("BEGIN EXCLUSIVE")  # refused at once while someone writes it
                probe.rollback()
            finally:
                probe.close()
            # The journal first: a process killed between the two leaves the copy, which the
            # next open finds again, never a journal alone.
            _remove(partial)
        except (sqlite3.Error, OSError):  # being written, or not ours to remove: kept
            continue
        log.info("Removed %s, a copy of the library an earlier upgrade cut short", partial)
    # A journal whose copy is gone (removed the other way round by an earlier version).
    for journal in path.parent.glob(f"{path.name}.*.bak.partial-journal"):
        copy = journal.with_name(journal.name.removesuffix("-journal"))
        try:
            old = time.time() - journal.stat().st_mtime >= ABANDONED_AFTER_SECONDS
            if old and not copy.exists():
                journal.unlink()
        except OSError:
            continue
