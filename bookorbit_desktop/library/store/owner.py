"""One process owns a library: the window, `serve` and `restore` each take this lock first.

Two owners would each keep their own copy of what devices pushed (and hand devices stale
positions from it), and a restore under a running server replaces the file the server is
still writing to. So the process that serves or replaces a library holds an exclusive lock on
`bookorbit-desktop.lock` in its data folder, with its pid and command written inside; a second
owner is refused with a message naming the first. The operating system drops the lock when
its process ends, however it ends, so a crash never leaves a library locked. Short commands
(`books`, `import`, `kosync set-user`, `backup`) own nothing: SQLite keeps their writes safe
next to an owner, and the owner sees them within a second. They share the library instead
(`sharing`), which keeps a restore from replacing it under them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.errors import BookOrbitError

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from typing import IO

LOCK_FILENAME = "bookorbit-desktop.lock"
_WINDOWS_LOCK_OFFSET = 1 << 20  # Windows locks a byte range: one past what is written
_MAX_RECORD = 4096
_MAX_COMMAND = 200  # characters of a command a refusal shows


@dataclass(frozen=True)
class Owner:
    """Who holds a library: a process id and the command it runs ("serve", "window", ...)."""

    pid: int | None
    command: str

    def describe(self) -> str:
        pid = f"pid {self.pid}" if self.pid is not None else "an unknown pid"
        return f"`{self.command}` ({pid})"


class LibraryInUseError(BookOrbitError):
    title = "Library in use"

    def __init__(self, message: str, owner: Owner) -> None:
        super().__init__(message)
        self.owner = owner


def parse_owner(text: str) -> Owner:
    """The owner recorded in a lock file: `pid` on the first line, the command on the second.
    A command that is no plain line of text (control characters, bytes that are no UTF-8, a
    damaged file) is not shown: the owner's command is then unknown."""
    lines = text.splitlines()
    first = lines[0].strip() if lines else ""
    command = lines[1].strip() if len(lines) > 1 else ""
    if (
        not command
        or len(command) > _MAX_COMMAND
        or not command.isprintable()
        or "\ufffd" in command
    ):
        command = "unknown command"
    return Owner(int(first) if first.isascii() and first.isdigit() else None, command)


def try_lock(handle: IO[bytes]) -> bool:
    """Lock `handle`'s file for this process without waiting; False if another holds it."""
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_WINDOWS_LOCK_OFFSET)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class LibraryLock:
    """The lock of the library in `data_dir`, taken for `command` (a word the refusal shows)."""

    def __init__(self, data_dir: Path, command: str) -> None:
        self.path = data_dir / LOCK_FILENAME
        self.command = command
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> None:
        """Take the lock, or raise LibraryInUseError naming the process that holds it."""
        if self._handle is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Unbuffered: a write the drive refuses fails here, never again when the lock ends.
        handle = open(self.path, "a+b", buffering=0)  # noqa: SIM115 - kept open while held
        if not try_lock(handle):
            handle.seek(0)
            owner = parse_owner(handle.read(_MAX_RECORD).decode("utf-8", "replace"))
            handle.close()
            raise LibraryInUseError(refusal(owner, self.command, self.path.parent), owner)
        handle.seek(0)
        handle.truncate()
        with contextlib.suppress(OSError):  # a full drive: held all the same, only unnamed
            handle.write(f"{os.getpid()}\n{self.command}\n".encode())
        self._handle = handle

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        handle.seek(0)
        handle.truncate()  # no stale owner named once the lock is free
        handle.close()  # closing drops the lock

    def __enter__(self) -> LibraryLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def refusal(owner: Owner, command: str, data_dir: Path) -> str:
    """Why `command` may not run: which process owns the library in `data_dir`, and what to do.
    The window is no command one types: it is started again as BookOrbit."""
    if owner.command == "window":
        stop = "Quit it (tray menu > Quit)"
    elif owner.command == "serve":
        stop = "Stop it (Ctrl-C in its terminal, or `kill` its pid)"
    else:
        stop = "Let it finish"
    again = "start BookOrbit" if command == "window" else f"run `{command}`"
    return (
        f"The library in {data_dir} is in use by {owner.describe()}: one process at a time may "
        f"serve it or replace it. {stop}, then {again} again."
    )
