"""Backing up the library from the window: the same one-file backup as `bookorbit-desktop
backup` (`library.store.backup`: the database as one consistent snapshot, the covers and a
manifest), written off the window's thread."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.store.backup import (
    BackupError,
    BackupSummary,
    backup_library,
    backup_name,
)

__all__ = ["BackupError", "BackupSummary", "back_up", "backup_name"]


async def back_up(paths: Paths, target: Path, *, replace: bool = False) -> BackupSummary:
    """Back up the library in `paths` to `target` in a worker thread (the snapshot and the
    zip take seconds for a large library); `replace` as `backup_library`. BackupError says
    why nothing was written."""
    return await asyncio.to_thread(backup_library, paths, target, replace=replace)
