"""An import process watched while it runs: files/s and CPU a file for each slice of books.

`import_bench.py --slices N` hands a `Timeline` to the import it times. Twice a second it reads
how many books the library holds (the largest book id: the library starts empty, and a read of
the write-ahead log's committed state holds nothing up) and the CPU time of the import process
and its workers so far; at the end it prints, for each N books, the rate and the CPU a file of
that slice, which shows where a cost that grows with the library sets in, and the share of the
machine's cores that other processes used meanwhile: the CPU a file of a slice grows with that
share too (a busy machine slows the import's caches, and its batches, whose length is bounded
in seconds, hold fewer files), so a slice that costs more while others were busy says more
about them than about the library.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.5


def machine_cpu() -> float:
    """CPU seconds the whole machine has spent busy (every process, every core) so far. Linux
    counts a guest's time in `user` and `nice` already, so it is taken out of the sum once."""
    times = psutil.cpu_times()
    left_out = ("idle", "iowait", "guest", "guest_nice")
    return sum(times) - sum(getattr(times, name, 0.0) for name in left_out)


def family_cpu(process: psutil.Process) -> float:
    """CPU seconds of `process`, the children it waited for and the children still running."""
    times = process.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            child_times = child.cpu_times()
            total += child_times.user + child_times.system
    return total


class Timeline:
    """(seconds, books, CPU seconds, the machine's busy CPU seconds) of an import process,
    sampled while it runs."""

    def __init__(self, db_file: Path, slice_books: int) -> None:
        self._db_file = db_file
        self._slice = slice_books
        self._connection: sqlite3.Connection | None = None
        self._next = 0.0
        self._machine_start = machine_cpu()
        self.points: list[tuple[float, int, float, float]] = [(0.0, 0, 0.0, 0.0)]

    def _books(self) -> int | None:
        if self._connection is None:
            if not self._db_file.exists():
                return None
            self._connection = sqlite3.connect(f"file:{self._db_file}?mode=ro", uri=True)
        try:
            row = self._connection.execute("SELECT max(id) FROM book").fetchone()
        except sqlite3.Error:  # the schema is not made yet
            return None
        return int(row[0] or 0)

    def sample(self, process: psutil.Process, seconds: float) -> None:
        """Called by the watcher's loop; samples once per `SAMPLE_SECONDS`."""
        if seconds < self._next:
            return
        self._next = seconds + SAMPLE_SECONDS
        with contextlib.suppress(psutil.Error):
            books = self._books()
            if books is not None:
                cpu = family_cpu(process)
                self.points.append((seconds, books, cpu, self._machine() - cpu))

    def finish(self, seconds: float, books: int, cpu: float) -> None:
        """The process ended after `seconds`, having written `books` and used `cpu` seconds."""
        if self._connection is not None:
            self._connection.close()
        self.points.append((seconds, books, cpu, self._machine() - cpu))

    def _machine(self) -> float:
        return machine_cpu() - self._machine_start

    def slices(self) -> list[tuple[int, int, float, float, float]]:
        """(first book, last book, files/s, CPU ms a file, the share of the cores other
        processes used) of each slice of the run."""
        cores = psutil.cpu_count() or 1
        rows = []
        start = self.points[0]
        for point in self.points[1:]:
            if point[1] - start[1] >= self._slice or point is self.points[-1]:
                books = point[1] - start[1]
                if books > 0:
                    seconds, cpu = point[0] - start[0], point[2] - start[2]
                    others = max(point[3] - start[3], 0.0) / (seconds * cores)
                    rate, per_file = books / seconds, cpu * 1000 / books
                    rows.append((start[1], point[1], rate, per_file, others))
                start = point
        return rows

    def report(self) -> None:
        print(f"  by slices of about {self._slice:,} books (books in the library, then):")
        for first, last, rate, cpu, others in self.slices():
            print(
                f"    {first:>8,} - {last:>8,}: {rate:6.0f} files/s, CPU {cpu:.2f} ms a file"
                f" (other processes: {others:4.0%} of the cores)"
            )
