"""The longest stall of the window's event loop while the app imports and syncs.

    python benchmarks/ui_stall.py [--books 2000] [--sync 1000] [--tick-ms 5]

A QTimer ticks every TICK ms on the GUI thread (offscreen platform, the app's qasync loop) and
records the gap between ticks; anything far above TICK is time the window could not repaint
or answer a click. Measured during:

  import   the window's Import (`ImportRunner` with `LibraryService.run_import`) of BOOKS
           generated EPUB files (covers included, as benchmarks/import_bench.py makes them);
  sync     "Sync Now" from the Hardcover page (`HardcoverController`: matching, the dry-run
           review of a big pass, answered at once, then the push with its dialog) of SYNC of
           those books, each linked to its own book on the fake Hardcover (tests/fakes),
           whose rate-limit waits run on a virtual clock so only real work is timed.

The app's garbage collection policy (`ui/gc_guard.py`) is in force, as in the app.

Prints the longest gap and the 99th percentile per phase, next to the target (< 100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.hardcover.api.client import HardcoverClient  # noqa: E402
from bookorbit_desktop.hardcover.api.credentials import TokenStore  # noqa: E402
from bookorbit_desktop.hardcover.api.ratelimit import RateLimiter  # noqa: E402
from bookorbit_desktop.hardcover.matching.store import pin  # noqa: E402
from bookorbit_desktop.library.reading.edits import update_reading_state  # noqa: E402
from bookorbit_desktop.library.store.checkpoint import (  # noqa: E402
    Checkpointer,
    no_inline_checkpoints,
)
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from bookorbit_desktop.library.store.models import Book  # noqa: E402
from bookorbit_desktop.services.hardcover.account import HardcoverAccount  # noqa: E402
from bookorbit_desktop.services.hardcover.service import HardcoverService  # noqa: E402
from bookorbit_desktop.services.library.service import LibraryService  # noqa: E402
from bookorbit_desktop.ui.gc_guard import GarbageCollector  # noqa: E402
from bookorbit_desktop.ui.hardcover.controller import HardcoverController  # noqa: E402
from bookorbit_desktop.ui.hardcover.page import HardcoverView  # noqa: E402
from bookorbit_desktop.ui.library.import_runner import ImportRunner  # noqa: E402
from bookorbit_desktop.ui.status import StatusHub  # noqa: E402
from bookorbit_desktop.ui.sync.review_dialog import ReviewDialog  # noqa: E402
from tests.fakes.clock import VirtualClock  # noqa: E402
from tests.fakes.file_keyring import FileKeyring  # noqa: E402
from tests.fakes.hardcover_catalog import EBOOK, Catalog  # noqa: E402
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover  # noqa: E402

TARGET_MS = 100.0
STATUSES = ("want_to_read", "reading", "read", "on_hold")


def _import_bench():
    spec = importlib.util.spec_from_file_location(
        "import_bench", ROOT / "benchmarks/import_bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class StallMeter:
    """Gaps between ticks of a short QTimer on the GUI thread, in milliseconds."""

    def __init__(self, tick_ms: int) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self.gaps = []
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> list[float]:
        self._timer.stop()
        return self.gaps


def link_for_sync(catalog: Catalog, count: int) -> None:
    """Link `count` imported books to their own Hardcover books, with varied reading states."""
    for n, book in enumerate(Book.select(Book.id, Book.title).order_by(Book.id).limit(count)):
        hc_book = catalog.add_book(book.title or f"Book {n}", authors=["Ann Author"])
        edition = catalog.add_edition(hc_book, pages=320, reading_format_id=EBOOK)
        pin(book.id, hc_book, edition_id=edition, edition_pages=320, reason="picked")
        status = STATUSES[n % len(STATUSES)]
        state: dict[str, object] = {"status": status}
        if status != "want_to_read":
            state["started"] = f"2026-02-{1 + n % 27:02d}"
        if status == "read":
            state["finished"] = f"2026-03-{1 + n % 27:02d}"
        update_reading_state(book.id, **state)  # type: ignore[arg-type]


def report(name: str, gaps: list[float], seconds: float) -> None:
    worst = max(gaps, default=0.0)
    p99 = statistics.quantiles(gaps, n=100)[98] if len(gaps) >= 100 else worst
    verdict = "ok" if worst < TARGET_MS else "OVER TARGET"
    print(
        f"{name:<7} {seconds:7.1f} s  longest stall {worst:7.1f} ms  p99 {p99:6.1f} ms  "
        f"(target < {TARGET_MS:.0f} ms: {verdict})"
    )


async def run(args: argparse.Namespace, tmp: Path, bench, settle: Callable[[], object]) -> None:
    paths = resolve_paths(tmp / "data")
    paths.ensure()
    open_database(paths.db_file)
    no_inline_checkpoints()  # as the app does: the journal is copied back on a thread
    checkpointer = Checkpointer(paths.db_file)
    checkpointer.start()
    window = QWidget()
    library = LibraryService(paths)
    meter = StallMeter(args.tick_ms)

    books = tmp / "books"
    print(f"generating {args.books} EPUB files…", flush=True)
    bench.generate(books, args.books)
    runner = ImportRunner(library.run_import, window)
    runner._show_summary = lambda _report: None  # no message box left waiting for a click
    meter.start()
    started = time.perf_counter()
    imported = await runner.run([str(books)])
    report("import", meter.stop(), time.perf_counter() - started)
    assert imported is not None

    clock = VirtualClock()
    catalog = Catalog()
    user_id = catalog.add_user("reader")
    token = catalog.add_token(user_id)
    link_for_sync(catalog, args.sync)
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=clock)) as fake:

        def client(token: str, **kw) -> HardcoverClient:
            kw["limiter"] = RateLimiter(clock=clock)
            return HardcoverClient(token, endpoint=fake.url, clock=clock, sleep=clock.sleep, **kw)

        keyring = FileKeyring(tmp / "keyring.json")
        service = HardcoverService(HardcoverAccount(TokenStore(keyring), client_factory=client))
        await service.connect(token)
        controller = HardcoverController(
            service, StatusHub(), HardcoverView(window), library.list_books, window,
            cover_for=library.cover_file,
        )  # fmt: skip
        controller.dialog_delay = 0.0

        def answer_review(dialog: object) -> None:
            if isinstance(dialog, ReviewDialog):  # the review of a big pass: Send at once
                QTimer.singleShot(0, dialog.accept)

        controller.dialog_opened.connect(answer_review)
        settle()  # as the app does once it has started (ui/gc_guard.py)
        meter.start()
        started = time.perf_counter()
        task = controller.sync_now()
        assert task is not None
        await task
        report("sync", meter.stop(), time.perf_counter() - started)
        assert controller.manual is not None
        dialog = controller.manual.dialog
        print(f"        {dialog.report_title.text()}: {dialog.report_summary.text()}")
    checkpointer.stop()
    close_database()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=2000)
    parser.add_argument("--sync", type=int, default=1000)
    parser.add_argument("--tick-ms", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    bench = _import_bench()
    collector = GarbageCollector(app)  # as the app does
    collector.start()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PYTHON_KEYRING_BACKEND"] = "tests.fakes.file_keyring.FileKeyring"
        os.environ["BOOKORBIT_TEST_KEYRING_FILE"] = str(Path(tmp) / "keyring.json")
        with loop:
            loop.run_until_complete(run(args, Path(tmp), bench, collector.thorough))
    collector.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
