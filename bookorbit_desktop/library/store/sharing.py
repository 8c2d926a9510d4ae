"""Every process that uses a library shares it; a restore has it to itself.

A restore moves the library file aside and puts another in its place: a command writing to it
meanwhile (an `import`, `books edit`, `kosync`, `hardcover sync`) would write into the file
kept aside, or into one already deleted, and its work would be lost without a word. So every
command holds a shared lock on `bookorbit-desktop.use` in the data folder from before it first
reads the library until it ends (`LibraryUse`). A restore asks first whether any command
shares it (`check_alone`, before its long checks of the backup), then takes that lock alone
(`take_alone`) before it changes anything and keeps it to its end. Many commands, the window
and `serve` share the library as before (the window and `serve` also own it: `owner`).

A restore that finds the library shared is refused at once, naming what uses it: each user
leaves a record in `bookorbit-desktop.users/` (its pid and command) that it holds locked while
it runs. A command that finds a restore under way waits `WAIT_SECONDS` for it to end, then is
refused, before it has read anything: it never sees the library halfway through a restore.

The operating system drops these locks when their process ends, however it ends: a command
killed with `kill -9` leaves at most its record behind, which the next restore recognises as
unheld and removes. POSIX systems (Linux, macOS) lock with `flock`; Windows has no shared lock
in its C library, so there `LockFileEx` takes them (through `portalocker`, on Windows only).
"""

from __future__ import annotations

import logging
import os
import re
import stat
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.store.owner import LOCK_FILENAME, Owner, parse_owner, try_lock
from bookorbit_desktop.wording import in_words

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from typing import IO

log = logging.getLogger(__name__)

USE_FILENAME = "bookorbit-desktop.use"
USERS_FOLDER = "bookorbit-desktop.users"
WAIT_SECONDS = 5.0  # how long a command waits for a restore before it is refused
_POLL_SECONDS = 0.1
_MAX_RECORD = 4096
_RECORD_NAME = re.compile(r"[0-9]+\.[0-9a-f]{8}")  # `LibraryUse._write_record`'s names
# A record is opened as it is, never through a link, without waiting on a pipe in its place.
_RECORD_FLAGS = os.O_RDWR | sum(getattr(os, f, 0) for f in ("O_NOFOLLOW", "O_NONBLOCK", "O_BINARY"))


class LibraryBusyError(BookOrbitError):
    """A restore asked for while other processes use the library."""

    title = "Library in use"


class LibraryRestoringError(BookOrbitError):
    """A command started while a restore replaces the library."""

    title = "Library being restored"


def lock_file(handle: IO[bytes], *, shared: bool) -> bool:
    """Lock `handle`'s file, shared with other sharers or alone, without waiting; False if
    a holder of the other kind (or another sole holder) has it. A drive that takes no locks
    (a network share without its lock service) counts as locked: it is used as it was before
    there were these locks, rather than refusing every command."""
    if sys.platform == "win32":
        from portalocker import LockFlags
        from portalocker.exceptions import AlreadyLocked, LockException
        from portalocker.portalocker import Win32Locker

        mode = LockFlags.SHARED if shared else LockFlags.EXCLUSIVE
        try:
            Win32Locker().lock(handle, mode | LockFlags.NON_BLOCKING)
        except AlreadyLocked:
            return False
        except LockException as error:
            _no_locks(handle, error)
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as error:
        _no_locks(handle, error)
    return True


def _no_locks(handle: IO[bytes], error: Exception) -> None:
    log.warning(
        "The drive of %s takes no file locks (%s): a restore cannot tell whether a command "
        "uses the library",
        handle.name,
        error,
    )


def users(data_dir: Path) -> list[Owner]:
    """The processes that hold a record in `data_dir`, by pid; the records of processes that
    ended without removing theirs (killed) are removed. Only files named as `LibraryUse` names
    its records count: anything else in the folder (a link, a folder, a stray file) is left
    alone and never named. A folder that cannot be listed names no one."""
    found = []
    folder = data_dir / USERS_FOLDER
    try:
        names = sorted(os.listdir(folder))
    except OSError:  # none yet, or unreadable: the refusal says "another command"
        names = []
    for name in names:
        if _RECORD_NAME.fullmatch(name) is None:
            continue
        record = folder / name
        try:
            fd = os.open(record, _RECORD_FLAGS)
        except OSError:
            continue  # removed meanwhile, by a process that just ended
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a pipe, a device
            os.close(fd)
            continue
        with open(fd, "r+b") as handle:
            held = not try_lock(handle)
            if held:
                handle.seek(0)  # Windows locks at an offset
                found.append(parse_owner(handle.read(_MAX_RECORD).decode("utf-8", "replace")))
        if not held:
            with suppress(OSError):
                record.unlink()
    return sorted(found, key=lambda owner: (owner.pid or 0, owner.command))


def busy_refusal(found: list[Owner], data_dir: Path) -> str:
    """Why a restore may not run while `found` (maybe none known) use the library."""
    if found:
        named = [owner.describe() for owner in found]
        who = in_words(named)
        stop = "Let it finish (or stop it)" if len(found) == 1 else "Let them finish (or stop them)"
    else:
        who, stop = "another BookOrbit command", "Let it finish"
    return (
        f"The library in {data_dir} is in use by {who}: a restore needs it to itself. {stop}, "
        "then restore again. Nothing was changed."
    )


def restoring_refusal(data_dir: Path, command: str) -> str:
    """Why `command` may not run now: a restore is replacing the library (its pid, when the
    owner's record says)."""
    try:
        text = (data_dir / LOCK_FILENAME).read_bytes()[:_MAX_RECORD].decode("utf-8", "replace")
    except OSError:
        text = ""
    pid = parse_owner(text).pid
    by = f" (pid {pid})" if pid is not None else ""
    return (
        f"A restore is replacing the library in {data_dir}{by}. Nothing was done; run "
        f"`{command}` again once it has finished."
    )


class LibraryUse:
    """This process's share of the library in `data_dir`, for `command` (the word a refused
    restore names). `acquire` waits up to `wait` seconds for a restore under way, calling
    `on_wait` once when it starts waiting."""

    def __init__(
        self,
        data_dir: Path,
        command: str,
        *,
        wait: float | None = None,
        on_wait: Callable[[], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self.data_dir, self.command = data_dir, command
        self.wait = WAIT_SECONDS if wait is None else wait
        self._on_wait, self._clock, self._sleep = on_wait, clock, sleep
        self._gate: IO[bytes] | None = None
        self._record: tuple[Path, IO[bytes]] | None = None

    @property
    def held(self) -> bool:
        return self._gate is not None

    def acquire(self) -> None:
        """Share the library, or raise LibraryRestoringError once a restore has kept it for
        `wait` seconds. A data folder this process cannot write to is used unshared: no
        restore can lock it from here either, nor a command of this user write to it."""
        if self._gate is not None:
            return
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            gate = open(self.data_dir / USE_FILENAME, "a+b")  # noqa: SIM115 - held until release
        except OSError:
            return
        deadline = self._clock() + self.wait
        waited = False
        while not lock_file(gate, shared=True):
            if self._clock() >= deadline:
                gate.close()
                raise LibraryRestoringError(restoring_refusal(self.data_dir, self.command))
            if not waited and self._on_wait is not None:
                self._on_wait()
            waited = True
            self._sleep(_POLL_SECONDS)
        self._gate = gate
        self._record = self._write_record()

    def _write_record(self) -> tuple[Path, IO[bytes]] | None:
        """A record naming this process, held locked while it runs (None if it cannot be
        written: the library is shared all the same, only a refusal cannot name it)."""
        folder = self.data_dir / USERS_FOLDER
        record = folder / f"{os.getpid()}.{os.urandom(4).hex()}"
        try:
            folder.mkdir(exist_ok=True)
            handle = open(record, "w+b", buffering=0)  # noqa: SIM115 - held until release
        except OSError:
            return None
        try:
            if not try_lock(handle):  # a name no other process has: cannot happen
                raise OSError(f"{record} is locked by another process")
            handle.seek(0)  # Windows locks at an offset
            handle.write(f"{os.getpid()}\n{self.command}\n".encode())  # a full drive says so
        except OSError:
            handle.close()
            with suppress(OSError):
                record.unlink()
            return None
        return record, handle

    def release(self) -> None:
        """Stop sharing the library: the record goes first, so a restore that can lock the
        library finds no record of this process."""
        record, self._record = self._record, None
        if record is not None:
            path, handle = record
            handle.close()
            with suppress(OSError):
                path.unlink()
        gate, self._gate = self._gate, None
        if gate is not None:
            gate.close()  # closing drops the lock


def check_alone(data_dir: Path) -> None:
    """LibraryBusyError, naming the users, if a process shares the library in `data_dir` now
    (a restore asks before its long checks, and takes it with `take_alone` after them). No
    file is made: without a lock file, no process has shared the library yet."""
    try:
        gate = open(data_dir / USE_FILENAME, "rb")  # noqa: SIM115 - closed below
    except OSError:
        return
    with gate:
        if not lock_file(gate, shared=False):
            raise LibraryBusyError(busy_refusal(users(data_dir), data_dir))


def take_alone(data_dir: Path) -> IO[bytes]:
    """Hold the library in `data_dir` alone (a restore): the lock's open file, closing it ends
    the hold. LibraryBusyError at once, naming the users, while any process shares it; OSError
    when the lock file cannot be made."""
    gate = open(data_dir / USE_FILENAME, "a+b")  # noqa: SIM115 - the caller closes it
    if not lock_file(gate, shared=False):
        gate.close()
        raise LibraryBusyError(busy_refusal(users(data_dir), data_dir))
    users(data_dir)  # no one shares it now: what killed commands left goes
    return gate
