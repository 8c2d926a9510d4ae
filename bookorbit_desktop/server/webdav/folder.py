"""The account's WebDAV folder on disk: files kept byte for byte as received.

Blocking file work only (the routes run it on a thread). A PUT streams into a hidden partial
file beside the others and then replaces the target in one rename, so a reader sees the old
bytes or the new ones, never half of each. The ETag is strong and changes with every replace:
it is made of the file's inode, size and modification time in nanoseconds, all of which a
rename to a freshly written file changes. No symbolic link inside the folder is ever followed
(nor listed): a path through one is refused, so nothing outside the folder is reached and a
loop of links is only a refusal. Partial files left by an upload that never finished (a
crash, a power cut) are removed when the server starts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat as stat_flags
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from bookorbit_desktop.errors import BookOrbitError

FOLDER_NAME = "webdav"
PARTIAL_NAME = ".partial"  # hidden: paths.inside_parts refuses names starting with "."
MAX_FILE_BYTES = 256 * 1024 * 1024  # years of KOReader statistics stay far below this


class FolderError(BookOrbitError):
    """A WebDAV request that cannot be done; `status` is the HTTP answer."""

    status = 409


class PreconditionFailed(FolderError):
    status = 412


class Conflict(FolderError):
    status = 409


class NotAllowed(FolderError):
    status = 405


class Forbidden(FolderError):
    status = 403


def etag_of(info: os.stat_result) -> str:
    """The strong ETag of a file as stat() or fstat() saw it."""
    return f'"{info.st_ino:x}-{info.st_size:x}-{info.st_mtime_ns:x}"'


def matches(if_match: str | None, current: str | None) -> bool:
    """Whether a PUT's If-Match allows replacing the file whose ETag is `current` (None: no
    file). Strong comparison: a weak tag never matches."""
    if if_match is None:
        return True
    if current is None:
        return False
    tags = [tag.strip() for tag in if_match.split(",")]
    return "*" in tags or current in tags


class DavFolder:
    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / FOLDER_NAME

    def locate(self, parts: Iterable[str]) -> Path:
        """The path for `parts`, refused when any part of it is a symbolic link."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root.resolve()
        for part in parts:
            path = path / part
            try:
                info = os.lstat(path)
            except (FileNotFoundError, NotADirectoryError):
                continue  # nothing there (yet): the request says what that means
            if stat_flags.S_ISLNK(info.st_mode):
                raise Forbidden("Symbolic links in the WebDAV folder are not followed.")
        return path

    def partial(self) -> tuple[Path, BinaryIO]:
        """A new hidden file for an upload under way. Quick enough for the event loop, where it
        runs so that a cancelled upload can never leave one behind unknown."""
        folder = self.locate(()) / PARTIAL_NAME
        folder.mkdir(exist_ok=True)
        path = folder / uuid.uuid4().hex
        return path, path.open("xb")

    def clean_partials(self) -> int:
        """Remove what unfinished uploads left (call it before serving); how many."""
        folder = self.root / PARTIAL_NAME
        removed = 0
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            for entry in os.scandir(folder):
                if entry.is_file(follow_symlinks=False) or entry.is_symlink():
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
                        removed += 1
        return removed

    def replace(
        self, partial: Path, target: Path, if_match: str | None, if_none: str | None
    ) -> bool:
        """Move the finished `partial` over `target`; True when the file is new. Call it with
        the folder's lock held, so two PUTs cannot both pass the same If-Match."""
        if target == self.root.resolve() or target.is_dir():
            raise NotAllowed("A folder cannot be replaced by a file.")
        if not target.parent.is_dir():
            raise Conflict("The folder for this file does not exist: create it first (MKCOL).")
        current = _etag_or_none(target)
        if not matches(if_match, current) or (if_none == "*" and current is not None):
            raise PreconditionFailed("The file changed since it was read: read it again.")
        os.replace(partial, target)
        return current is None

    def make_folder(self, target: Path) -> None:
        if target.exists() or target == self.root.resolve():
            raise NotAllowed("Something with this name exists already.")
        if not target.parent.is_dir():
            raise Conflict("The folder above this one does not exist: create it first.")
        target.mkdir()

    def delete(self, target: Path) -> bool:
        """Remove a file or a folder with everything in it; False when there was nothing."""
        if target == self.root.resolve():
            raise Forbidden("The WebDAV folder itself cannot be deleted.")
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
            return True
        try:
            target.unlink()
        except FileNotFoundError:
            return False
        return True

    def children(self, folder: Path) -> list[tuple[str, os.stat_result]]:
        """The visible entries of `folder`, by name (never a symbolic link)."""
        found = []
        for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
            if entry.name.startswith(".") or entry.is_symlink():
                continue
            try:
                found.append((entry.name, entry.stat(follow_symlinks=False)))
            except OSError:  # removed meanwhile
                continue
        return found


def _etag_or_none(path: Path) -> str | None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    return etag_of(info) if stat_flags.S_ISREG(info.st_mode) else None
