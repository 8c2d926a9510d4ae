"""An import's files, found by a child process while this one reads the library.

An unchanged re-import of a large library walks its folders (about 0.3 s at 250,000 files),
reads the library's rows of its files (as long again) and one stat() per file (more still)
before it can compare them. The walk and the rows need nothing of each other, but both build
Python objects under one interpreter lock, so two threads only take turns (tried: slower than
one after the other). Where a child may be forked (`file_stats.may_fork`: the command line on
Linux) and there is a library to read meanwhile, `Finding` forks one that walks the sources
(`scan.collect_file_names`) and hands the files back as one text, in a memory file the two
share, saying so through a pipe; `result()` takes them. The child then reads the files' stats
in text order from the back, into a map on that file (`file_stats.Stats`), as
`file_stats.StatReader`'s own child would: `stats_child()` hands it to one (the quick answer
compares the files in that order).

The child keeps nothing of this process open but its pipe and that file (the library's share
among what it would hold: a killed import leaves no child holding it), stops once this
process is gone, and leaves with `os._exit`. A child that fails (killed, out of memory, a pipe
that breaks) leaves the walk or the stats to this process: the answer is the same either way.
Elsewhere, the sources are walked here, at once.

    with closing(Finding(["~/Books"], skip=[paths.data_dir], library=paths.db_file)) as finding:
        ...  # read the library meanwhile
        found = finding.result()
        reader = StatReader(sorted(found.files), child=finding.stats_child())
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import os
import pickle
import signal
import struct
import time
from collections.abc import Iterable
from pathlib import Path

from bookorbit_desktop.library.importer.file_stats import Stats, close_inherited, may_fork
from bookorbit_desktop.library.importer.scan import FoundFiles, collect_file_names

log = logging.getLogger(__name__)

# What the child sends through the pipe, once it has put it all in the memory file after the
# stats (so that it never waits on the pipe for this process to read it): the number of files,
# the byte length of their text (their paths joined by NUL, which no path holds) and that of
# the rest (a pickle of the failures and of the number of files ignored), which follows it.
_HEADER = struct.Struct("<QQQ")
_ENCODING = ("utf-8", "surrogateescape")  # a path's text and bytes, both ways, on Linux


class Finding:
    """The files of `sources` (`scan.find_files`), found meanwhile where that is safe."""

    def __init__(
        self,
        sources: Iterable[str | os.PathLike[str]],
        *,
        skip: Iterable[Path] = (),
        library: Path,
    ) -> None:
        self._sources = list(sources)
        self._skip = list(skip)
        self._started = time.monotonic()  # the import's start
        self._found: FoundFiles | None = None
        self._child: int | None = None
        self._pipe: int | None = None
        self._stats_file: int | None = None  # the memory file the child maps its stats on
        self._stats: Stats | None = None
        if may_fork() and _has_folder(self._sources) and _exists(library):
            self._fork()
        if self._child is None:
            self._found = self._walk_here()

    @property
    def forked(self) -> bool:
        """A child finds the files, or reads their stats."""
        return self._child is not None

    def result(self) -> FoundFiles:
        """The files, waiting for the child if it still walks."""
        if self._found is None:
            received = self._receive()
            if received is None:
                self._stop()
            self._found = received if received is not None else self._walk_here()
        return self._found

    def stats_child(self) -> tuple[Stats, int] | None:
        """After `result`: the map the child reads the stats of the files in text order into,
        and its pid, for a `StatReader` that takes them over (it then waits for the child or
        stops it); None when no child reads them."""
        if self._stats is None or self._child is None:
            return None
        handed = (self._stats, self._child)
        self._stats = self._child = None
        return handed

    def close(self) -> None:
        """Stop the child if it still runs and is not handed over, and free what it shared."""
        self._stop()
        for number in (self._pipe, self._stats_file):
            if number is not None:
                os.close(number)
        self._pipe = self._stats_file = None

    def _walk_here(self) -> FoundFiles:
        files, failures, ignored = collect_file_names(self._sources, skip=self._skip)
        return FoundFiles(files, failures, ignored, self._started)

    def _fork(self) -> None:
        try:
            stats_file = os.memfd_create("bookorbit-import-files")
        except OSError as error:
            log.debug("No child to find the files: %s", error)
            return
        reading, writing = os.pipe()
        try:
            pid = os.fork()
        except OSError as error:
            log.debug("No child to find the files: %s", error)
            for number in (reading, writing, stats_file):
                os.close(number)
            return
        if pid == 0:
            _child(self._sources, self._skip, writing, stats_file)  # never returns
        os.close(writing)  # only the child writes: its close ends the reading
        self._child, self._pipe, self._stats_file = pid, reading, stats_file

    def _receive(self) -> FoundFiles | None:
        """The child's files, or None when it sent no whole answer."""
        pipe, self._pipe = self._pipe, None
        stats_file, self._stats_file = self._stats_file, None
        if pipe is None or stats_file is None:
            return None
        with open(pipe, "rb") as answer, open(stats_file, "rb") as memory:  # closes both
            try:
                header = answer.read()  # to its end: the child closes it once it has written
                if len(header) != _HEADER.size:
                    return None  # the child died before it had found the files
                count, text_size, rest_size = _HEADER.unpack(header)
                size = Stats.size_for(count)
                memory.seek(size)
                text = memory.read(text_size)
                rest = memory.read(rest_size)
                if len(text) != text_size or len(rest) != rest_size:
                    return None
                stats = Stats(mmap.mmap(stats_file, size), count)  # the map keeps the file
            except (OSError, ValueError) as error:
                log.warning("Finding the files in a child failed (%s); walking here", error)
                return None
        self._stats = stats
        failures, ignored = pickle.loads(rest)
        files = text.decode(*_ENCODING).split("\0") if text else []
        return FoundFiles(files, failures, ignored, self._started)

    def _stop(self) -> None:
        """Stop the child and wait for it (its files or stats no longer wanted)."""
        if self._stats is not None:
            self._stats.release()
            self._stats = None
        pid, self._child = self._child, None
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _child(
    sources: list[str | os.PathLike[str]], skip: list[Path], pipe: int, stats_file: int
) -> None:
    """The forked child's life: walk, send the files, read their stats from the back, leave
    without running this process's clean-up (its connections, buffered output and files are
    the parent's)."""
    code = 1
    parent = os.getppid()
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it with the process
        close_inherited(pipe, stats_file)
        files, failures, ignored = collect_file_names(sources, skip=skip)
        size = Stats.size_for(len(files))
        text = "\0".join(files).encode(*_ENCODING)
        rest = pickle.dumps((failures, ignored))
        os.ftruncate(stats_file, size + len(text) + len(rest))
        os.pwritev(stats_file, [text, rest], size)
        stats = Stats(mmap.mmap(stats_file, size), len(files))
        stats.start()  # before the files go: this process may read the map at once
        with open(pipe, "wb") as answer:
            answer.write(_HEADER.pack(len(files), len(text), len(rest)))
        stats.read_from_back(sorted(files), parent)  # the order the quick answer compares in
        code = 0
    finally:
        os._exit(code)


def _has_folder(sources: list[str | os.PathLike[str]]) -> bool:
    return any(os.path.isdir(os.path.expanduser(source)) for source in sources)


def _exists(library: Path) -> bool:
    """A library with rows to read while the child walks (an empty file has none)."""
    try:
        return os.stat(library).st_size > 0
    except OSError:
        return False
