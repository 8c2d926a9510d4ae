"""Metadata for a whole library in the window: time until every book has its candidates from
Hardcover, Open Library and Google Books against loopback fakes at their documented rates,
and the longest stall of the window's event loop meanwhile.

    python benchmarks/metadata_bench.py [--books 1000] [--latency 0.15] [--tick-ms 5] [--json]
    python benchmarks/metadata_bench.py --accuracy

`--accuracy` measures instead how right the values are, per source and field, for a library
of real titles (see `metadata_accuracy.py`).

Builds a library of BOOKS books (80 % with an ISBN every source knows, 10 % with an ISBN no
source knows, so every source falls back to its title search, 10 % without an ISBN, found by
title and author) and runs the window's batch dialog (`ui.metadata.batch_dialog.BatchDialog`,
offscreen, the app's qasync loop and garbage collection policy) over all of them, as "Fetch
Metadata for N Books…" does. The fakes run in a process of their own (as the real services
are elsewhere: their work never competes with the window's thread), each answer takes
LATENCY seconds, and each fake enforces the rate the provider documents (or the code
assumes):

  Hardcover     60 requests a minute after a burst of 10, 5,000 a day (Free plan; the fake
                counts top-level fields, as Hardcover does). The linked editions and ISBNs of
                50 books go in one request (`MetadataEditionsBatch`).
  Open Library  three requests a second, the rate it allows a client that names itself (the
                User-Agent carries the project's address), which the code paces itself to.
  Google Books  one request a second as the code paces it, and the default quota of 1,000
                requests a day per project: the 1,001st request is answered 429 ("Queries per
                day"), after which the code asks Google nothing more in this fetch and every
                later book reads "rate-limited" (retry tomorrow, or with one's own key).

Prints the wall time to candidates for all books, the bound (the slowest source's requests
divided by its rate: no fetch at these rates can be faster), requests and 429s per source,
the window's longest stall and 99th percentile (a QTimer ticking every TICK ms on the GUI
thread, as `benchmarks/ui_stall.py` measures it; target: no stall over 50 ms) with the GUI
thread's own CPU time in each gap (a long gap with little of it is the machine: other
processes on the same cores; a long one full of it is the window's own work), and the
longest time the dialog spent on one answer. All times are real seconds: nothing is scaled,
so at 1,000 books the run takes about 20 minutes. Exits 1 if the window's own work in one
gap exceeds the target or an answer failed other than by Google's spent quota.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the real one

import qasync  # noqa: E402
from aiohttp import web  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from ui_stall import StallMeter  # noqa: E402

from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.hardcover.api.client import HardcoverClient  # noqa: E402
from bookorbit_desktop.hardcover.api.credentials import SuppliedToken  # noqa: E402
from bookorbit_desktop.library.metadata.isbn import isbn13_check_digit  # noqa: E402
from bookorbit_desktop.library.store.checkpoint import (  # noqa: E402
    Checkpointer,
    no_inline_checkpoints,
)
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from bookorbit_desktop.services.hardcover.account import HardcoverAccount  # noqa: E402
from bookorbit_desktop.services.metadata.service import FetchAnswer, MetadataService  # noqa: E402
from bookorbit_desktop.ui.gc_guard import GarbageCollector  # noqa: E402
from bookorbit_desktop.ui.metadata.batch_dialog import BatchDialog  # noqa: E402
from tests.factories import add_book  # noqa: E402
from tests.fakes.clock import SystemClock  # noqa: E402
from tests.fakes.hardcover_catalog import Catalog  # noqa: E402
from tests.fakes.hardcover_server import FakeHardcover, ServerConfig  # noqa: E402
from tests.fakes.metadata_sources import FakeBook, FakeBookSources, SourceLimits  # noqa: E402

TARGET_MS = 50.0
RATES = {"hardcover": 1.0, "openlibrary": 3.0, "google": 1.0}  # requests per second
# Requests a source may send at once before its rate applies: Hardcover's burst of 10; the
# paced sources send their first request at once.
FREE = {"hardcover": 10, "openlibrary": 1, "google": 1}
GOOGLE_DAILY = 1_000  # Google Books' default quota: queries per day per project
QUOTA_429 = {
    "error": {
        "code": 429,
        "message": "Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of "
        "service 'books.googleapis.com'.",
        "status": "RESOURCE_EXHAUSTED",
    }
}
WORDS = (
    "orbit", "river", "stone", "harbour", "winter", "letter", "garden", "signal", "paper",
    "lantern", "meadow", "copper", "falcon", "glacier", "orchard", "ember", "willow",
)  # fmt: skip


@dataclass
class QuotaBookSources(FakeBookSources):
    """The fakes of Open Library and Google Books, Google with its daily quota."""

    google_daily: int = GOOGLE_DAILY

    async def _gate(self, source: str) -> web.Response | None:
        if source == "google" and self.requests["google"] >= self.google_daily:
            self.requests[source] += 1
            self.refused[source] += 1
            await asyncio.sleep(self.latency)
            return web.json_response(QUOTA_429, status=429)
        return await super()._gate(source)


def isbn(n: int) -> str:
    body = f"978{n:09d}"
    return body + isbn13_check_digit(body)


def title(n: int) -> str:
    return f"The {WORDS[n % len(WORDS)].title()} of {WORDS[(n // 7) % len(WORDS)].title()} {n}"


def kind(n: int) -> int:
    return n % 10  # 0-7 an ISBN every source knows, 8 an ISBN none knows, 9 no ISBN


def build_sources(count: int, catalog: Catalog, fake: FakeBookSources) -> None:
    """What the sources know of the library's books."""
    for n in range(count):
        if kind(n) != 8:
            author = f"Author {n % 97}"
            hc_book = catalog.add_book(title(n), authors=[author], users_count=100,
                                       description=f"About book {n}.")  # fmt: skip
            catalog.add_edition(hc_book, isbn_13=isbn(n), pages=200, users_count=10)
            fake.add(FakeBook(isbn(n), title(n), (author,), publisher="House", pages=200,
                              cover_id=n + 1, description=f"About book {n}."))  # fmt: skip


def build_library(count: int) -> list[int]:
    """The library's books: an "Unknown" author where the sources will find the book by ISBN."""
    return [
        add_book(title(n), ["Unknown" if kind(n) < 8 else f"Author {n % 97}"],
                 isbn13=isbn(n) if kind(n) < 9 else None).id
        for n in range(count)
    ]  # fmt: skip


def serve_fakes(args: argparse.Namespace) -> int:
    """`--serve`: the fakes in a process of their own (as the real services are elsewhere, so
    their work never competes with the window's thread): their addresses and the token as one
    JSON line; on any line read, their counters as another, then the end."""

    async def serve() -> None:
        catalog = Catalog()
        token = catalog.add_token(catalog.add_user("reader"))
        limits = {n: SourceLimits(per_second=RATES[n], burst=2) for n in ("openlibrary", "google")}
        fake = QuotaBookSources(latency=args.latency, limits=limits)
        build_sources(args.books, catalog, fake)
        config = ServerConfig(response_delay=args.latency, max_searches=1)
        async with FakeHardcover(catalog, clock=SystemClock(), config=config) as hardcover, fake:
            print(json.dumps({"hardcover": hardcover.url, "openlibrary": fake.openlibrary_url,
                              "google": fake.google_url, "token": token}), flush=True)  # fmt: skip
            await asyncio.to_thread(sys.stdin.readline)
            counters = {
                "requests": {"hardcover": len(hardcover.requests), **fake.requests},
                "http_429": {"hardcover": hardcover.status_count(429), **fake.refused},
                "hardcover_fields": hardcover.top_level_fields,
                "hardcover_operations": dict(
                    Counter(r.operation_name or "?" for r in hardcover.requests).most_common()
                ),
            }
            print(json.dumps(counters), flush=True)

    asyncio.run(serve())
    return 0


class BusyMeter(StallMeter):
    """`StallMeter`'s gaps, each with the GUI thread's own CPU time in it: a gap the thread
    spent running is the window's work; one it spent off the CPU is the machine's (other
    processes on the same cores) or a wait."""

    def __init__(self, tick_ms: int) -> None:
        super().__init__(tick_ms)
        self.busy: list[float] = []
        self._cpu = time.thread_time()

    def start(self) -> None:
        self.busy = []
        self._cpu = time.thread_time()
        super().start()

    def _tick(self) -> None:
        cpu = time.thread_time()
        self.busy.append((cpu - self._cpu) * 1000)
        self._cpu = cpu
        super()._tick()


def quantile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) >= 100 else max(values)


async def fetch_in_window(
    service: MetadataService, ids: list[int], meter: BusyMeter, settle: Any
) -> dict[str, Any]:
    """The batch dialog over `ids`, timed: the fetch, each answer's cost to the window."""
    dialog = BatchDialog(service, ids)
    dialog.show()
    shown = dialog._answered
    costs: list[float] = []
    last: dict[str, float] = {}
    statuses: Counter[str] = Counter()
    first_review: list[float] = []
    started = 0.0
    last_report = [time.monotonic()]

    def answered(answer: FetchAnswer) -> None:  # the dialog's own update, timed
        begun = time.perf_counter()
        shown(answer)
        costs.append((time.perf_counter() - begun) * 1000)
        now = time.monotonic()
        last[answer.result.source] = now - started
        statuses[f"{answer.result.source}: {answer.result.status}"] += 1
        if dialog.review and not first_review:
            first_review.append(now - started)
        if now - last_report[0] > 60:
            last_report[0] = now
            print(f"  {now - started:6.0f} s: {dialog.progress.value()}/{len(ids)} books, "
                  f"answers {dict(Counter(k.split(':')[0] for k in statuses.elements()))}",
                  file=sys.stderr, flush=True)  # fmt: skip

    dialog._answered = answered  # type: ignore[method-assign]
    done = asyncio.get_running_loop().create_future()
    dialog.finished_fetch.connect(lambda: done.done() or done.set_result(None))
    settle()  # as the app does once it has started (ui/gc_guard.py)
    meter.start()
    started = time.monotonic()
    dialog.start()
    await done
    elapsed = time.monotonic() - started
    gaps = meter.stop()
    summary = dialog.progress_label.text()
    dialog.close()
    return {
        "seconds_to_candidates": round(elapsed, 1),
        "seconds_to_first_review": round(first_review[0], 1) if first_review else None,
        "last_answer_by_source_s": {s: round(v, 1) for s, v in last.items()},
        "books_done": dialog.progress.value(),
        "books_to_review": len(dialog.review),
        "dialog_summary": summary,
        "statuses": dict(sorted(statuses.items())),
        "longest_stall_ms": round(max(gaps), 1),
        "p99_stall_ms": round(quantile(gaps, 99), 1),
        "stalls_over_target": sum(1 for g in gaps if g > TARGET_MS),
        "gui_cpu_in_longest_stall_ms": round(meter.busy[gaps.index(max(gaps))], 1),
        "longest_busy_ms": round(max(meter.busy), 1),  # the GUI thread's own work in one gap
        "busy_over_target": sum(1 for b in meter.busy if b > TARGET_MS),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "answers": len(costs),
        "longest_answer_update_ms": round(max(costs), 2),
        "p99_answer_update_ms": round(quantile(costs, 99), 2),
    }


async def run(args: argparse.Namespace, folder: Path, settle: Any) -> dict[str, Any]:
    paths = resolve_paths(folder)
    paths.ensure()
    open_database(paths.db_file)
    no_inline_checkpoints()  # as the app does: the journal is copied back on a thread
    checkpointer = Checkpointer(paths.db_file)
    checkpointer.start()
    command = [sys.executable, __file__, "--serve", f"--books={args.books}",
               f"--latency={args.latency}"]  # fmt: skip
    fakes = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert fakes.stdin is not None and fakes.stdout is not None
    try:
        where = json.loads(fakes.stdout.readline())
        ids = build_library(args.books)
        os.environ["BOOKORBIT_OPENLIBRARY_URL"] = where["openlibrary"]
        os.environ["BOOKORBIT_GOOGLEBOOKS_URL"] = where["google"]
        factory = functools.partial(HardcoverClient, endpoint=where["hardcover"])
        account = HardcoverAccount(
            supplied=SuppliedToken(where["token"], "bench"), client_factory=factory
        )
        service = MetadataService(paths, account=account)
        print(f"{args.books:,} books, {args.latency} s an answer; fetching…", flush=True)
        figures = await fetch_in_window(service, ids, BusyMeter(args.tick_ms), settle)
        fakes.stdin.write("counters\n")
        fakes.stdin.flush()
        counters = json.loads(fakes.stdout.readline())
    finally:
        fakes.stdin.close()
        fakes.wait(30)
        checkpointer.stop()
        close_database()
    requests = counters["requests"]
    # What each source's rate allows at best (Hardcover counts top-level fields, not requests).
    spent = {**requests, "hardcover": counters["hardcover_fields"]}
    need = {s: max(spent[s] - FREE[s], 0) / RATES[s] for s in spent}
    slowest = max(need, key=lambda s: need[s])
    quota = sum(v for k, v in figures["statuses"].items() if k == "google: rate-limited")
    other_failures = sum(
        v
        for k, v in figures["statuses"].items()
        if not k.endswith((": ok", ": no result")) and k != "google: rate-limited"
    )
    return {
        "books": args.books,
        "latency_s": args.latency,
        **figures,
        "bound_seconds": round(need[slowest], 1),
        "slowest_source": slowest,
        "bound_by_source_s": {s: round(v, 1) for s, v in need.items()},
        "requests": requests,
        "hardcover_top_level_fields": counters["hardcover_fields"],
        "hardcover_requests_by_operation": counters["hardcover_operations"],
        "http_429": counters["http_429"],
        "google_rate_limited_books": quota,
        "other_failed_answers": other_failures,
        "target_ms": TARGET_MS,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.15, help="seconds per answer")
    parser.add_argument("--tick-ms", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--accuracy",
        action="store_true",
        help="how right the values are for a library of real titles (metadata_accuracy.py)",
    )
    args = parser.parse_args()
    if args.serve:
        return serve_fakes(args)
    if args.accuracy:
        import metadata_accuracy

        return metadata_accuracy.main()
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    collector = GarbageCollector(app)  # as the app does
    collector.start()
    with tempfile.TemporaryDirectory(prefix="metadata-bench-") as folder, loop:
        f = loop.run_until_complete(run(args, Path(folder), collector.thorough))
    collector.stop()
    if args.json:
        print(json.dumps(f, indent=2))
    else:
        print(f"time to candidates for all: {f['seconds_to_candidates']} s "
              f"(first book reviewable after {f['seconds_to_first_review']} s)")  # fmt: skip
        print(f"bound: {f['bound_seconds']} s, the slowest source's rate ({f['slowest_source']}); "
              f"by source {f['bound_by_source_s']}")  # fmt: skip
        print(f"last answer by source (s): {f['last_answer_by_source_s']}")
        print(f"requests: {f['requests']}  429s: {f['http_429']}  Hardcover top-level fields: "
              f"{f['hardcover_top_level_fields']}")  # fmt: skip
        print(f"Hardcover requests by operation: {f['hardcover_requests_by_operation']}")
        print(f"window: longest stall {f['longest_stall_ms']} ms, p99 {f['p99_stall_ms']} ms, "
              f"{f['stalls_over_target']} over {TARGET_MS:.0f} ms; one answer's update at most "
              f"{f['longest_answer_update_ms']} ms (p99 {f['p99_answer_update_ms']} ms) over "
              f"{f['answers']} answers")  # fmt: skip
        print(f"        the GUI thread's own work: {f['gui_cpu_in_longest_stall_ms']} ms of the "
              f"longest stall; at most {f['longest_busy_ms']} ms in one gap, "
              f"{f['busy_over_target']} gaps over {TARGET_MS:.0f} ms (load average "
              f"{f['load_average']} on {os.cpu_count()} cores)")  # fmt: skip
        print(f"dialog: {f['dialog_summary']}")
        print(f"Google Books rate-limited (daily quota spent): {f['google_rate_limited_books']} "
              f"books; other failed answers: {f['other_failed_answers']}")  # fmt: skip
        for key, value in f["statuses"].items():
            print(f"  {key}: {value}")
    over = f["longest_busy_ms"] > TARGET_MS
    return 1 if over or f["other_failed_answers"] else 0


if __name__ == "__main__":
    sys.exit(main())
