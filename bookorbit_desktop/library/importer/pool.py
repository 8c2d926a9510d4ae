"""Reading files on every core: `prepare_file` in a pool of worker processes, results in order.

    with Readers(workers=2) as readers:
        for path in paths:
            readers.submit(path)
        prepared = readers.next()   # the oldest submitted file's result, waiting if needed

At most `window` files are read ahead of the one the importer is writing, so memory stays flat
however large the folder. Workers ignore Ctrl-C (the terminal sends it to the whole process
group): the importing process decides what to keep, then `close()` drops the queued files and
waits for the workers to exit. With `workers=0` files are read in this process, on demand, and
if a worker dies the remaining files are read here too. Workers are started with "spawn", so a
script that imports from its top level must guard it with `if __name__ == "__main__":`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType

from bookorbit_desktop.library.importer.prepare import Prepared, prepare_file

log = logging.getLogger(__name__)

# Below this many files to read, starting worker processes costs more than it saves.
MIN_FILES_FOR_WORKERS = 16
READ_AHEAD_PER_WORKER = 8


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


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Readers:
    """Submit paths in order, take their `Prepared` results in the same order."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.window = max(1, workers * READ_AHEAD_PER_WORKER)
        self._pending: deque[tuple[Path, Future[Prepared] | None]] = deque()
        self._executor: ProcessPoolExecutor | None = None
        if workers > 0:
            # "spawn" everywhere: forking a process that runs Qt or other threads is unsafe.
            self._executor = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_ignore_interrupts,
            )

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
        return len(self._pending) >= self.window

    def __len__(self) -> int:
        return len(self._pending)

    def submit(self, path: Path) -> None:
        if self._executor is None:
            self._pending.append((path, None))
        else:
            self._pending.append((path, self._executor.submit(prepare_file, path)))

    def next(
        self, *, patience: float | None = None, on_wait: Callable[[], None] | None = None
    ) -> Prepared:
        """The result for the oldest submitted path (IndexError when none is pending).

        If it is not ready within `patience` seconds, `on_wait()` is called before waiting on
        (the importer commits its batch then, so a slow file never holds the library's write
        lock)."""
        path, future = self._pending.popleft()
        if future is None:
            return prepare_file(path)
        if on_wait is not None and not wait([future], timeout=patience).done:
            on_wait()
        try:
            return future.result()
        except BrokenProcessPool as error:
            # A worker died (killed, out of memory) or could not start: read the rest here.
            log.warning("Import workers stopped (%s); reading the remaining files here", error)
            self._pending = deque((queued, None) for queued, _ in self._pending)
            self._shutdown()
            return prepare_file(path)

    def close(self) -> None:
        """Drop files not read yet and wait for the workers to exit."""
        self._pending.clear()
        self._shutdown()

    def _shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
