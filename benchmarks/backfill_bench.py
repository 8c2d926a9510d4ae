"""First sync of a linked library to Hardcover: requests, 429s and time, against the fake server.

    python benchmarks/backfill_bench.py [--books 1000] [--seed 11]

Builds a library of BOOKS books, each linked to its own Hardcover book and edition, with
varied reading states (want to read, reading, read, skimmed, on hold, abandoned; half-star
ratings; some editions without pages), about 5 % of them already on the user's Hardcover
shelf. Runs the sync engine's full pass with the real client and Free-plan rate limiter on
the fake's virtual clock, then an unchanged resync, and prints the figures next to targets.
Exits 1 if the result on Hardcover is not correct.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.ratelimit import RateLimiter
from bookorbit_desktop.hardcover.api.records import HardcoverUser
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from bookorbit_desktop.hardcover.sync.engine import SyncEngine
from bookorbit_desktop.hardcover.sync.model import STATUS_IDS
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.factories import add_book
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import EBOOK, Catalog
from tests.fakes.hardcover_server import FakeHardcover

BURST, PER_SECOND = 10, 1.0  # Free plan: burst 10, 60 per minute
STATUSES = ("want_to_read", "reading", "read", "skimmed", "on_hold", "abandoned")
WEIGHTS = (25, 15, 35, 5, 10, 10)


def writes_needed(status: str, adopted: bool, rated: bool) -> int:
    """Writes a first sync needs for one book, from Hardcover's documented side effects."""
    if status == "want_to_read":
        return 0 if adopted else 1  # insert_user_book
    # An adopted entry holds no rating: a rated book needs one update_user_book for it.
    rating = 1 if adopted and rated else 0
    # reading/read/skimmed: the insert opens a read, one update gives it dates or progress;
    # on hold/abandoned: the insert opens none, one insert_user_book_read adds it. An adopted
    # entry with the same status but no read yet needs only the read written.
    return rating + (1 if adopted else 2)


def token_bucket_minimum(requests: int) -> float:
    """Seconds the fastest client needs for this many requests: a burst, then 1 per second."""
    return max(0, requests - BURST) / PER_SECOND


class Library:
    def __init__(self, rng: random.Random, catalog: Catalog, user_id: int) -> None:
        self.rng, self.catalog, self.user_id = rng, catalog, user_id
        self.hc_book: dict[int, int] = {}  # local book id -> Hardcover book id
        self.finished: dict[int, str] = {}  # local book id -> finish date
        self.lower_bound_writes = 0
        self.adopted = 0

    def build(self, count: int) -> None:
        rng = self.rng
        for n in range(count):
            status = rng.choices(STATUSES, WEIGHTS)[0]
            adopted = n % 20 == 7  # ~5 % already on the shelf, same status, no dates yet
            pages = None if rng.random() < 0.1 else rng.choice((180, 320, 512))
            hc_book = self.catalog.add_book(f"Book {n}", authors=["Ann Author"], users_count=10)
            edition = self.catalog.add_edition(hc_book, pages=pages, reading_format_id=EBOOK)
            book = add_book(f"Book {n}", ["Ann Author"])
            pin(book.id, hc_book, edition_id=edition, edition_pages=pages, reason="picked")
            self.hc_book[book.id] = hc_book
            day = 1 + n % 27
            state: dict[str, object] = {"status": status}
            if status in ("reading", "on_hold", "abandoned"):
                state["started"] = f"2026-02-{day:02d}"
                state["progress"] = round(rng.uniform(0.05, 0.9), 2)
            elif status in ("read", "skimmed"):
                state["started"] = f"2025-0{1 + n % 9}-{day:02d}"
                state["finished"] = f"2025-1{n % 3}-{day:02d}"
                self.finished[book.id] = str(state["finished"])
            if status != "want_to_read" and rng.random() < 0.4:
                state["rating"] = str(rng.choice((1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5)))
            update_reading_state(book.id, **state)  # type: ignore[arg-type]
            if adopted:
                self.adopted += 1
                self.catalog.add_user_book(
                    self.user_id, hc_book, status_id=STATUS_IDS[status], edition_id=edition
                )
            self.lower_bound_writes += writes_needed(status, adopted, "rating" in state)

    def check(self) -> list[str]:
        problems = []
        for book_id, hc_book in self.hc_book.items():
            rows = [
                r
                for r in self.catalog.tables["user_books"].values()
                if r["user_id"] == self.user_id and r["book_id"] == hc_book
            ]
            if len(rows) != 1:
                problems.append(f"book {book_id}: {len(rows)} user_books")
                continue
            reads = self.catalog.reads_of(rows[0]["id"])
            if sum(1 for r in reads if not r.get("finished_at")) > 1:
                problems.append(f"book {book_id}: two open reads")
            finish = self.finished.get(book_id)
            if finish and not any(r.get("finished_at") == finish for r in reads):
                problems.append(f"book {book_id}: no read finished on {finish}")
        return problems


async def run(count: int, seed: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(Path(tmp))
        paths.ensure()
        open_database(paths.db_file)
        try:
            clock = VirtualClock()
            catalog = Catalog()
            user_id = catalog.add_user("reader")
            token = catalog.add_token(user_id)
            library = Library(random.Random(seed), catalog, user_id)
            library.build(count)
            async with FakeHardcover(catalog, clock=clock) as server:
                client = HardcoverClient(
                    token, endpoint=server.url, clock=clock, sleep=clock.sleep,
                    limiter=RateLimiter(clock=clock),
                )  # fmt: skip
                try:
                    engine = SyncEngine(
                        client, HardcoverUser(user_id, "reader", 1), sync_settings.load(),
                        clock=clock, today=lambda: clock.today().isoformat(),
                    )  # fmt: skip
                    return await measure(library, server, engine, clock, count)
                finally:
                    await client.close()
        finally:
            close_database()


async def measure(library: Library, server, engine, clock, count: int) -> int:
    started_virtual, started_real = clock(), time.perf_counter()
    first = await engine.run(None)
    virtual, real = clock() - started_virtual, time.perf_counter() - started_real
    used, throttled = server.top_level_fields, server.status_count(429)
    operations = Counter(r.operation_name for r in server.requests)
    bound = library.lower_bound_writes + math.ceil(count / 100) + 1
    minimum = token_bucket_minimum(used)
    print(f"library: {count} linked books, {len(library.finished)} finished, "
          f"{library.adopted} already on the Hardcover shelf")  # fmt: skip
    print("first sync outcomes:", dict(sorted(first.counts.items())), "stopped:", first.stopped)
    print(f"HTTP requests by operation: {dict(sorted(operations.items()))}")
    print(f"top-level requests: {used}; lower bound {bound} "
          f"({library.lower_bound_writes} writes + {math.ceil(count / 100)} lookups + 1 me, "
          "counted though the engine is given the user here); "
          f"ratio {used / bound:.3f} (target <= 1.10)")  # fmt: skip
    print(f"429 responses: {throttled} (target 0)")
    over = virtual / minimum - 1 if minimum else 0.0
    print(f"simulated wall time: {virtual:.0f} s vs token-bucket minimum {minimum:.0f} s "
          f"(+{over * 100:.1f} %, target <= 10 %); real time {real:.1f} s")  # fmt: skip
    server.reset_counters()
    second = await engine.run(None)
    again = server.top_level_fields
    print(f"unchanged resync: {again} top-level requests = {again * 100 / count:.2f} per 100 "
          f"books (target <= 1); outcomes {dict(sorted(second.counts.items()))}")  # fmt: skip
    problems = library.check()
    print(f"correct: {'no' if problems else 'yes'}")
    for problem in problems[:10]:
        print("  " + problem)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    return asyncio.run(run(args.books, args.seed))


if __name__ == "__main__":
    sys.exit(main())
