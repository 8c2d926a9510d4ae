"""The file a backup is written to: a hidden partial beside its final name, put in place only
when complete and on disk.

The partial is `.<name>.<random>.partial` in the target's folder, so the rename that names it
stays on one drive, and two backups to the same name never write into one file. While it is
written its backup holds a lock on it (`library.store.owner.try_lock`); the operating system
drops the lock however the process ends. So a partial nobody holds, whose first bytes are a
backup's, was left by a backup that was killed, and the next backup to that folder removes
it: a user never collects hidden partial files. The database's snapshot is taken in a scratch
folder in the system's temporary folder, held the same way, and one a killed backup left goes
with the next backup.

A new name is taken with a hard link, which fails if anything appeared there meanwhile, so a
file is never overwritten unless the user agreed to replace that very earlier backup. A drive
without hard links (FAT and exFAT memory sticks, some network shares) gets a rename right after
a last look: there the window for a clash is the tens of microseconds between the two calls.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from bookorbit_desktop.library.durable import sync_path
from bookorbit_desktop.library.store.owner import try_lock

SUFFIX = ".partial"
SCRATCH_PREFIX = "bookorbit-backup-scratch-"
_HELD = "held"  # the file in a scratch folder its backup holds locked
_NAME_BYTES = 100  # of the final name kept in the partial's: it stays under any drive's limit
# A backup's zip starts with the local header of its first member, the database.
_FIRST_MEMBER = b"library.sqlite3"
_HEADER = 30  # bytes of a zip local header before the member's name


class NameTakenError(FileExistsError):
    """Something appeared at the backup's name while the backup was written."""


def _prefix(archive: Path) -> str:
    name = archive.name.encode()[:_NAME_BYTES].decode(errors="ignore")
    return f".{name}."


def _left_by_a_killed_backup(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            if not try_lock(handle):
                return False  # a backup is writing it now
            handle.seek(0)
            start = handle.read(_HEADER + len(_FIRST_MEMBER))
    except OSError:
        return False
    return start[:4] == b"PK\x03\x04" and start[_HEADER:] == _FIRST_MEMBER


def remove_stale_partials(folder: Path) -> None:
    """Remove the partials that killed backups left in `folder`."""
    for path in folder.glob(f".*{SUFFIX}"):
        if path.is_file() and not path.is_symlink() and _left_by_a_killed_backup(path):
            path.unlink(missing_ok=True)


def _unheld(folder: Path) -> bool:
    try:
        with (folder / _HELD).open("rb") as handle:
            return try_lock(handle)
    except OSError:
        return False


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A scratch folder for the snapshot, held while the backup runs; the ones killed backups
    left go first."""
    for left in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        if left.is_dir() and not left.is_symlink() and _unheld(left):
            shutil.rmtree(left, ignore_errors=True)
    with (
        tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX, ignore_cleanup_errors=True) as name,
        (Path(name) / _HELD).open("wb") as handle,
    ):
        try_lock(handle)  # a new file: nobody else holds it
        yield Path(name)


def open_partial(archive: Path) -> tuple[Path, IO[bytes]]:
    """A new, locked partial for `archive`, opened for writing at its start."""
    descriptor, name = tempfile.mkstemp(prefix=_prefix(archive), suffix=SUFFIX, dir=archive.parent)
    handle = os.fdopen(descriptor, "w+b")
    try_lock(handle)  # a new file: nobody else holds it
    handle.seek(0)
    return Path(name), handle


def put_in_place(partial: Path, archive: Path, *, replace: bool) -> None:
    """Name the complete `partial` `archive`: over the file there only with `replace`, else
    only if nothing is there (NameTakenError)."""
    if replace:
        os.replace(partial, archive)
    else:
        try:
            os.link(partial, archive)
        except FileExistsError:
            raise NameTakenError(errno.EEXIST, "already exists") from None
        except OSError:  # no hard links on this drive
            if os.path.lexists(archive):
                raise NameTakenError(errno.EEXIST, "already exists") from None
            os.rename(partial, archive)
        else:
            partial.unlink()
    sync_path(archive.parent)
