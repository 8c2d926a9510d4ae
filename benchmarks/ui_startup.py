"""Desktop start-up and library-table speed with a large library.

    python benchmarks/ui_startup.py [--books 10000] [--runs 3] [--app EXECUTABLE] [--json]
                                    [--library DIR]

Builds a library of N books in a temporary folder (rows inserted in bulk: 1-2 authors, a
series for a third, one EPUB file row and a reading state each), and leaves it as the app does
once it has been quiet for a moment: the sort keys a KOReader push leaves behind (progress,
last read) brought up to date (`store.pushed_keys`; the app's checkpointer does it within
seconds of any write, but the rows inserted here in bulk left most books' keys behind, and an
order by those keys then works each book's key out afresh: 0.9 s instead of 0.15 at 250,000
books, a moment the app never stays in). Then:

  start-up   launches the real app (`python -m bookorbit_desktop --data-dir DIR gui`) on the
             offscreen Qt platform and measures, from just before the process is spawned,
             until the log says the window is shown (its table is read next, in a worker
             thread), until the table holds all N books and the rest is loaded (the log's
             "Library table filled"), and until the KOReader sync server
             answers; its memory (resident set, from /proc) once it has been idle for
             IDLE_SECONDS after that; then the time a SIGTERM takes to shut it down in
             order. Median of --runs launches. Targets with 50,000 books: window < 1.5 s,
             all books < 1.5 s, idle RSS < 200 MB.
  in-process the pieces of a refresh and of typing in the filter box: filling the table (SQLite's
             order and counts, and the rows on screen), following another connection's change to one
             book (which books changed and what that does to the table, read in worker threads, and
             what is left on the window's thread), and the whole of it on the window's thread (a
             saved book), after a refresh; then typing "river saga" into the filter box a key at a
             time and clearing it, then searches of the search language (`SEARCHES`: a tag, a rating
             comparison, dates, a pattern, with words or alone; half the books are rated, a third
             have tags), each put into the empty filter box at once, and sorting by a few columns.
             All of these run on the window's running loop, as in the app: how long the window's
             thread is blocked (the keystroke or the click, then showing the order read in a worker
             thread, each with a paint) and how long until the new order is shown ("filter result
             arrives", "sort order arrives", a search's "arrives"); and reading the stored Hardcover
             matches (every book not "unread" has one, with five candidates): all of them (no path
             of the window reads them all any more), and those of 1,000 books as a review before
             Sync Now lists them (read in a worker thread); and the account status with what Sync
             Now would look up and send (read after every action on that page).

`--app build/bundle/bookorbit-desktop/bookorbit-desktop` times the PyInstaller bundle instead
of `python -m bookorbit_desktop` (`make dist` builds it). Prints every figure in milliseconds.

Without `--app` the app's bytecode cache is written first (`compileall`), as every start but
the very first of an installed copy finds it: an environment with PYTHONDONTWRITEBYTECODE set
would otherwise compile the app's two hundred modules again at each launch (about 0.3 s).

`--library DIR` builds the library in DIR and keeps it; a later run with the same --books finds
it there and measures it again instead of building it anew (an A/B pair of two checkouts measures
the same library; the few reading states the in-process figures change stay changed).

`--json` prints instead one line, {"figures": ..., "goals": ...}, with the figures of the scale
table (`make bench-scale`): window shown, all books in the table, follow one change (all of it
on the window's thread), a filter keystroke (the window's thread blocked, median and worst of
typing "river saga", and the median time until its books are shown), the slowest of the
`SEARCHES` (blocked, and until its books are shown), a sort by title and by
authors (the window's thread blocked, median of five, each the other way round), the time
until a sort's order is shown, and idle RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import itertools
import json
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from peewee import chunked  # noqa: E402

from benchmarks.generated_library import FIRST, LAST, insert_books  # noqa: E402
from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from bookorbit_desktop.library.store.models import (  # noqa: E402
    HardcoverMatch,
    database,
)
from bookorbit_desktop.library.store.pushed_keys import fold_steps  # noqa: E402
from bookorbit_desktop.library.store.settings import set_setting  # noqa: E402
from tests.server.serve_process import server_answers  # noqa: E402

SHOWN = re.compile(r"Window shown after (\d+) ms")
FILLED = re.compile(r"Library table filled with (\d+) books after (\d+) ms")
CHUNK = 500
TAGS = ("Classic", "Favourite", "Owned", "Sci-Fi", "To lend", "Signed", "Book club")
# Searches of the search language, each timed from the empty filter box to its books shown.
SEARCHES = (
    "tags:classic",
    "tags:classic rating:>=4 added:>30daysago",
    "rating:>=4",
    "added:<30daysago",
    "added:>2025-01-01 rating:>=4",
    "river rating:>=4",
    "status:reading or rating:5",
    "title:~^river",
    "not series:true rating:<2",
)
IDLE_SECONDS = 3.0
# The books a review before Sync Now lists: some of the matched books, all over the library.
REVIEWED = "SELECT book_id FROM hardcover_match WHERE book_id % 97 = 0 LIMIT 1000"
GOALS = {
    "window shown": "< 1 s",
    "all books in the table": "< 1.5 s",
    "follow one change": "< 50 ms",
    "filter keystroke (median)": "< 50 ms",
    "filter keystroke (worst)": "",
    "filter result arrives": "",
    "search language, blocked (worst)": "< 50 ms",
    "search language, arrives (worst)": "",
    "sort by title": "< 50 ms",
    "sort by authors": "< 50 ms",
    "sort order arrives": "",
    "idle RSS": "< 300 MB",
}


def resident_mb(pid: int) -> float:
    """The resident set size of process `pid` in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmRSS for process {pid}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_library(data_dir: Path, count: int) -> int:
    """Fill a fresh library with `count` books; returns the server port it is set to use."""
    rng = random.Random(7)
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    statuses = insert_books(count, rng, authors=300, series_kind="Saga", files=True, states=True)
    now = time.time()
    database.execute_sql(  # half the books rated, 0.5 to 5
        "UPDATE reading_state SET rating = ((book_id / 2 * 3) % 10 + 1) / 2.0 WHERE book_id % 2 = 0"
    )
    # Two books in three with a page count, 80 to 1,279 pages.
    database.execute_sql("UPDATE book SET pages = 80 + id * 37 % 1200 WHERE id % 3 != 0")
    # A tag on every fourth book, Classic on every seventh: a third of the books tagged.
    with database.atomic():
        connection = database.obj.connection()
        connection.executemany("INSERT INTO tag (id, name) VALUES (?, ?)", enumerate(TAGS, 1))
        connection.executemany(
            "INSERT OR IGNORE INTO book_tag (book_id, tag_id) VALUES (?, ?)",
            [(i, i % len(TAGS) + 1) for i in range(4, count + 1, 4)]
            + [(i, i * 3 % len(TAGS) + 1) for i in range(7, count + 1, 7)],
        )
    # Every started, finished or wanted book has been matched on Hardcover once.
    matches = [hardcover_match(i, rng, now) for i, s in statuses.items() if s != "unread"]
    with database.atomic():
        for batch in chunked(matches, CHUNK):
            HardcoverMatch.insert_many(batch).execute()
    settle_sort_keys()
    port = free_port()
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", port)
    close_database()
    return port


def kept_library(folder: Path, count: int) -> tuple[Path, int]:
    """The library of `count` books kept in `folder` (built there the first time), and the
    server port it is set to use (a free one, set again at each run)."""
    data_dir, built = folder / "data", folder / "built.json"
    if not built.exists() or json.loads(built.read_text())["books"] != count:
        if data_dir.exists():
            raise SystemExit(f"{data_dir} holds another library: give an empty folder")
        build_library(data_dir, count)
        built.write_text(json.dumps({"books": count}))
    port = free_port()
    open_database(resolve_paths(data_dir).db_file)
    settle_sort_keys()  # the reading states a run's in-process figures changed, as the app would
    set_setting("server.port", port)
    close_database()
    return data_dir, port


def settle_sort_keys() -> None:
    """Bring the sort keys a push leaves behind up to date in the open library, as the app's
    checkpointer does once the library is quiet (`store.checkpoint`)."""
    for _step in fold_steps():
        pass


def hardcover_match(book_id: int, rng: random.Random, now: float) -> dict[str, object]:
    """A stored match as matching leaves it: linked or needing review, five candidates kept."""
    candidates = [
        {
            "book_id": book_id * 10 + n,
            "title": f"Candidate {n}",
            "authors": [f"{rng.choice(FIRST)} {rng.choice(LAST)}"],
            "year": 1990 + n,
            "edition": "ebook · en · 312 pages · 40 readers",
            "score": 0.9 - n / 10,
            "grade": "strong" if n == 0 else "low",
            "differences": [] if n == 0 else ["≠ author"],
            "pages": 312,
            "languages": ["en"],
            "readers": 40,
            "format": "text",
        }
        for n in range(5)
    ]
    linked = rng.random() < 0.7
    return {
        "book": book_id,
        "state": "linked" if linked else "needs_review",
        "reason": "title and author match" if linked else "several candidates are close",
        "hc_book_id": book_id * 10 if linked else None,
        "candidates": candidates,
        "updated_at": now,
    }


def launch(data_dir: Path, port: int, books: int, app_command: list[str]) -> dict[str, float]:
    log = data_dir / "logs" / "bookorbit-desktop.log"
    log.unlink(missing_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(data_dir / "cfg"))
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the real keyring
    started = time.perf_counter()
    app = subprocess.Popen(
        [*app_command, "--data-dir", str(data_dir), "gui"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    figures: dict[str, float] = {}
    try:
        deadline = started + 120
        while time.perf_counter() < deadline and len(figures) < 5:
            now = time.perf_counter()
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            found = SHOWN.search(text)
            if "window" not in figures and found:  # its table fills next
                figures["window"] = (now - started) * 1000
                figures["window (in app)"] = float(found.group(1))
            filled = FILLED.search(text)
            if "all books" not in figures and filled:
                if int(filled.group(1)) != books:
                    raise SystemExit(f"the table was filled with {filled.group(1)} books")
                figures["all books"] = (now - started) * 1000
                figures["all books (in app)"] = float(filled.group(2))
            if "server" not in figures and server_answers(port):
                figures["server"] = (time.perf_counter() - started) * 1000
            if app.poll() is not None:
                raise SystemExit(f"the app exited early with code {app.returncode}")
            time.sleep(0.005)
        if len(figures) < 5:
            raise SystemExit("the app did not finish starting within 120 s")
        time.sleep(IDLE_SECONDS)
        figures["idle RSS (MB)"] = resident_mb(app.pid)
        stop = time.perf_counter()
        app.send_signal(signal.SIGTERM)
        code = app.wait(60)
        figures["shutdown"] = (time.perf_counter() - stop) * 1000
        if code != 0:
            raise SystemExit(f"the app exited with {code} after SIGTERM")
    finally:
        if app.poll() is None:
            app.kill()
    return figures


def timed(action: Callable[[], object], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def in_process(data_dir: Path) -> dict[str, float]:
    import qasync
    from PySide6.QtCore import QEvent, QObject, Qt, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from bookorbit_desktop.services.hardcover.dashboard.rows import PageQuery, read_listing
    from bookorbit_desktop.services.hardcover.service import HardcoverService
    from bookorbit_desktop.services.library.service import LibraryService
    from bookorbit_desktop.services.library.table_window import changes_since
    from bookorbit_desktop.ui.hardcover.page import HardcoverView
    from bookorbit_desktop.ui.library.model import COLUMN_KEYS
    from bookorbit_desktop.ui.library.view import LibraryView

    # The offscreen platform warns about window hints it cannot apply; that is not news here.
    qInstallMessageHandler(
        lambda _kind, _context, message: (
            None if "propagateSizeHints" in message else print(message, file=sys.stderr)
        )
    )
    app = QApplication.instance() or QApplication([])
    paths = resolve_paths(data_dir)
    open_database(paths.db_file)
    try:
        service = LibraryService(paths)
        view = LibraryView()
        view.resize(1000, 700)
        view.show()
        model = view.model
        model.set_reader(service.table_books)

        def fill() -> None:  # F5: the order and the counts, then the rows on screen painted
            model.refresh()
            app.processEvents()

        figures = {"fill table": timed(fill, 3)}

        # The change measures run on the window's running loop, as in the app: what can no
        # longer be counted from the rows read (the statuses, after a refresh) is read in a
        # worker thread, awaited between changes here as the time between two edits allows.
        # Nothing else runs on the loop, so the time until it has painted the row and shown
        # the counts (a timer's slot) is the time the window's thread is busy.
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)

        async def settled() -> None:
            """Until the loop has run the status counts' slot and painted."""
            while view._count_timer.isActive():
                await asyncio.sleep(0)
            await asyncio.sleep(0)

        async def follow_changes() -> None:
            # Another connection wrote (a KOReader push): which books changed, and what that
            # does to the table, are read in worker threads; the window's thread shows it.
            seen = changes_since(None).seq
            middle_row = model.rowCount() // 2
            for n in range(6):
                with sqlite3.connect(paths.db_file) as other:  # not timed: the writer's part
                    other.execute(
                        "UPDATE reading_state SET progress = ? WHERE book_id = ?",
                        (n / 10, model.book_id_at(middle_row + n % 3)),
                    )
                start = time.perf_counter()
                found = changes_since(seen)
                assert found.changed is not None, "a change to one book reads one book"
                read = model.find(found.changed)()
                middle = time.perf_counter()
                assert model.show(read) and read.ids is None, "the book keeps its row"
                await settled()
                worker.append((middle - start) * 1000)
                window.append((time.perf_counter() - middle) * 1000)
                seen = found.seq
                await statuses_read()
                start = time.perf_counter()
                model.follow({model.book_id_at(middle_row + n % 3)})  # saved here: all here
                await settled()
                whole.append((time.perf_counter() - start) * 1000)
                await statuses_read()

        async def statuses_read() -> None:
            if model._reading_statuses is not None:
                await model._reading_statuses

        worker: list[float] = []
        window: list[float] = []
        whole: list[float] = []
        loop.run_until_complete(follow_changes())
        figures["follow a change (worker)"] = statistics.median(worker)
        figures["follow a change (window)"] = statistics.median(window)
        figures["follow a change (all here)"] = statistics.median(whole)

        # Typing and sorting as the app does them, on the window's running loop: the order
        # is read in a worker thread. Blocked: the keystroke or the click, then showing the
        # order, each with the rows painted; "arrives": until the new order is shown.
        shown_at: list[float] = []
        model.modelAboutToBeReset.connect(lambda: shown_at.append(time.perf_counter()))
        painted: list[float] = []  # when each paint of the table's rows began

        class PaintWatch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    painted.append(time.perf_counter())
                return False

        paint_watch = PaintWatch()
        view.table.viewport().installEventFilter(paint_watch)

        def rows_painted() -> None:
            """The rows of the order shown, painted: the loop paints them in its turn after the
            reset, which the awaiting coroutine ran after (so it is counted); now if it has not
            (nothing shown, or not painted yet). Painting them again would count a paint that
            the window never makes."""
            if not (shown_at and painted and painted[-1] >= shown_at[0]):
                view.table.viewport().repaint()

        async def keystroke(text: str) -> tuple[float, float]:
            shown_at.clear()
            start = time.perf_counter()
            view.filter_edit.setText(text)
            typed = time.perf_counter()
            reading = model.ordering
            if reading is not None and not reading.done():  # (a space changes no term)
                await reading
            rows_painted()
            end = time.perf_counter()
            shown = end - shown_at[0] if shown_at else 0.0
            return (typed - start + shown) * 1000, (end - start) * 1000

        keystrokes = []
        for _ in range(3):
            for end in range(1, len("river saga") + 1):  # typing, one character at a time
                keystrokes.append(loop.run_until_complete(keystroke("river saga"[:end])))
            keystrokes.append(loop.run_until_complete(keystroke("")))
        figures["filter keystroke (median)"] = statistics.median(k[0] for k in keystrokes)
        figures["filter keystroke (worst)"] = max(k[0] for k in keystrokes)
        figures["filter result arrives"] = statistics.median(k[1] for k in keystrokes)
        for text in SEARCHES:  # blocked, and until the first page is shown
            searched, found = [], 0
            for _ in range(3):
                searched.append(loop.run_until_complete(keystroke(text)))
                assert view.search_error.isHidden(), text
                found = model.rowCount()
                loop.run_until_complete(keystroke(""))
            name = f"search {text} ({found:,} books)"
            figures[f"{name}, blocked"] = statistics.median(k[0] for k in searched)
            figures[f"{name}, arrives"] = statistics.median(k[1] for k in searched)
        orders = itertools.cycle((Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder))

        async def click_sort(index: int) -> tuple[float, float]:
            start = time.perf_counter()
            view.table.sortByColumn(index, next(orders))  # each time another order
            view.table.viewport().repaint()  # at once (the loop paints in its next turn)
            clicked = time.perf_counter()
            assert model.ordering is not None, "the order is read in a worker thread"
            shown_at.clear()
            await model.ordering
            rows_painted()
            end = time.perf_counter()
            assert len(shown_at) == 1, "the order was shown once"
            return (clicked - start + end - shown_at[0]) * 1000, (end - start) * 1000

        arrivals = []
        # Title and authors walk their stored keys' indexes; the others are worked out per book.
        for column in ("title", "authors", "progress", "added", "size", "last_read", "pages"):
            index = COLUMN_KEYS.index(column)
            samples = [loop.run_until_complete(click_sort(index)) for _ in range(5)]
            figures[f"sort by {column}"] = statistics.median(s[0] for s in samples)
            figures[f"sort by {column} arrives"] = statistics.median(s[1] for s in samples)
            arrivals += [s[1] for s in samples if column in ("title", "authors")]
        figures["sort order arrives"] = statistics.median(arrivals)
        asyncio.set_event_loop(None)
        loop.close()
        hardcover = HardcoverService()
        figures["hardcover matches (services)"] = timed(hardcover.match_details, 3)
        reviewed = [row[0] for row in database.execute_sql(REVIEWED)]
        figures[f"hardcover matches of {len(reviewed):,} books (services)"] = timed(
            lambda: hardcover.match_details(reviewed), 3
        )
        figures["hardcover status (services)"] = timed(hardcover.status, 3)
        listing = read_listing(PageQuery())

        def fill_page() -> None:
            page = HardcoverView()
            page.show_listing(read_listing(PageQuery()))
            page.deleteLater()

        figures[f"fill hardcover page ({listing.shown:,})"] = timed(fill_page, 3)
        view.close()
        view.deleteLater()  # gone before the QApplication is, not at interpreter exit
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return figures
    finally:
        close_database()


def scale_figures(runs: list[dict[str, float]], table: dict[str, float]) -> dict[str, float | str]:
    """The scale table's figures: start-up medians of the launches, and the table's figures."""
    return {
        "window shown": statistics.median(run["window"] for run in runs),
        "all books in the table": statistics.median(run["all books"] for run in runs),
        "follow one change": table["follow a change (all here)"],
        "filter keystroke (median)": table["filter keystroke (median)"],
        "filter keystroke (worst)": table["filter keystroke (worst)"],
        "filter result arrives": table["filter result arrives"],
        "search language, blocked (worst)": max(
            value for key, value in table.items() if key.startswith("search ") and "blocked" in key
        ),
        "search language, arrives (worst)": max(
            value for key, value in table.items() if key.startswith("search ") and "arrives" in key
        ),
        "sort by title": table["sort by title"],
        "sort by authors": table["sort by authors"],
        "sort order arrives": table["sort order arrives"],
        "idle RSS": f"{statistics.median(run['idle RSS (MB)'] for run in runs):,.0f} MB",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--app", help="an app executable (the bundle) instead of python -m")
    parser.add_argument("--json", action="store_true", help="print the scale figures as JSON")
    parser.add_argument("--library", type=Path, help="keep the built library here, reuse it")
    args = parser.parse_args()
    command = [args.app] if args.app else [sys.executable, "-m", "bookorbit_desktop"]
    if not args.app:
        compileall.compile_dir(ROOT / "bookorbit_desktop", quiet=1)
    with contextlib.ExitStack() as stack:
        start = time.perf_counter()
        if args.library:
            data_dir, port = kept_library(args.library, args.books)
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bookorbit-ui-bench-"))
            data_dir = Path(folder) / "data"
            port = build_library(data_dir, args.books)
        if args.json:
            runs = [launch(data_dir, port, args.books, command) for _ in range(args.runs)]
            figures = scale_figures(runs, in_process(data_dir))
            print(json.dumps({"books": args.books, "figures": figures, "goals": GOALS}))
            return 0
        print(f"library of {args.books:,} books ready in {time.perf_counter() - start:.1f} s")
        runs = [launch(data_dir, port, args.books, command) for _ in range(args.runs)]
        print(f"\nstart-up of {' '.join(command)}, median of {args.runs} launches (ms):")
        print(f"  (load average {os.getloadavg()[0]:.2f}; figures on a busy machine are noisy)")
        keys = ("window", "window (in app)", "all books", "all books (in app)", "server")
        for key in (*keys, "shutdown", "idle RSS (MB)"):
            values = [run[key] for run in runs]
            print(
                f"  {key:<28}{statistics.median(values):>9.0f}   (runs: "
                + ", ".join(f"{v:.0f}" for v in values)
                + ")"
            )
        print(f"\nlibrary table with {args.books:,} books, median (ms):")
        for key, value in in_process(data_dir).items():
            print(f"  {key:<28}{value:>9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
