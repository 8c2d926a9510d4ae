"""The sizes and modification times of many files, read on two cores where that is safe.

An unchanged re-import of a large library is mostly one stat() per file: 250,000 of them take
about 0.4 s of one core, as long as walking the folders and reading the library together. So
on Linux, in a process with no other Python thread (the command line), `StatReader` forks a
child that reads the stats from the end of the list while this process reads the library,
then the stats from the front. Both write into one shared memory map, each says how far it
got, and each stops where the other has been: neither waits on a fixed share, whatever
reading the library costs. The child only writes to that map and leaves with `os._exit`;
when it fails, this process reads what the child did not. Anywhere else (other systems, the
window's worker thread, a few thousand files) the stats are read here, one by one.

    with closing(StatReader(files)) as reader:
        ...  # other work, while a child reads stats
        sizes, mtimes = reader.collect(unwanted=new_paths)
"""

from __future__ import annotations

import contextlib
import mmap
import os
import signal
import sys
import threading
from collections.abc import Container, Sequence

# Below this many files a child's start costs more than it saves.
FORK_FROM = 20_000
# Files read between two looks at how far the other process got.
CHUNK = 1_000
# The header of the shared map: [0] the files this process has read from the front, [1] the
# first file the child has read from the back (all files after it are read).
_HEADER = 2
_ITEM = 8  # bytes of a size or a modification time


class StatReader:
    """`collect` gives each file's size and modification time (size -1 when stat() failed or
    the file was not wanted); see the module docstring."""

    def __init__(self, files: Sequence[str], *, fork_from: int | None = None) -> None:
        self.files = files
        count = len(files)
        self._map = mmap.mmap(-1, (_HEADER + 2 * count) * _ITEM)  # shared, anonymous
        view = memoryview(self._map)
        self._header = view[: _HEADER * _ITEM].cast("q")
        self._sizes = view[_HEADER * _ITEM : (_HEADER + count) * _ITEM].cast("q")
        self._mtimes = view[(_HEADER + count) * _ITEM :].cast("d")
        self._view = view
        self._header[1] = count
        self._sizes[:] = memoryview(b"\xff" * (count * _ITEM)).cast("q")  # all -1
        enough = count >= (FORK_FROM if fork_from is None else fork_from)
        self._child = self._fork() if enough and _may_fork() else None
        self.forked = self._child is not None  # a child reads stats too

    def collect(
        self, unwanted: Container[str] | None = None
    ) -> tuple[Sequence[int], Sequence[float]]:
        """(sizes, modification times) of all files, valid until the reader closes. Files in
        `unwanted` (when given) may be left unread here, at size -1; the child cannot know
        them and reads them all."""
        header, files = self._header, self.files
        front, count = 0, len(files)
        while front < (end := header[1]):
            end = min(front + CHUNK, end)
            self._read(front, end, unwanted)
            front = header[0] = end
        if self._child is not None and not self._joined():
            self._read(front, count, unwanted)  # the child failed: what it left, here
        return self._sizes, self._mtimes

    def close(self) -> None:
        """Stop the child if it still runs, and free the map."""
        if self._child is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._child, signal.SIGKILL)
            self._joined()
        for view in (self._header, self._sizes, self._mtimes, self._view):
            view.release()
        self._map.close()

    def _read(self, start: int, end: int, unwanted: Container[str] | None) -> None:
        files, sizes, mtimes, stat = self.files, self._sizes, self._mtimes, os.stat
        for index in range(start, end):
            path = files[index]
            if unwanted is not None and path in unwanted:
                continue
            try:
                found = stat(path)
            except OSError:
                continue
            sizes[index] = found.st_size
            mtimes[index] = found.st_mtime

    def _fork(self) -> int | None:
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            return None
        if pid:
            return pid
        code = 1
        try:  # the child: from the back until it meets this process, then away
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it with the process
            header = self._header
            # Killed, this process leaves the child nothing to meet, and the child holds what
            # it holds open (the library's share, `store.sharing`): it leaves with it.
            while header[0] < (start := header[1]) and os.getppid() == parent:
                start = max(start - CHUNK, header[0])
                self._read(start, header[1], None)
                header[1] = start
            code = 0
        finally:
            os._exit(code)

    def _joined(self) -> bool:
        """Wait for the child; True when it read its part of the files."""
        pid, self._child = self._child, None
        if pid is None:
            return False
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return False
        return os.waitstatus_to_exitcode(status) == 0


def _may_fork() -> bool:
    """A child may be forked: on Linux, where fork() is plain and cheap, from a process with
    no other Python thread (the command line; the window imports on a worker thread). A
    thread holding a lock at the fork would leave it held in the child; the child takes no
    lock but the interpreter's own, which fork() hands over sound, and calls only stat()."""
    return sys.platform == "linux" and threading.active_count() == 1
