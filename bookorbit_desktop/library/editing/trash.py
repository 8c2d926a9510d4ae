"""Moving a file to the user's trash, as the freedesktop.org Trash specification says (Linux and
the BSDs): the file goes to `$XDG_DATA_HOME/Trash/files` (`~/.local/share/Trash/files`) and an
`info/NAME.trashinfo` beside it records where it was and when, so the desktop's trash can put it
back. A file on another drive is copied there and then removed (the home trash only, no
per-drive `.Trash-UID` folders).

Elsewhere (Windows, macOS) `TrashUnavailableError` says so before anything is removed; no
extra package is needed for a feature that ships for Linux.
"""

from __future__ import annotations

import datetime
import errno
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

from bookorbit_desktop.errors import BookOrbitError


class TrashUnavailableError(BookOrbitError):
    title = "Trash not available"


def trash_supported(platform: str = sys.platform) -> bool:
    return platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def home_trash(environ: dict[str, str] | os._Environ[str] = os.environ) -> Path:
    """The user's trash folder (`$XDG_DATA_HOME/Trash`, by default ~/.local/share/Trash)."""
    data_home = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "Trash"


def check_trash(platform: str = sys.platform) -> None:
    """TrashUnavailableError when files cannot be moved to the trash here."""
    if not trash_supported(platform):
        raise TrashUnavailableError(
            "Moving a book's file to the trash works on Linux only. Remove the book without "
            "moving its file, then delete the file yourself if you want it gone."
        )


def trash_info(original: Path, deleted: datetime.datetime) -> str:
    """The `.trashinfo` text for `original` (an absolute path), deleted at local time `deleted`."""
    return (
        "[Trash Info]\n"
        f"Path={quote(str(original), safe='/')}\n"
        f"DeletionDate={deleted.strftime('%Y-%m-%dT%H:%M:%S')}\n"
    )


def move_to_trash(path: Path, trash: Path | None = None) -> Path:
    """Move `path` into the trash; return where it went. OSError when it cannot."""
    check_trash()
    trash = trash or home_trash()
    original = path.absolute()
    files, info = trash / "files", trash / "info"
    files.mkdir(parents=True, exist_ok=True)
    info.mkdir(parents=True, exist_ok=True)
    text = trash_info(original, datetime.datetime.now())
    # The info file is created first and exclusively: that reserves the name (the spec's rule).
    for number in range(1, 10_000):
        name = original.name if number == 1 else f"{original.stem}.{number}{original.suffix}"
        try:
            with (info / f"{name}.trashinfo").open("x", encoding="utf-8") as output:
                output.write(text)
        except FileExistsError:
            continue
        target = files / name
        try:
            _move(original, target)
        except BaseException:
            (info / f"{name}.trashinfo").unlink(missing_ok=True)
            raise
        return target
    raise OSError(errno.EEXIST, "the trash holds too many files of this name")


def _move(source: Path, target: Path) -> None:
    try:
        os.rename(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        shutil.move(str(source), str(target))  # another drive: copy, then remove
