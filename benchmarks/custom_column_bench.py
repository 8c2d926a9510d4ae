"""Custom columns at library scale: the library table sorted and filtered by them, as the window
does it.

    python benchmarks/custom_column_bench.py [--books 250000] [--json] [--library DIR]

Builds a library of N books in a temporary folder (rows inserted in bulk, as `ui_startup`
builds its own: one file and a reading state each), adds a number column with a value for two
books in three and a text column with one for every other book (written in bulk; the database's
triggers keep their sort keys), and then, in this process, on the window's running loop as in
the app (the order read in a worker thread):

  sort by <column>        (Title, the built-in sort to compare with, then each custom column)
                          a click on the column's header, each time the other way round: how
                          long the window's thread is blocked (the click, then showing the
                          order with the rows painted; median of five), how long until the
                          first page of the new order is painted ("first page": a sort's first
                          page is read beside its whole order and shown when it comes first)
                          and until the whole order is shown ("whole order")
  search <search>         the search put into the empty filter box at once: blocked, and until
                          its books are shown (median of three)

Goals: the window's thread never blocked over 50 ms; the first page shown within 200 ms.
`--library DIR` builds the library in DIR and keeps it; a later run finds it there and measures
it again. `--json` prints one line, {"figures": ..., "goals": ...}, for the scale table
(`benchmarks/scale_table.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.generated_library import WORDS, insert_books  # noqa: E402
from benchmarks.ui_startup import settle_sort_keys  # noqa: E402
from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.library.custom.columns import add_column  # noqa: E402
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from bookorbit_desktop.library.store.models import database  # noqa: E402

SEARCHES = ("#weight:>500", "#weight:<100 #mood:river", "#mood:=harbour", '#mood:""')
BLOCKED_GOAL, ARRIVES_GOAL = "< 50 ms", "< 200 ms"


def build(data_dir: Path, count: int) -> None:
    rng = random.Random(11)
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    insert_books(count, rng, authors=300, files=True, states=True)
    weight, mood = add_column("Weight", "number"), add_column("Mood", "text")
    rows = [(weight.id, i, str(rng.randint(1, 1000))) for i in range(1, count + 1) if i % 3]
    rows += [(mood.id, i, json.dumps(rng.choice(WORDS))) for i in range(1, count + 1, 2)]
    with database.atomic():
        database.obj.connection().executemany(
            "INSERT INTO custom_value (column_id, book_id, value) VALUES (?, ?, ?)", rows
        )
    settle_sort_keys()
    close_database()


def measure(data_dir: Path) -> dict[str, float]:
    import qasync
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from bookorbit_desktop.services.library.service import LibraryService
    from bookorbit_desktop.ui.library.view import LibraryView

    qInstallMessageHandler(lambda *_args: None)  # the offscreen platform's window hints
    app = QApplication.instance() or QApplication([])
    paths = resolve_paths(data_dir)
    open_database(paths.db_file)
    figures: dict[str, float] = {}
    try:
        view = LibraryView()
        view.resize(1366, 768)
        view.custom_columns.show_columns()
        view.show()
        model = view.model
        model.set_reader(LibraryService(paths).table_books)
        model.refresh()
        app.processEvents()
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        shown_at: list[float] = []
        painted: list[float] = []
        model.modelAboutToBeReset.connect(lambda: shown_at.append(time.perf_counter()))

        class PaintWatch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    painted.append(time.perf_counter())
                return False

        watch = PaintWatch()
        view.table.viewport().installEventFilter(watch)

        def rows_painted() -> None:
            if not (shown_at and painted and painted[-1] >= shown_at[-1]):
                view.table.viewport().repaint()

        ticks: list[float] = []  # the window's loop free: a timer's ticks, 2 ms apart
        ticker = QTimer()
        ticker.setInterval(2)
        ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))

        async def timed(act: object) -> tuple[float, float, float]:
            shown_at.clear()
            ticks.clear()
            ticker.start()
            start = time.perf_counter()
            act()  # type: ignore[operator]
            acted = time.perf_counter()
            if model.ordering is not None and not model.ordering.done():
                await model.ordering
            rows_painted()
            end = time.perf_counter()
            ticker.stop()
            # Blocked: the click, or the longest the loop went without a tick.
            free = [acted, *(t for t in ticks if t > acted), end]
            blocked = max(acted - start, *(b - a for a, b in itertools.pairwise(free)))
            # The first rows shown: the loop free again after the first paint after a reset.
            paint = next((t for t in painted if shown_at and t >= shown_at[0]), end)
            first = next((t for t in ticks if t >= paint), end)
            return blocked * 1000, (first - start) * 1000, (end - start) * 1000

        orders = itertools.cycle((Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder))
        first = model.columnCount() - len(model.custom)
        # Title first: the built-in sort the others compare with.
        for index, name in [
            (0, "Title"),
            *((first + n, c.name) for n, c in enumerate(model.custom)),
        ]:
            view.table.setColumnHidden(index, False)
            samples = [
                loop.run_until_complete(
                    timed(lambda i=index: view.table.sortByColumn(i, next(orders)))
                )
                for _ in range(5)
            ]
            figures[f"sort by {name}, blocked"] = statistics.median(s[0] for s in samples)
            figures[f"sort by {name}, first page"] = statistics.median(s[1] for s in samples)
            figures[f"sort by {name}, whole order"] = statistics.median(s[2] for s in samples)
        for text in SEARCHES:
            samples = []
            for _ in range(3):
                samples.append(
                    loop.run_until_complete(timed(lambda t=text: view.filter_edit.setText(t)))
                )
                assert view.search_error.isHidden(), text
                loop.run_until_complete(timed(lambda: view.filter_edit.setText("")))
            figures[f"search {text}, blocked"] = statistics.median(s[0] for s in samples)
            figures[f"search {text}, arrives"] = statistics.median(s[2] for s in samples)
        asyncio.set_event_loop(None)
        loop.close()
        view.close()
        view.deleteLater()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    finally:
        close_database()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=250_000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--library", type=Path, help="keep the built library here, reuse it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bookorbit-custom-bench-") as folder:
        data_dir = (args.library or Path(folder)) / "data"
        start = time.perf_counter()
        if not data_dir.exists():
            build(data_dir, args.books)
        built = time.perf_counter() - start
        figures = measure(data_dir)
    goals = {
        name: BLOCKED_GOAL if name.endswith("blocked") else "" if "whole" in name else ARRIVES_GOAL
        for name in figures
    }
    if args.json:
        print(json.dumps({"books": args.books, "figures": figures, "goals": goals}))
        return 0
    print(f"library of {args.books:,} books built in {built:.1f} s; median ms:")
    for name, value in figures.items():
        goal = f"   (goal {goals[name]})" if goals[name] else ""
        print(f"  {name:<42}{value:>9.1f}{goal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
