"""The one way the library writes the user's files and its own copies of them: tidy's moves
across drives and kept copies, KOReader's sidecar files, metadata written into a book, the
backups of written books and their restores.

Every write goes the same way:
1. the intent is journaled (`file_copy`, see `store.file_copy_schema`) with the short hidden
   temporary name the bytes go to, `.bookorbit-<random>.part` in the target's folder (short,
   so no suffix can push a long book name past the 255-byte limit of a name);
2. the bytes are written and hashed, the file is flushed (fsync);
3. the temporary file is read back: its size and SHA-256 must be what was written, and a
   caller's check (a written EPUB must open and carry its title) must pass;
4. one atomic rename gives it the target's name, and the folder is flushed;
5. the journal row becomes `placed`, with the size and checksum.
A failure at any step (a full disk, no permission, a name the file system refuses) removes the
temporary file and its row and raises `FileOpError` in the user's words; nothing half-written
ever carries a real name. `recover` (run before any other file work, by the command line and at
the window's start) removes what a killed process left at step 2 or 3. A source is deleted only
by `delete_if_copied`, once its copy still has the recorded size and checksum.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.durable import sync_path
from bookorbit_desktop.library.files.at_work import Busy, alone, at_work
from bookorbit_desktop.library.files.symlinks import one_file
from bookorbit_desktop.library.store.models import database

log = logging.getLogger(__name__)
WRITING = "writing"
PLACED = "placed"
TEMP_PREFIX = ".bookorbit-"
TEMP_SUFFIX = ".part"
_CHUNK = 1 << 20


class FileOpError(BookOrbitError):
    """A file was not written; nothing half-written was left. `reason`: why, in a few words."""

    title = "File not written"

    def __init__(self, target: Path, reason: str) -> None:
        super().__init__(f"{target.name} was not written: {reason}.")
        self.reason = reason


@dataclass(frozen=True)
class Record:
    """What the journal holds of a placed copy: its row, size and SHA-256, and for a backup the
    SHA-256 of the file written in place of its source (None when not recorded)."""

    row: int
    size: int
    sha256: str
    written: str | None


@dataclass(frozen=True)
class Copied:
    """A file in place: where, its size and SHA-256, and its journal row (None once dropped)."""

    target: Path
    size: int
    sha256: str
    record: int | None


def temp_beside(target: Path) -> Path:
    """A fresh temporary name in `target`'s folder, short whatever the target's name."""
    return target.parent / f"{TEMP_PREFIX}{secrets.token_hex(6)}{TEMP_SUFFIX}"


def digest(path: Path) -> tuple[int, str]:
    """(size, SHA-256 hex) of the file at `path`."""
    sha, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return size, sha.hexdigest()


def matches(path: Path | str, size: int, sha256: str) -> bool:
    """True when a regular file is at `path` with this size and checksum."""
    try:
        return (
            os.path.isfile(path)
            and os.path.getsize(path) == size
            and digest(Path(path))
            == (
                size,
                sha256,
            )
        )
    except OSError:
        return False


def same_bytes(first: Path | str, second: Path | str) -> bool:
    """True when both are regular files with the same bytes."""
    try:
        if os.path.getsize(first) != os.path.getsize(second):
            return False
        return digest(Path(first)) == digest(Path(second))
    except OSError:
        return False


def reason(error: OSError, where: Path | str) -> str:
    """An OS error in the user's words, naming the folder or file it happened in."""
    folder = os.path.dirname(os.fspath(where)) or os.fspath(where)
    if error.errno == errno.ENOSPC:
        return f"the disk holding {folder} is full"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"BookOrbit may not write in {folder}"
    if error.errno == errno.ENAMETOOLONG:
        return f"the name is too long for the file system of {folder}"
    return f"{error.strerror or error} ({error.filename or where})"


def copy_file(
    source: Path,
    target: Path,
    *,
    move_id: int | None = None,
    keep_record: bool = False,
    replace: bool = False,
    temp: Path | None = None,
) -> Copied:
    """Copy `source` to `target` as the module says. An existing target is replaced (atomically)
    only with `replace`; else FileOpError. With `keep_record` (or a `move_id`) the journal row
    stays, so the copy can be checked later; else it is dropped once the copy is in place.
    `temp`: the temporary name to write under, journaled by the caller (`temp_beside`)."""

    def write(temp: Path) -> tuple[int, str]:
        sha, size = hashlib.sha256(), 0
        with open(source, "rb") as reader, open(temp, "xb") as writer:
            while chunk := reader.read(_CHUNK):
                sha.update(chunk)
                size += len(chunk)
                writer.write(chunk)
            writer.flush()
            os.fsync(writer.fileno())
        shutil.copystat(source, temp)
        return size, sha.hexdigest()

    keep = keep_record or move_id is not None
    return _place(source, target, write, None, move_id, keep, replace, temp)


def write_file(
    target: Path,
    produce: Callable[[Path], object],
    *,
    check: Callable[[Path], object] | None = None,
    mode_of: Path | None = None,
    expect: tuple[int, str] | None = None,
    keep_record: bool = False,
) -> Copied:
    """Put what `produce(temp)` writes in place of `target` (atomically), once `check(temp)`
    passed; `check` raises to refuse. The file gets `mode_of`'s permissions when given. With
    `expect` (a size and SHA-256), `target` must still hold those bytes just before the rename:
    a file another program changed, replaced or removed meanwhile is left as it is. A
    read-only `target` (write permission for no one) is refused. With
    `keep_record` the journal row stays (`forget` it once the write is recorded elsewhere):
    `rewritten` then lists a write a stopped process put in place but had yet to record."""

    if os.path.exists(target) and not os.stat(target).st_mode & 0o222:
        raise FileOpError(target, "the file is read-only")

    def write(temp: Path) -> None:
        produce(temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        if mode_of is not None:
            shutil.copymode(mode_of, temp)

    def checked(temp: Path) -> None:
        if check is not None:
            check(temp)
        if expect is not None and not matches(target, *expect):
            why = "another program replaced or removed it meanwhile, and what it left was kept"
            raise FileOpError(target, why)

    return _place(target, target, write, checked, None, keep_record, True)


def _place(
    source: Path,
    target: Path,
    write: Callable[[Path], tuple[int, str] | None],
    check: Callable[[Path], object] | None,
    move_id: int | None,
    keep_record: bool,
    replace: bool,
    temp: Path | None = None,
) -> Copied:
    """The steps of every write (the module's docstring), while this process is known to be
    writing files (`at_work`: another process's start-up cleanup leaves its temporary file)."""
    with ExitStack() as working:
        try:
            working.enter_context(at_work())
        except Busy:
            why = "another BookOrbit process is finishing the file work a stopped one left"
            raise FileOpError(target, f"{why}; try again") from None
        temp = temp or temp_beside(target)
        row = _begin(source, target, temp, move_id, keep_record)
        try:
            written = write(temp)  # a copy: the size and checksum of what was read
            size, sha = digest(temp)
            if written is not None and written != (size, sha):
                raise FileOpError(target, "the copy read back differs from what was read")
            if check is not None:
                check(temp)
            database.execute_sql(  # what the target holds once renamed, for `recover`
                "UPDATE file_copy SET size = ?, sha256 = ? WHERE id = ?", (size, sha, row)
            )
            _rename(temp, target, replace)
        except BaseException as error:
            _discard(temp, row)
            if isinstance(error, OSError):
                raise FileOpError(target, reason(error, target)) from error
            raise
        try:
            sync_path(target.parent)
        except OSError as error:  # the rename is done: the file is in place whatever this says
            log.warning("Could not flush the folder of %s: %s", target, error)
        if keep_record:
            database.execute_sql("UPDATE file_copy SET state = ? WHERE id = ?", (PLACED, row))
            return Copied(target, size, sha, row)
        forget(row)
        return Copied(target, size, sha, None)


def _rename(temp: Path, target: Path, replace: bool) -> None:
    """`temp` takes `target`'s name in one step. Without `replace` an existing target is never
    overwritten, not even one made a moment ago: the name is taken with a hard link, which
    fails when it exists (a file system without hard links is checked, then renamed)."""
    if replace:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)
    except FileExistsError:
        raise FileOpError(target, f"a file is already at {target}") from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        if os.path.lexists(target):
            raise FileOpError(target, f"a file is already at {target}") from None
        os.replace(temp, target)
        return
    os.unlink(temp)


def _begin(source: Path, target: Path, temp: Path, move_id: int | None, keep: bool) -> int:
    cursor = database.execute_sql(
        "INSERT INTO file_copy (move_id, source, target, temp, state, keep, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            move_id,
            os.fspath(source),
            os.fspath(target),
            os.fspath(temp),
            WRITING,
            int(keep),
            time.time(),
        ),
    )
    return int(cursor.lastrowid)


def _discard(temp: Path, row: int) -> None:
    try:
        temp.unlink(missing_ok=True)
    except OSError as error:  # the row stays, so the next start tries again
        log.warning("Could not remove the unfinished copy %s: %s", temp, error)
        return
    forget(row)


def forget(row: int | None) -> None:
    """Drop a journal row (its copy was deleted, or is no longer checked)."""
    if row is not None:
        database.execute_sql("DELETE FROM file_copy WHERE id = ?", (row,))


def record_of(target: Path | str) -> Record | None:
    """What is recorded of the placed copy at `target` (the newest); None if nothing."""
    found = database.execute_sql(
        "SELECT id, size, sha256, written_sha256 FROM file_copy WHERE target = ? AND state = ?"
        " ORDER BY id DESC LIMIT 1",
        (os.fspath(target), PLACED),
    ).fetchone()
    if found is None:
        return None
    return Record(int(found[0]), int(found[1]), str(found[2]), found[3])


def rewritten() -> list[tuple[int, Path, int, str]]:
    """The files `write_file` put in place with `keep_record` whose row is still there (the
    process stopped before recording them): (row, file, size, SHA-256), once `recover` ran."""
    rows = database.execute_sql(
        "SELECT id, target, size, sha256 FROM file_copy"
        " WHERE state = ? AND move_id IS NULL AND source = target ORDER BY id",
        (PLACED,),
    ).fetchall()
    return [(int(r[0]), Path(r[1]), int(r[2]), str(r[3])) for r in rows]


def note_written(row: int, sha256: str) -> None:
    """Record, with a backup's row, the SHA-256 of the file written in place of its source."""
    database.execute_sql("UPDATE file_copy SET written_sha256 = ? WHERE id = ?", (sha256, row))


@dataclass(frozen=True)
class MoveCopy:
    """A placed copy a tidy move made (`adopted`: a file found there with the source's bytes,
    not written by the move)."""

    row: int
    source: str
    target: str
    size: int
    sha256: str
    adopted: bool


def copies_of_move(move_id: int) -> list[MoveCopy]:
    """The placed copies a tidy move made, in order."""
    rows = database.execute_sql(
        "SELECT id, source, target, size, sha256, temp FROM file_copy"
        " WHERE move_id = ? AND state = ? ORDER BY id",
        (move_id, PLACED),
    ).fetchall()
    return [
        MoveCopy(int(r[0]), str(r[1]), str(r[2]), int(r[3]), str(r[4]), r[5] == "") for r in rows
    ]


def delete_if_copied(source: Path | str, target: Path | str, size: int, sha256: str) -> bool:
    """Delete `source` only when it and its copy at `target` both still have the recorded size
    and checksum (a copy cut short, damaged or changed since keeps its source); True if deleted
    or already gone while the copy is whole."""
    if not matches(target, size, sha256):
        return False
    if not os.path.lexists(source) or one_file(source, target):
        return True  # gone already, or it is the copy itself: nothing to delete
    if not matches(source, size, sha256):
        return False
    os.remove(source)
    return True


def adopt(source: Path, target: Path, move_id: int) -> None:
    """Record a file already at `target` with `source`'s bytes as the copy of `source` (a copy
    an earlier run made, or an identical file found there), so its source goes like any
    other copied source."""
    size, sha = digest(target)
    database.execute_sql(
        "INSERT INTO file_copy (move_id, source, target, temp, size, sha256, state, keep,"
        " created_at) VALUES (?, ?, ?, '', ?, ?, ?, 1, ?)",
        (move_id, os.fspath(source), os.fspath(target), size, sha, PLACED, time.time()),
    )


def recover() -> int:
    """Finish the journal of copies a stopped process left: a temporary file still there is
    removed with its row; a copy whose rename happened (its temporary file gone, the target
    with the size and checksum recorded just before the rename) is placed. How many. Nothing
    while another process (or thread) is writing a file: its rows are not left, but in use."""
    with alone() as free:
        return _recover() if free else 0


def _recover() -> int:
    rows = database.execute_sql(
        "SELECT id, temp, target, size, sha256, keep FROM file_copy WHERE state = ?", (WRITING,)
    ).fetchall()
    for row, temp, target, size, sha, keep in rows:
        if one_file(temp, target):  # stopped between taking the name and dropping the temp
            os.unlink(temp)
        if not os.path.lexists(temp) and sha is not None and matches(target, size, sha):
            if keep:
                database.execute_sql("UPDATE file_copy SET state = ? WHERE id = ?", (PLACED, row))
            else:
                forget(int(row))  # in place, and nothing checks it later
        else:
            _discard(Path(temp), int(row))
    if rows:
        log.info("Finished %d file copy(ies) an earlier run left", len(rows))
    return len(rows)
