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

A removal does not move files itself: in its own transaction it records each file as a trash
intent (`intend`), and `carry_out` then moves them, recording each file's reserved place in
the trash before it moves. A process stopped at any moment is finished by the next
`carry_out` (at the next removal, and as the window starts): a file still where it was is
trashed, one copied across drives whose original was not yet deleted is finished, a reserved
name whose move never happened is released.
"""

from __future__ import annotations

import datetime
import errno
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.files import safe
from bookorbit_desktop.library.files.safe import FileOpError
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sharing import lock_file

log = logging.getLogger(__name__)

INFO_SUFFIX = ".trashinfo"
LOCK_NAME = "bookorbit-desktop.trash.lock"  # beside the library: one process carries out at once


class TrashUnavailableError(BookOrbitError):
    title = "Trash not available"


class NotTheFileError(FileNotFoundError):
    """The file of a trashed file's name in the trash is not the one that went in."""


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


def move_to_trash(
    path: Path, trash: Path | None = None, reserved: Callable[[Path], object] | None = None
) -> Path | None:
    """Move `path` into the trash; where it went (None where the system's trash does not say).
    `reserved(place)` hears each place before its name is taken (a stopped process's repair
    then finds any info file it left, `release`), and before the file moves. OSError when it
    cannot; the file then stays where it was."""
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
        target = files / name
        if reserved is not None:
            reserved(target)
        try:
            # The info file is created first and exclusively: that reserves the name.
            with (info / f"{name}{INFO_SUFFIX}").open("x", encoding="utf-8") as output:
                output.write(text)
        except FileExistsError:
            continue
        try:
            move_file(original, target)
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


def move_file(source: Path, target: Path, temp: Path | None = None) -> None:
    """Rename `source` to `target`, or on another drive copy it whole (under `temp` when given)
    and then remove it."""
    try:
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "already there", str(target))
        os.rename(source, target)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
    try:
        copied = safe.copy_file(source, target, temp=temp)
    except FileOpError as error:
        raise OSError(errno.EIO, error.reason, str(source)) from error
    try:
        deleted = safe.delete_if_copied(source, target, copied.size, copied.sha256)
    except OSError:
        target.unlink(missing_ok=True)  # the original stays: no second copy in the trash
        raise
    if not deleted:
        target.unlink(missing_ok=True)
        raise OSError(errno.EIO, "the copy in the trash was not whole", str(source))


def restore_from_trash(
    trashed: Path,
    expected: Path | None = None,
    recorded: tuple[int, str] | None = None,
    temp: Path | None = None,
) -> Path:
    """Put a file this module trashed back where it was; its original path. OSError (the file
    stays in the trash) when it is gone from the trash, when the trash's record of it names
    another place than `expected` (the name was reused by a file trashed since), when it no
    longer has the size and SHA-256 `recorded` as it went in, or when something else is at
    its old path. A copy across drives is written under `temp` when given (journaled by the
    caller: `trash_back`)."""
    if recorded is not None and not safe.matches(trashed, *recorded):
        raise NotTheFileError(errno.ENOENT, "another file has that name in the trash now")
    info = _info_file(trashed)
    original = _recorded_path(info)
    if original is None:
        raise OSError(errno.EINVAL, "the trash's record of the file names no path", str(info))
    if expected is not None and original != expected.absolute():
        raise FileNotFoundError(errno.ENOENT, "another file has that name in the trash now")
    if os.path.lexists(original):
        raise FileExistsError(errno.EEXIST, "another file is at its old place", str(original))
    original.parent.mkdir(parents=True, exist_ok=True)
    move_file(trashed, original, temp)
    info.unlink(missing_ok=True)
    return original


def _info_file(place: Path) -> Path:
    return place.parent.parent / "info" / f"{place.name}{INFO_SUFFIX}"


def _recorded_path(info: Path) -> Path | None:
    """The original path a trash info file records; None when it names none."""
    lines = info.read_text(encoding="utf-8").splitlines()
    found = [line[5:] for line in lines if line.startswith("Path=")]
    return Path(unquote(found[0])) if found else None


def release(place: Path, path: Path) -> None:
    """A name in the trash a stopped move of `path` reserved, its file never moved there: its
    info file goes when it records `path` (another's reservation of the name stays)."""
    info = _info_file(place)
    try:
        if _recorded_path(info) == path.absolute():
            info.unlink()
    except (FileNotFoundError, UnicodeDecodeError):
        pass


def intend(path: str, trash: Path | None, step_id: int, book_id: int) -> None:
    """Record that `path` is to go to the trash (call in the transaction that decides it)."""
    database.execute_sql(
        "INSERT INTO trash_intent (path, trash, step_id, book_id) VALUES (?, ?, ?, ?)",
        (path, None if trash is None else str(trash), step_id, book_id),
    )


Moved = tuple[str, str | None]  # (the file's old path, where it is in the trash)
# (old path, where in the trash, and there its size and SHA-256 when it went in, if known)
Trashed = tuple[str, str | None, int | None, str | None]
Noted = Callable[[int, int, list[Trashed]], object]


def carry_out(noted: Noted) -> tuple[list[Moved], list[tuple[str, str]]]:
    """Move every file waiting in a trash intent (see the module docstring); `noted(step, book,
    moved)` hears where each step's book's files went once they all did. (moved, not moved
    with why.) One process at a time (`_alone`): two carrying out the same intents at once
    would each move the file the other had reserved a place for, and one would call it gone."""
    with _alone():
        return _carry_out(noted)


@contextmanager
def _alone() -> Iterator[None]:
    """Hold the library's trash lock (waiting for another process's carrying out to end)."""
    name = database.database
    if not name or name == ":memory:":
        yield
        return
    with open(Path(name).with_name(LOCK_NAME), "a+b") as handle:
        while not lock_file(handle, shared=False):
            time.sleep(0.05)
        yield


def _carry_out(noted: Noted) -> tuple[list[Moved], list[tuple[str, str]]]:
    rows = database.execute_sql(
        "SELECT id, path, trash, step_id, book_id, target, done FROM trash_intent ORDER BY id"
    ).fetchall()
    groups: dict[tuple[int, int], list[Moved]] = {}
    moved: list[Moved] = []
    failed: list[tuple[str, str]] = []
    for row, path, trash, step_id, book_id, target, done in rows:
        group = groups.setdefault((int(step_id), int(book_id)), [])
        try:
            went, where = (True, target) if done else _finish(row, Path(path), trash, target)
        except OSError as error:
            failed.append((path, error.strerror or str(error)))
            database.execute_sql("DELETE FROM trash_intent WHERE id = ?", (row,))
            continue
        if went:
            group.append((path, where))
            moved.append((path, where))
    for (step_id, book_id), files in groups.items():
        trashed = [(path, where, *_digest(where)) for path, where in files]
        with database.atomic("IMMEDIATE"):  # it reads, then writes
            if files:
                noted(step_id, book_id, trashed)
            database.execute_sql(
                "DELETE FROM trash_intent WHERE step_id = ? AND book_id = ?", (step_id, book_id)
            )
    return moved, failed


def _digest(where: str | None) -> tuple[int, str] | tuple[None, None]:
    """The size and SHA-256 of a file just moved into the trash, for the undo's check."""
    try:
        return (None, None) if where is None else safe.digest(Path(where))
    except OSError:
        return None, None


def _finish(row: int, path: Path, trash: str | None, target: str | None) -> tuple[bool, str | None]:
    """One intent carried out: (whether the file went to the trash, where it is there: None
    for the system's trash)."""
    if target is not None and os.path.lexists(target):
        if os.path.lexists(path):  # copied across drives; the original not yet deleted
            if not safe.same_bytes(path, target):
                raise OSError(errno.EEXIST, "another file took its place in the trash", target)
            os.remove(path)
        _done(row, target)
        return True, target
    if target is not None:  # a name reserved, the move never made: release it
        release(Path(target), path)
    if not os.path.lexists(path):
        return False, None
    where = move_to_trash(
        path,
        None if trash is None else Path(trash),
        reserved=lambda place: database.execute_sql(
            "UPDATE trash_intent SET target = ? WHERE id = ?", (str(place), row)
        ),
    )
    _done(row, None if where is None else str(where))
    return True, None if where is None else str(where)


def _done(row: int, target: str | None) -> None:
    database.execute_sql("UPDATE trash_intent SET done = 1, target = ? WHERE id = ?", (target, row))


def waiting(step_id: int, book_id: int) -> list[Moved]:
    """A removal's files that a stopped process moved to the trash without noting it yet: (old
    path, place in the trash)."""
    rows = database.execute_sql(
        "SELECT path, target FROM trash_intent WHERE step_id = ? AND book_id = ? AND done = 1",
        (step_id, book_id),
    ).fetchall()
    return [(str(path), target) for path, target in rows]


def settle(step_id: int, book_id: int) -> list[Moved]:
    """A removal being undone: its files still waiting for the trash stay where they are (their
    intents go), and those already moved there are returned (`waiting`), for the undo to bring
    back."""
    moved = waiting(step_id, book_id)
    database.execute_sql(
        "DELETE FROM trash_intent WHERE step_id = ? AND book_id = ?", (step_id, book_id)
    )
    return moved
