"""The longest stall of the window while it follows changes other connections make.

    python benchmarks/follow_stall.py [--books 10000] [--seconds 10] [--every-ms 500]

A KOReader device pushes its position through the server's threads, a background sync or the
command line writes from elsewhere: the window learns of it through SQLite's data_version
(`ui/change_watch.py`) and reloads. With BOOKS books in a real `Desktop` (offscreen, the app's
qasync loop and garbage collection policy), another connection changes one book's progress
every EVERY ms for SECONDS, first with the library shown, then with the Hardcover page
shown; a QTimer ticking every 5 ms on the GUI thread records the gaps. Also measured: the
start-up fill of the whole library after the first screenful. Prints the longest gap and the
99th percentile per phase (target < 100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the real one

import qasync  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from ui_stall import StallMeter, report  # noqa: E402
from ui_startup import build_library  # noqa: E402

from bookorbit_desktop.app import Desktop  # noqa: E402
from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.library.store.db import open_database  # noqa: E402
from bookorbit_desktop.ui.gc_guard import GarbageCollector  # noqa: E402
from bookorbit_desktop.ui.single_instance import SingleInstance  # noqa: E402


async def push_every(db_file: Path, seconds: float, every: float, books: int) -> int:
    """Change one book's progress from another connection every `every` seconds."""
    other = sqlite3.connect(db_file, isolation_level=None)
    pushes = 0
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            book_id = 1 + (pushes * 7919) % books
            other.execute(
                "UPDATE reading_state SET progress = ?, updated_at = ? WHERE book_id = ?",
                ((pushes % 100) / 100, time.time(), book_id),
            )
            pushes += 1
            await asyncio.sleep(every)
    finally:
        other.close()
    return pushes


async def run(args: argparse.Namespace, data_dir: Path, settle) -> None:
    paths = resolve_paths(data_dir)
    open_database(paths.db_file)
    desktop = Desktop(
        paths, SingleInstance(paths.data_dir), started=time.monotonic(), settle=settle
    )
    desktop.build()
    meter = StallMeter(5)
    try:
        meter.start()
        start = time.perf_counter()
        desktop.show(start_hidden=False)
        task = desktop.fill()
        assert task is not None
        await task
        report("fill", meter.stop(), time.perf_counter() - start)
        window = desktop.window
        for name, page in (("library", window.tabs.widget(0)), ("hc page", None)):
            window.tabs.setCurrentWidget(page or desktop.hardcover_controller.view)
            await asyncio.sleep(0.5)
            meter.start()
            start = time.perf_counter()
            pushes = await push_every(paths.db_file, args.seconds, args.every_ms / 1000, args.books)
            await asyncio.sleep(2.0)  # the last change is noticed and shown
            report(name, meter.stop(), time.perf_counter() - start)
            print(f"          {pushes} changes from another connection")
    finally:
        await desktop.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--every-ms", type=int, default=500)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    collector = GarbageCollector(app)  # as the app does
    collector.start()
    with tempfile.TemporaryDirectory(prefix="bookorbit-follow-") as folder:
        data_dir = Path(folder) / "data"
        build_library(data_dir, args.books)
        print(f"{args.books:,} books; a change every {args.every_ms} ms for {args.seconds:g} s")
        with loop:
            loop.run_until_complete(run(args, data_dir, collector.thorough))
    collector.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
