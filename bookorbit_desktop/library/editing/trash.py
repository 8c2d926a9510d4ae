"""Moving a file to the user's trash, so the desktop's trash can put it back.

On Linux and the BSDs, as the freedesktop.org Trash specification says: the file goes to
`$XDG_DATA_HOME/Trash/files` (`~/.local/share/Trash/files`) and an `info/NAME.trashinfo` beside
it records where it was and when. A name is reserved by creating its info file exclusively,
and only a name free in both `info/` and `files/` is taken (an earlier file trashed without its
info file is never overwritten). A file on another drive is copied there through the safe file
layer (written whole and checked) and only then removed. BookOrbit knows where each file went,
so `restore_from_trash` can put it back.

On Windows and macOS the system's own trash takes the file (Send2Trash, the maintained library
for the Recycle Bin and the Finder's trash); it does not say under which name, so such a file is
put back from the system's trash by the user.
"""

from __future__ import annotations

import datetime
import errno
import os
import sys
from pathlib import Path
from urllib.parse import quote, unquote

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.files import safe
from bookorbit_desktop.library.files.safe import FileOpError

INFO_SUFFIX = ".trashinfo"


class TrashUnavailableError(BookOrbitError):
    title = "Trash not available"


def freedesktop(platform: str = sys.platform) -> bool:
    """True where the freedesktop.org trash is the user's trash."""
    return platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def trash_supported(platform: str = sys.platform) -> bool:
    return freedesktop(platform) or platform in ("win32", "darwin")


def home_trash(environ: dict[str, str] | os._Environ[str] = os.environ) -> Path:
    """The user's trash folder (`$XDG_DATA_HOME/Trash`, by default ~/.local/share/Trash)."""
    data_home = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "Trash"


def check_trash(platform: str = sys.platform) -> None:
    """TrashUnavailableError when files cannot be moved to the trash here."""
    if not trash_supported(platform):
        raise TrashUnavailableError(
            "This system has no trash BookOrbit can move a book's file to. Remove the book "
            "without moving its file, then delete the file yourself if you want it gone."
        )


def trash_info(original: Path, deleted: datetime.datetime) -> str:
    """The `.trashinfo` text for `original` (an absolute path), deleted at local time `deleted`."""
    return (
        "[Trash Info]\n"
        f"Path={quote(str(original), safe='/')}\n"
        f"DeletionDate={deleted.strftime('%Y-%m-%dT%H:%M:%S')}\n"
    )


def move_to_trash(path: Path, trash: Path | None = None) -> Path | None:
    """Move `path` into the trash; where it went (None where the system's trash does not say).
    OSError when it cannot; the file then stays where it was."""
    check_trash()
    if not freedesktop() and trash is None:
        from send2trash import send2trash  # Windows and macOS only

        send2trash(path)
        return None
    trash = trash or home_trash()
    original = path.absolute()
    files, info = trash / "files", trash / "info"
    files.mkdir(parents=True, exist_ok=True)
    info.mkdir(parents=True, exist_ok=True)
    text = trash_info(original, datetime.datetime.now())
    for number in range(1, 10_000):
        name = _trash_name(original, number)
        if os.path.lexists(files / name):
            continue  # trashed by something that wrote no info file: never overwritten
        try:
            # The info file is created first and exclusively: that reserves the name.
            with (info / f"{name}{INFO_SUFFIX}").open("x", encoding="utf-8") as output:
                output.write(text)
        except FileExistsError:
            continue
        target = files / name
        try:
            _move(original, target)
        except BaseException:
            (info / f"{name}{INFO_SUFFIX}").unlink(missing_ok=True)
            raise
        return target
    raise OSError(errno.EEXIST, "the trash holds too many files of this name")


def _trash_name(original: Path, number: int) -> str:
    """The name in the trash: the file's own, `stem.N.ext` for the Nth of one name, cut (the
    extension kept) so that its info file's name still fits in 255 bytes."""
    counter = "" if number == 1 else f".{number}"
    room = 255 - len(INFO_SUFFIX) - len(counter) - len(original.suffix.encode())
    stem = original.stem.encode()[:room].decode("utf-8", "ignore")
    return f"{stem}{counter}{original.suffix}"


def _move(source: Path, target: Path) -> None:
    """Rename `source` to `target`, or on another drive copy it whole and then remove it."""
    try:
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "already there", str(target))
        os.rename(source, target)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
    try:
        copied = safe.copy_file(source, target)
    except FileOpError as error:
        raise OSError(errno.EIO, error.reason, str(source)) from error
    if not safe.delete_if_copied(source, target, copied.size, copied.sha256):
        target.unlink(missing_ok=True)
        raise OSError(errno.EIO, "the copy in the trash was not whole", str(source))


def restore_from_trash(trashed: Path) -> Path:
    """Put a file this module trashed back where it was; its original path. OSError (the file
    stays in the trash) when it is gone from the trash or something else is at its old path."""
    info = trashed.parent.parent / "info" / f"{trashed.name}{INFO_SUFFIX}"
    lines = info.read_text(encoding="utf-8").splitlines()
    found = [line[5:] for line in lines if line.startswith("Path=")]
    if not found:
        raise OSError(errno.EINVAL, "the trash's record of the file names no path", str(info))
    original = Path(unquote(found[0]))
    if os.path.lexists(original):
        raise FileExistsError(errno.EEXIST, "another file is at its old place", str(original))
    original.parent.mkdir(parents=True, exist_ok=True)
    _move(trashed, original)
    info.unlink(missing_ok=True)
    return original
