"""Reading files on every core: `prepare_file` in worker processes, results in order.

    with Readers(workers=2) as readers:
        for path in paths:
            readers.submit(path)
        prepared = readers.next()   # the oldest submitted file's result, waiting if needed

Each worker is a process with one pipe to the importing process: paths go to it a few at a
time (`CHUNK_FILES`, to the worker with the fewest files to read), and every file's `Prepared`
comes back as soon as it is read, so results arrive in the order they were sent and a slow file
holds up none before it. Nothing else runs between the processes: a process pool's manager and
feeder threads cost the importing process, which also writes every book, more than half a
millisecond a file in switches between its threads.

At most `window` files are read ahead of the one the importer is writing, so memory stays flat
however large the folder. Workers ignore Ctrl-C (the terminal sends it to the whole process
group): the importing process decides what to keep, then `close()` drops the queued files and
stops the workers (they only read, so a worker stopped mid-file loses nothing) and waits for
them to exit. With `workers=0` files are read in this process, on demand, and if a worker dies
the remaining files are read here too.

Workers are forked where that is safe (the command line on Linux, `file_stats.may_fork`): they
start with the ebook readers this process has loaded, where a spawned worker took about a
fifth of a second of a core to load them, and multiprocessing's resource tracker (a process
of its own) is not started. A forked worker closes what it inherited but its pipe
(`file_stats.close_inherited`): the library's files and share, and the other workers' pipes,
whose ends it held would keep them from seeing this process gone. Elsewhere workers are
spawned, so a script that imports from its top level must guard it with
`if __name__ == "__main__":`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType

from bookorbit_desktop.library.importer.file_stats import close_inherited, may_fork
from bookorbit_desktop.library.importer.prepare import Prepared, prepare_file

log = logging.getLogger(__name__)

# Below this many files to read, starting worker processes costs more than it saves.
MIN_FILES_FOR_WORKERS = 16
# Files queued to each worker ahead of the importer: enough for the workers to read on through
# a batch's commit, which takes tens of milliseconds in a large library (16 left them waiting
# then). Their results wait in the pipe, and a worker whose pipe is full waits to send: what a
# worker holds stays one result whatever this is.
READ_AHEAD_PER_WORKER = 64
CHUNK_FILES = 4


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def workers_for(files_to_read: int, workers: int | None) -> int:
    """How many worker processes to start: none for a handful of files or on one core."""
    wanted = default_workers() if workers is None else workers
    if wanted <= 1 or files_to_read < MIN_FILES_FOR_WORKERS:
        return 0
    return min(wanted, files_to_read)


def _read_files(connection: Connection, forked: bool) -> None:
    """A worker's life: read the paths it is sent, send back each file's result."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if forked:
        close_inherited(connection.fileno())
        # The log's file is closed: its warnings go to stderr, as a spawned worker's do.
        logging.getLogger().handlers.clear()
    while True:
        try:
            paths = connection.recv()
        except (EOFError, OSError):
            return
        if paths is None:
            return
        for path in paths:
            prepared = prepare_file(path)
            # The path stays behind: the importing process has it, and rebuilding a Path
            # from its pickle costs more than the rest of the result.
            result = (
                prepared.digest,
                prepared.digest_error,
                prepared.metadata,
                prepared.metadata_error,
                prepared.has_cover,
            )
            try:
                connection.send(result)
            except OSError:  # the importing process is gone
                return


class _Worker:
    """One reading process, its end of the pipe, and how many files it still owes."""

    def __init__(
        self, context: multiprocessing.context.ForkContext | multiprocessing.context.SpawnContext
    ) -> None:
        self.connection, theirs = context.Pipe()
        forked = context.get_start_method() == "fork"
        self.process: BaseProcess = context.Process(
            target=_read_files,
            args=(theirs, forked),
            daemon=True,
            name="bookorbit-import-reader",
        )
        self.process.start()
        theirs.close()  # only the worker holds it now: its exit ends our reads with EOFError
        self.owed = 0

    def stop(self) -> None:
        if self.owed:
            self.process.terminate()  # it only reads; the rest of its files are not wanted
        else:
            try:
                self.connection.send(None)
            except OSError:
                self.process.terminate()
        self.process.join()
        self.connection.close()


# A pending file: its path and the worker reading it (None: read here, on demand).
_Pending = tuple[Path, "_Worker | None"]


class Readers:
    """Submit paths in order, take their `Prepared` results in the same order."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.window = max(1, workers * READ_AHEAD_PER_WORKER)
        self._pending: deque[_Pending] = deque()
        self._unsent: list[Path] = []  # submitted, not yet sent to a worker
        self._workers: list[_Worker] = []
        if workers > 0:
            # Forked where that is safe (no other thread, Linux: `file_stats.may_fork`), a
            # worker starts with the readers loaded; elsewhere (the window, other systems) it
            # is spawned, and loads them itself.
            context = (
                multiprocessing.get_context("fork")
                if may_fork()
                else multiprocessing.get_context("spawn")
            )
            try:
                for _ in range(workers):
                    self._workers.append(_Worker(context))
            except BaseException:
                self._shutdown()
                raise

    def __enter__(self) -> Readers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def full(self) -> bool:
        return len(self._pending) + len(self._unsent) >= self.window

    def __len__(self) -> int:
        return len(self._pending) + len(self._unsent)

    def submit(self, path: Path) -> None:
        if not self._workers:
            self._pending.append((path, None))
            return
        self._unsent.append(path)
        if len(self._unsent) >= CHUNK_FILES:
            self._send()

    def _send(self) -> None:
        """Send the unsent paths to the worker with the fewest files to read."""
        paths, self._unsent = self._unsent, []
        worker = min(self._workers, key=lambda candidate: candidate.owed)
        try:
            worker.connection.send(paths)
        except OSError as error:
            self._pending.extend((path, None) for path in paths)
            self._read_here(error)
            return
        worker.owed += len(paths)
        self._pending.extend((path, worker) for path in paths)

    def next(
        self, *, patience: float | None = None, on_wait: Callable[[], None] | None = None
    ) -> Prepared:
        """The result for the oldest submitted path (IndexError when none is pending).

        If it is not ready within `patience` seconds, `on_wait()` is called before waiting on
        (the importer commits its batch then, so a slow file never holds the library's write
        lock)."""
        if not self._pending and self._unsent:
            self._send()
        path, worker = self._pending.popleft()
        if worker is None:
            return prepare_file(path)
        try:
            if on_wait is not None and not worker.connection.poll(patience):
                on_wait()
            digest, digest_error, metadata, metadata_error, has_cover = worker.connection.recv()
        except (EOFError, OSError) as error:
            # A worker died (killed, out of memory) or could not start: read the rest here.
            self._read_here(error)
            return prepare_file(path)
        worker.owed -= 1
        return Prepared(path, digest, digest_error, metadata, metadata_error, has_cover)

    def _read_here(self, error: BaseException) -> None:
        log.warning("Import workers stopped (%s); reading the remaining files here", error)
        self._pending = deque((queued, None) for queued, _ in self._pending)
        self._pending.extend((queued, None) for queued in self._unsent)
        self._unsent = []
        self._shutdown()

    def close(self) -> None:
        """Drop files not read yet and wait for the workers to exit."""
        self._pending.clear()
        self._unsent = []
        self._shutdown()

    def _shutdown(self) -> None:
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()
