"""The sizes and modification times of many files, read on two cores where that is safe.

An unchanged re-import of a large library is mostly one stat() per file: 250,000 of them take
about 0.4 s of one core. So on Linux, in a process with no other Python thread (the command
line: `may_fork`), `StatReader` forks a child that reads the stats from the end of the list
while this process goes on (pairing the files with the library's rows), then the stats from
the front. Both write into one shared memory map, each says how far it got, and each stops
where the other has been: neither waits on a fixed share, whatever the other work costs. The
child only writes to that map and leaves with `os._exit`; when it fails, this process reads
what the child did not. Anywhere else (other systems, the window's worker thread, a few
thousand files) the stats are read here, one by one.

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
_HEADER = 2  # numbers before the stats in the shared map (`Stats`)
_ITEM = 8  # bytes of a size or a modification time


class Stats:
    """The shared map both processes write the stats into: a header ([0] the files this
    process has read from the front, [1] the first file the child has read from the back),
    then each file's size (-1 until read) and modification time."""

    def __init__(self, buffer: mmap.mmap, count: int) -> None:
        self.buffer = buffer
        self.view = memoryview(buffer)
        self.header = self.view[: _HEADER * _ITEM].cast("q")
        self.sizes = self.view[_HEADER * _ITEM : (_HEADER + count) * _ITEM].cast("q")
        self.mtimes = self.view[(_HEADER + count) * _ITEM :].cast("d")

    @staticmethod
    def size_for(count: int) -> int:
        """Bytes of the map for `count` files."""
        return (_HEADER + 2 * count) * _ITEM

    def start(self) -> None:
        """Nothing read yet: every size -1, the child's part empty."""
        count = len(self.sizes)
        self.header[0] = 0
        self.header[1] = count
        self.sizes[:] = memoryview(b"\xff" * (count * _ITEM)).cast("q")

    def read(
        self, files: Sequence[str], start: int, end: int, unwanted: Container[str] | None
    ) -> None:
        sizes, mtimes, stat_of = self.sizes, self.mtimes, os.stat
        for index in range(start, end):
            path = files[index]
            if unwanted is not None and path in unwanted:
                continue
            try:
                found = stat_of(path)
            except OSError:
                continue
            sizes[index] = found.st_size
            mtimes[index] = found.st_mtime

    def read_from_back(self, files: Sequence[str], parent: int) -> None:
        """The child's part: chunks from the back until it meets this process's reads, or
        this process (`parent`) is gone. Killed, it leaves the child nothing to meet, and the
        child holds what it holds open (the library's share, `store.sharing`): it leaves with
        it."""
        header = self.header
        while header[0] < (start := header[1]) and os.getppid() == parent:
            start = max(start - CHUNK, header[0])
            self.read(files, start, header[1], None)
            header[1] = start

    def release(self) -> None:
        for view in (self.header, self.sizes, self.mtimes, self.view):
            view.release()
        self.buffer.close()


class StatReader:
    """`collect` gives each file's size and modification time (size -1 when stat() failed or
    the file was not wanted); see the module docstring. `child`: the map and the pid of a
    child already reading `files` from the back (`finding.Finding`'s), instead of one of its
    own."""

    def __init__(
        self,
        files: Sequence[str],
        *,
        fork_from: int | None = None,
        child: tuple[Stats, int] | None = None,
    ) -> None:
        self.files = files
        count = len(files)
        self._child: int | None
        if child is not None:
            self._stats, self._child = child
        else:
            self._stats = Stats(mmap.mmap(-1, Stats.size_for(count)), count)  # shared, anonymous
            self._stats.start()
            enough = count >= (FORK_FROM if fork_from is None else fork_from)
            self._child = self._fork() if enough and may_fork() else None
        self.forked = self._child is not None  # a child reads stats too

    def collect(
        self, unwanted: Container[str] | None = None
    ) -> tuple[Sequence[int], Sequence[float]]:
        """(sizes, modification times) of all files, valid until the reader closes. Files in
        `unwanted` (when given) may be left unread here, at size -1; the child cannot know
        them and reads them all."""
        stats, files = self._stats, self.files
        header = stats.header
        front, count = 0, len(files)
        while front < (end := header[1]):
            end = min(front + CHUNK, end)
            stats.read(files, front, end, unwanted)
            front = header[0] = end
        if self._child is not None and not self._joined():
            stats.read(files, front, count, unwanted)  # the child failed: what it left, here
        return stats.sizes, stats.mtimes

    def close(self) -> None:
        """Stop the child if it still runs, and free the map."""
        if self._child is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._child, signal.SIGKILL)
            self._joined()
        self._stats.release()

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
            self._stats.read_from_back(self.files, parent)
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


def close_inherited(*keep: int) -> None:
    """In a forked child, close every file it inherited but the standard streams (and the
    files `sys.stdout` and `sys.stderr` write to, when redirected) and `keep`: it then holds
    nothing of its process open (the library's files and share, the other end of its own pipe
    or another child's, which would keep them from seeing their process gone)."""
    kept = {0, 1, 2, *keep}
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):  # none, or no file
            kept.add(stream.fileno())
    for name in os.listdir("/proc/self/fd"):
        number = int(name)
        if number not in kept:
            with contextlib.suppress(OSError):  # the listing's own, closed already
                os.close(number)


def may_fork() -> bool:
    """A child may be forked: on Linux, where fork() is plain and cheap, from a process with
    no other Python thread (the command line; the window imports on a worker thread). A
    thread holding a lock at the fork would leave it held in the child; with none, the child
    gets everything whole (the interpreter's own lock fork() hands over sound), and what it
    runs (a walk, stat(), the ebook readers) starts no thread of its own."""
    return sys.platform == "linux" and threading.active_count() == 1
