"""Watched folders: how long a refresh takes, and that the window never waits on it.

    python benchmarks/watched_folders.py [--count 2000]

Generates a library of `count` EPUB files (the same books as `import_bench.py`), then drives
the real `FolderWatcher` on an offscreen Qt event loop: the first pass (everything new), a pass
with nothing changed (the periodic rescan's cost), and a pass after 20 files were added and 20
moved. While each pass runs, a 5 ms timer on the GUI thread records the longest gap between
its ticks: the longest time the window could not repaint. Target: under 100 ms.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_bench import generate
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.services.library.watched_folders import (
    FolderRefresh,
    add_watched_folder,
    refresh_folders,
    watched_folders,
)
from bookorbit_desktop.ui.folder_watcher import FolderWatcher


def timed_pass(watcher: FolderWatcher, start) -> tuple[float, float, FolderRefresh]:
    """(seconds, longest GUI stall in ms, result) of one pass started by `start()`."""
    loop = QEventLoop()
    results: list[FolderRefresh] = []
    watcher.refreshed.connect(results.append)
    watcher.refreshed.connect(loop.quit)
    clock = QElapsedTimer()
    longest = 0.0
    last = 0.0

    def tick() -> None:
        nonlocal longest, last
        now = clock.nsecsElapsed() / 1e6
        longest = max(longest, now - last)
        last = now

    ticker = QTimer(interval=5)
    ticker.timeout.connect(tick)
    began = time.perf_counter()
    clock.start()
    ticker.start()
    start()
    loop.exec()
    ticker.stop()
    watcher.refreshed.disconnect(results.append)
    watcher.refreshed.disconnect(loop.quit)
    return time.perf_counter() - began, longest, results[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        books = root / "Books"
        generate(books, args.count)
        paths = Paths(root / "data", root / "log", root / "cache")
        paths.data_dir.mkdir()
        open_database(paths.db_file)
        add_watched_folder(str(books))
        watcher = FolderWatcher(
            functools.partial(refresh_folders, paths), watched_folders, rescan_ms=3_600_000
        )
        print(f"{args.count:,} books, load average {os.getloadavg()[0]:.2f}")
        seconds, stall, result = timed_pass(watcher, watcher.start)
        print(
            f"first pass: {result.report.imported:,} imported in {seconds:.1f} s; "
            f"longest GUI stall {stall:.0f} ms; {len(watcher.watched())} folders watched"
        )
        seconds, stall, result = timed_pass(watcher, watcher.refresh_now)
        print(f"nothing changed: {seconds:.2f} s; longest GUI stall {stall:.0f} ms")
        files = sorted(books.rglob("*.epub"))
        extra = root / "extra"
        generate(extra, 20)

        def change() -> None:
            for number, path in enumerate(sorted(extra.rglob("*.epub"))):
                path.rename(books / f"new-{number}.epub")
            (books / "moved").mkdir()
            for path in files[:20]:
                path.rename(books / "moved" / path.name)

        seconds, stall, result = timed_pass(watcher, change)
        report = result.report
        print(
            f"20 added + 20 moved, seen by the watcher: {report.imported} imported, "
            f"{report.moved} moved in {seconds:.2f} s (1.5 s of it settling); "
            f"longest GUI stall {stall:.0f} ms"
        )
        watcher.stop()
        watcher.wait()
        close_database()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
