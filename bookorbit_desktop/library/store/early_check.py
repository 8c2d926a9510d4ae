"""SQLite's quick check of the library, begun before the program needs its answer.

`db.open_database` refuses a damaged library file, which takes a quick check that reads the
whole file: a tenth of a second or more for a large library, a third of a second at 250,000
books. An import begins it before it walks the folders (`importer.complete`): walking them
keeps one core busy, the check runs on the other; `open_database` then takes the answer
(`take`) instead of checking again, and an import that finds nothing to write drops it
(`drop`). (The desktop app checks after its window shows the library instead: `app_library`.)

Where this process may fork (`forking.may_fork`: Linux, no other thread) the check runs in a
child process, so the stats an import reads on two cores later (`importer.file_stats`, which
forks too) still can be; the child writes the check's first row into a shared map and leaves
with `os._exit`, its connection never closed: closing the only connection to a library would
copy its journal back into the file, a write before the file was found sound. Elsewhere it
runs in a thread (SQLite works without holding Python's lock), and its connection stays open
until its answer is taken, after the library's own connection opened.
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import os
import signal
import sqlite3
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.forking import may_fork

log = logging.getLogger(__name__)

# Bytes of the shared map a child writes its answer into: its length, then its first row's
# text in UTF-8 (cut there; the refusal names the first problem only).
_ANSWER_BYTES = 4096
_LENGTH = 8
_NO_ROW = -1  # the check returned no row


@dataclass
class _Child:
    pid: int
    answer: mmap.mmap


_Thread = Future[tuple[tuple[str, ...] | None, sqlite3.Connection]]
_pending: dict[Path, _Thread | _Child] = {}
_lock = threading.Lock()


def begin(path: Path) -> None:
    """Start checking the library file at `path`, if there is one. Nothing here can fail:
    whatever stops the early check leaves the check to `open_database`."""
    try:
        if path.stat().st_size == 0:
            return  # `open_database` explains an empty file
        key = path.resolve()
    except OSError:
        return  # none yet, or unreadable: `open_database` says so
    with _lock:
        if key in _pending:
            return
        if may_fork():
            child = _fork(key)
            if child is not None:
                _pending[key] = child
            return
        future: _Thread = Future()
        _pending[key] = future
    try:
        threading.Thread(
            target=_check, args=(key, future), name="bookorbit-check", daemon=True
        ).start()
    except RuntimeError as error:  # no thread to be had
        log.debug("No early check of %s: %s", path, error)
        with _lock:
            _pending.pop(key, None)


@dataclass(frozen=True)
class Answer:
    row: tuple[str, ...] | None  # the first row of the quick check ("ok" when sound)


def take(path: Path) -> Answer | None:
    """The answer of the quick check begun for `path`, waiting for it if needed; None when
    none was begun or it could not run (its own connection failed: a network share SQLite
    takes no URI for, say), so the caller checks itself."""
    with _lock:
        pending = _pending.pop(path.resolve(), None)
    if pending is None:
        return None
    if isinstance(pending, _Child):
        return _child_answer(pending)
    try:
        row, connection = pending.result()
    except sqlite3.Error as error:
        log.debug("The early check of %s did not run: %s", path, error)
        return None
    connection.close()
    return Answer(row)


def drop(path: Path) -> None:
    """Nothing is to be written after all: stop the check begun for `path`, if any (a
    child is ended at once; a thread's check is waited for, then its connection closed)."""
    with _lock:
        pending = _pending.pop(path.resolve(), None)
    if isinstance(pending, _Child):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pending.pid, signal.SIGKILL)
        _child_answer(pending)
    elif pending is not None:
        with contextlib.suppress(sqlite3.Error):
            pending.result()[1].close()


def _check(path: Path, future: _Thread) -> None:
    try:
        connection = _connect(path)
        try:
            row = connection.execute("PRAGMA quick_check").fetchone()
        except BaseException:
            connection.close()
            raise
    except BaseException as error:
        future.set_exception(error)
        return
    future.set_result((row, connection))


def _connect(path: Path) -> sqlite3.Connection:
    # mode=rw: a file removed meanwhile is an error here, never a new empty library.
    return sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, check_same_thread=False)


def _fork(path: Path) -> _Child | None:
    answer = mmap.mmap(-1, _ANSWER_BYTES)  # shared, anonymous
    try:
        pid = os.fork()
    except OSError:
        answer.close()
        return None
    if pid:
        return _Child(pid, answer)
    code = 1
    try:  # the child: check, write the first row, and away without closing the connection
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it with the process
        row = _connect(path).execute("PRAGMA quick_check").fetchone()
        text = b"" if row is None else str(row[0]).encode()[: _ANSWER_BYTES - _LENGTH]
        length = _NO_ROW if row is None else len(text)
        answer[_LENGTH : _LENGTH + len(text)] = text
        answer[:_LENGTH] = length.to_bytes(_LENGTH, "little", signed=True)
        code = 0
    finally:
        os._exit(code)


def _child_answer(child: _Child) -> Answer | None:
    """Wait for the child; its answer, or None when it did not finish the check."""
    try:
        try:
            _, status = os.waitpid(child.pid, 0)
        except ChildProcessError:
            return None
        if os.waitstatus_to_exitcode(status) != 0:
            log.debug("The early check in process %d did not run", child.pid)
            return None
        length = int.from_bytes(child.answer[:_LENGTH], "little", signed=True)
        if length == _NO_ROW:
            return Answer(None)
        return Answer((child.answer[_LENGTH : _LENGTH + length].decode(errors="replace"),))
    finally:
        child.answer.close()
