"""How many requests the pull from Hardcover makes: a full pull, then one change.

    python benchmarks/hardcover_pull_bench.py [--entries 2000] [--linked 200] [--json]

A loopback fake Hardcover (tests/fakes, Free plan limits: burst 10, refilled at 60 a minute,
5,000 a day; hardcover-api.md §1.3) holds N entries of the user's, some of them books linked in
a fresh library, and two lists, the newest with 150 books (more than Hardcover's 100 nested
rows: reading it costs two requests). Measured twice:

- in-process: `pull` called in one process; the client paces itself with its own rate limiter
  on a virtual clock shared with the fake, so waiting costs no wall time but is measured;
- through the CLI: each pull is its own `bookorbit-desktop hardcover pull` process (what a cron
  job runs), against the fake on the real clock, with the library's token in a keyring.

Prints, for the full pull, a pull after one entry changed on hardcover.app, and a pull after
nothing changed: the requests (rate tokens) spent, the 429s met, the seconds of pacing (in
process), the wall time. Goals: the full pull of 2,000 entries within the Free plan's 60
requests a minute, never a 429; the pull of one change in <= 3 requests (a page each of
entries, lists and reads), and of no change in no more, from both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.hardcover.matching.store import pin  # noqa: E402
from bookorbit_desktop.hardcover.pull.run import pull  # noqa: E402
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from tests.factories import add_book  # noqa: E402
from tests.fakes.clock import SystemClock, VirtualClock  # noqa: E402
from tests.fakes.hardcover_catalog import READ, WANT_TO_READ, Catalog  # noqa: E402
from tests.fakes.hardcover_fixtures import make_client  # noqa: E402
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover  # noqa: E402
from tests.fakes.hardcover_shelves import add_list, edit_entry  # noqa: E402
from tests.hardcover.pull.cli_process import connect_library, run_cli  # noqa: E402

FREE_PER_MINUTE = 60
GOAL_CHANGE_REQUESTS = 3  # a page each of entries, lists and reads
PASSES = ("full", "one change", "no change")


def account(catalog: Catalog, clock, entries: int, linked: int) -> tuple[int, str, list[int]]:
    """The user with N entries (the first `linked` of them books of the open library) and the
    two lists; the user, their token and the entries' ids."""
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    hc_books, user_books = [], []
    for n in range(entries):
        hc_book = catalog.add_book(f"Book {n}", authors=[f"Author {n % 50}"])
        edition = catalog.add_edition(hc_book, isbn_13=f"978{n:010d}", pages=300)
        user_books.append(catalog.add_user_book(user, hc_book, status_id=WANT_TO_READ))
        hc_books.append(hc_book)
        clock.advance(1.0)  # entries made over time, each with its own stamp
        if n < linked:
            book = add_book(f"Book {n}", [f"Author {n % 50}"]).id
            pin(book, hc_book, edition_id=edition, edition_pages=300, reason="pick")
    # The newest list holds more than one page of books (Hardcover's nested rows stop at 100):
    # a pass that read it again each time would pay for its second page too.
    add_list(catalog, user, "Favourites", tuple(hc_books[150:180]))
    add_list(catalog, user, "To buy", tuple(hc_books[:150]))
    return user, token, user_books


def spent(fake: FakeHardcover, started: float, result: dict[str, object]) -> dict[str, object]:
    return {
        **result,
        "requests": sum(r.charged for r in fake.requests),
        "http_requests": len(fake.requests),
        "throttled_429": sum(1 for r in fake.requests if r.status == 429),
        "wall_ms": round((time.perf_counter() - started) * 1000, 1),
    }


async def measure(entries: int, linked: int, folder: Path) -> dict[str, dict[str, object]]:
    clock = VirtualClock()
    catalog = Catalog()
    fake = FakeHardcover(catalog, clock=clock)
    open_database(folder / "library.sqlite3")
    user, token, user_books = account(catalog, clock, entries, linked)
    await fake.start()
    client = make_client(fake, clock, token)
    try:
        rows = {}
        for name in PASSES:
            clock.advance(3600)
            if name == "one change":
                edit_entry(catalog, user_books[entries // 2], status_id=READ, rating=4.0)
            fake.requests.clear()
            started_clock, started = clock(), time.perf_counter()
            result = await pull(client, user, full=name == "full")
            read = {"entries_read": result.entries, "lists_read": result.lists}
            read |= {"paced_seconds": round(clock() - started_clock, 1), "error": result.error}
            rows[name] = spent(fake, started, read)
        return rows
    finally:
        await client.close()
        await fake.close()
        close_database()


def measure_cli(entries: int, linked: int, folder: Path) -> dict[str, dict[str, object]]:
    """Each pull a `hardcover pull` process of its own, against the fake on the real clock."""
    clock = SystemClock()
    catalog = Catalog()
    data_dir = folder / "cli"
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    try:
        user, token, user_books = account(catalog, VirtualClock(), entries, linked)
        keyring_file = connect_library(data_dir, token, user, "reader")
    finally:
        close_database()
    rows = {}
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=clock)) as fake:
        for name in PASSES:
            if name == "one change":
                edit_entry(catalog, user_books[entries // 2], status_id=READ, rating=4.0)
            fake.requests.clear()
            started = time.perf_counter()
            done = run_cli(data_dir, keyring_file, fake.url, "hardcover", "pull", "--json")
            if done.returncode != 0:
                raise SystemExit(f"hardcover pull failed: {done.stderr or done.stdout}")
            result = json.loads(done.stdout)
            read = {"entries_read": result["entries"], "lists_read": result["lists"]}
            rows[name] = spent(fake, started, {**read, "full": result["full"]})
    return rows


def report_of(entries: int, linked: int, folder: Path) -> dict[str, object]:
    rows = asyncio.run(measure(entries, linked, folder))
    cli = measure_cli(entries, linked, folder)
    full = rows["full"]
    minutes = max(1.0, float(full["paced_seconds"]) / 60)  # type: ignore[arg-type]
    both = (rows, cli)
    return {
        "entries": entries,
        "linked": linked,
        "free_plan_per_minute": FREE_PER_MINUTE,
        "in_process": rows,
        "cli": cli,
        "full_within_free_minute_rate": full["requests"] <= FREE_PER_MINUTE * minutes
        and full["throttled_429"] == 0,
        "change_within_goal": all(
            r["one change"]["requests"] <= GOAL_CHANGE_REQUESTS  # type: ignore[operator]
            for r in both
        ),
        "unchanged_within_goal": all(
            r["no change"]["requests"] <= GOAL_CHANGE_REQUESTS  # type: ignore[operator]
            for r in both
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--linked", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report = report_of(args.entries, args.linked, Path(folder))
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"Pull of {report['entries']} Hardcover entries ({report['linked']} in the library)")
    for door, title in (("in_process", "in-process"), ("cli", "through the CLI")):
        print(f" {title}:")
        rows: dict[str, dict[str, object]] = report[door]  # type: ignore[assignment]
        for name in PASSES:
            row = rows[name]
            paced = f"{row['paced_seconds']} s paced, " if "paced_seconds" in row else ""
            print(
                f"  {name:10}: {row['requests']:>3} requests ({row['http_requests']} HTTP), "
                f"{row['throttled_429']} x 429, {paced}{row['wall_ms']} ms wall, "
                f"{row['entries_read']} entries, {row['lists_read']} lists"
            )
    print(
        f"  Free plan: {FREE_PER_MINUTE}/min -> full pull within it: "
        f"{report['full_within_free_minute_rate']}; one change <= {GOAL_CHANGE_REQUESTS} "
        f"requests: {report['change_within_goal']}; no change: {report['unchanged_within_goal']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
