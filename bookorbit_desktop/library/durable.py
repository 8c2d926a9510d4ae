"""Making a file, or a folder's entries, durable before the next step relies on them: a backup
kept before a restore, a file moved or rewritten before the library records it."""

from __future__ import annotations

import os
from pathlib import Path


def sync_path(path: Path) -> None:
    """fsync `path` (a file, or a folder: its entries). Only POSIX systems have folder handles
    to sync; elsewhere a rename is durable once it returns."""
    if os.name != "posix":
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
