"""Library folders kept in step with the disk while the app runs.

The user names folders (Settings, or the first-run set-up); `refresh_folders` imports them with
the same rules as Import (a file seen before is not read again, a moved file keeps its book)
and flags the files that disappeared as missing. The window calls it from a filesystem watcher
and from a periodic rescan, always on a worker thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.importer.summary import ImportSummary
from bookorbit_desktop.library.store.files import mark_missing_under
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from bookorbit_desktop.services.library.service import IMPORT_LOCK, ImportStep, run_import

_KEY = "library.watched_folders"


@dataclass(frozen=True)
class FolderRefresh:
    report: ImportSummary
    missing: int  # files flagged missing in this pass
    directories: tuple[str, ...]  # every folder to watch (the named ones and their subfolders)


def watched_folders() -> list[str]:
    return [str(folder) for folder in get_setting(_KEY)]


def add_watched_folder(folder: str) -> list[str]:
    """Watch `folder` too; InvalidValueError when it is not a folder or lies inside the data."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise InvalidValueError(f"“{folder}” is not a folder on this computer.")
    resolved = str(path.resolve())
    folders = watched_folders()
    if resolved not in folders:
        folders.append(resolved)
        set_setting(_KEY, folders)
    return folders


def remove_watched_folder(folder: str) -> list[str]:
    """Stop watching `folder`; its books stay in the library."""
    folders = [known for known in watched_folders() if known != folder]
    set_setting(_KEY, folders)
    return folders


def directories_under(folders: Sequence[str]) -> tuple[str, ...]:
    """The folders and every subfolder the importer would walk (hidden and .sdr skipped)."""
    found: list[str] = []
    for root in folders:
        if not os.path.isdir(root):
            continue
        for folder, names, _files in os.walk(root, onerror=lambda error: None):
            found.append(folder)
            names[:] = sorted(n for n in names if not n.startswith(".") and not n.endswith(".sdr"))
    return tuple(found)


def refresh_folders(paths: Paths, folders: Sequence[str], cancel: threading.Event) -> FolderRefresh:
    """Flag vanished files, import new, moved and changed ones; meant for a worker thread."""
    present = [folder for folder in folders if os.path.isdir(folder)]
    with IMPORT_LOCK:
        # Import first: a moved file is found again under its new name, so only the files
        # still gone afterwards are flagged.
        report = (
            run_import(paths, present, _ignore_progress, cancel) if present else ImportSummary()
        )
        try:
            missing = 0 if report.cancelled else mark_missing_under(present)
        finally:
            if threading.current_thread() is not threading.main_thread():
                database.close()
    return FolderRefresh(report, missing, directories_under(present))


def _ignore_progress(_step: ImportStep) -> None:
    """A background refresh shows no progress; its outcome is reported when it ends."""
