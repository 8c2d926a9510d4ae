"""Backing up and restoring the library from the window: the same one-file backup as
`bookorbit-desktop backup` (`library.store.backup`: the database as one consistent snapshot,
the covers and a manifest) and the same restore as `bookorbit-desktop restore`
(`library.store.restore`), each off the window's thread."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.store.backup import (
    BackupError,
    BackupSummary,
    backup_library,
    backup_name,
)
from bookorbit_desktop.library.store.restore import (
    BackupFacts,
    RestoreError,
    RestoreSummary,
    check_backup,
    covers_kept,
    kept_names,
    library_books,
    refused_while_shared,
    restore_library,
    restore_stamp,
)

__all__ = [
    "BackupError",
    "BackupFacts",
    "BackupSummary",
    "RestoreError",
    "RestoreSummary",
    "back_up",
    "backup_name",
    "check",
    "covers_kept",
    "kept_names",
    "made_at",
    "refused_while_shared",
    "restore",
    "restore_stamp",
]


async def back_up(paths: Paths, target: Path, *, replace: bool = False) -> BackupSummary:
    """Back up the library in `paths` to `target` in a worker thread (the snapshot and the
    zip take seconds for a large library); `replace` as `backup_library`. BackupError says
    why nothing was written."""
    return await asyncio.to_thread(backup_library, paths, target, replace=replace)


async def check(paths: Paths, source: Path) -> tuple[BackupFacts, int | None]:
    """The backup at `source` checked completely, as a restore checks it (every member is
    read: seconds for a large one, so in a worker thread), and the book count of the library
    in `paths` it would replace (None when that one cannot be read). RestoreError says why the
    backup would be refused, or that a command uses the library now (before the app stops
    anything for a restore that would be refused); nothing is changed either way."""

    def both() -> tuple[BackupFacts, int | None]:
        refused_while_shared(paths)
        return check_backup(source), library_books(paths.db_file)

    return await asyncio.to_thread(both)


async def restore(paths: Paths, source: Path, stamp: str) -> RestoreSummary:
    """Replace the library in `paths` with the backup at `source` in a worker thread, the
    current one kept under the names `kept_names(paths, stamp)` gives. The caller owns the
    library and has closed it. RestoreError says why it was not restored (a failure of the
    disk too: the library that was there is then in place)."""
    try:
        return await asyncio.to_thread(restore_library, paths, source, stamp=stamp)
    except OSError as error:
        reason = error.strerror or str(error)
        raise RestoreError(f"{source} could not be restored: {reason}.") from None


def made_at(created: str) -> datetime | None:
    """When a backup was made, from its manifest's `created` (None if it does not say)."""
    try:
        return datetime.strptime(created, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None
