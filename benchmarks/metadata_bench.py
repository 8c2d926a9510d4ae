"""Metadata for a whole library: time until every book has its candidates from Hardcover,
Open Library and Google Books, against the loopback fakes.

    python benchmarks/metadata_bench.py [--books 1000] [--latency 0.15] [--json]

Builds a library of BOOKS books (80 % with an ISBN every source knows, 10 % with an ISBN no
source knows, so every source falls back to its title search, 10 % without an ISBN, found by
title and author) and runs one `MetadataService.fetch` over all of them, with each answer
taking LATENCY seconds and each fake enforcing the documented rate (Open Library about one
request a second, Google Books paced at one a second, Hardcover 60 a minute after a burst
of 10). Prints the wall time to candidates for all, requests and 429s per source, and the
bound: the slowest source's requests divided by its rate. Hardcover is asked the ISBNs of 50
books in one request (`MetadataEditionsBatch`, one rate token), so its requests are about
books/50 plus the title searches of the books without a known ISBN (a search and the reads
that prove a match); the paced sources ask one request a book or more. Exits 1 if any answer
failed.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.credentials import SuppliedToken
from bookorbit_desktop.library.metadata.isbn import isbn13_check_digit
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.services.hardcover_account import HardcoverAccount
from bookorbit_desktop.services.metadata import FetchProgress, MetadataService
from tests.factories import add_book
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover, ServerConfig
from tests.fakes.metadata_sources import FakeBook, FakeBookSources, SourceLimits

RATES = {"hardcover": 1.0, "openlibrary": 1.0, "google": 1.0}  # requests per second
# Requests a source may send at once before its rate applies: Hardcover's burst of 10; the
# paced sources send their first request at once.
FREE = {"hardcover": 10, "openlibrary": 1, "google": 1}
WORDS = (
    "orbit", "river", "stone", "harbour", "winter", "letter", "garden", "signal", "paper",
    "lantern", "meadow", "copper", "falcon", "glacier", "orchard", "ember", "willow",
)  # fmt: skip


def isbn(n: int) -> str:
    body = f"978{n:09d}"
    return body + isbn13_check_digit(body)


def title(n: int) -> str:
    return f"The {WORDS[n % len(WORDS)].title()} of {WORDS[(n // 7) % len(WORDS)].title()} {n}"


def build(count: int, catalog: Catalog, fake: FakeBookSources) -> list[int]:
    ids = []
    for n in range(count):
        kind = n % 10  # 0-7 known ISBN, 8 unknown ISBN, 9 no ISBN
        author = f"Author {n % 97}"
        if kind != 8:
            hc_book = catalog.add_book(title(n), authors=[author], users_count=100,
                                       description=f"About book {n}.")  # fmt: skip
            catalog.add_edition(hc_book, isbn_13=isbn(n), pages=200, users_count=10)
            fake.add(FakeBook(isbn(n), title(n), (author,), publisher="House", pages=200,
                              cover_id=n + 1, description=f"About book {n}."))  # fmt: skip
        local_isbn = isbn(n) if kind < 9 else None
        ids.append(add_book(title(n), ["Unknown" if kind < 8 else author],
                            isbn13=local_isbn).id)  # fmt: skip
    return ids


async def run(count: int, latency: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="metadata-bench-"))
    paths = resolve_paths(folder)
    paths.ensure()
    open_database(paths.db_file)
    catalog = Catalog()
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    limits = {
        name: SourceLimits(per_second=RATES[name], burst=2) for name in ("openlibrary", "google")
    }
    fake = FakeBookSources(latency=latency, limits=limits)
    config = ServerConfig(response_delay=latency, max_searches=1)
    async with FakeHardcover(catalog, clock=SystemClock(), config=config) as hardcover, fake:
        ids = build(count, catalog, fake)
        os.environ["BOOKORBIT_OPENLIBRARY_URL"] = fake.openlibrary_url
        os.environ["BOOKORBIT_GOOGLEBOOKS_URL"] = fake.google_url
        factory = functools.partial(HardcoverClient, endpoint=hardcover.url)
        account = HardcoverAccount(supplied=SuppliedToken(token, "bench"), client_factory=factory)
        service = MetadataService(paths, account=account)
        statuses: Counter[str] = Counter()
        last = [time.monotonic()]

        def progress(step: FetchProgress) -> None:
            statuses.update(f"{r.source}: {r.status}" for r in step.results)
            if time.monotonic() - last[0] > 30:
                last[0] = time.monotonic()
                print(f"  {step.done}/{step.total} books", file=sys.stderr)

        started = time.monotonic()
        report = await service.fetch(ids, progress=progress)
        elapsed = time.monotonic() - started
        hc_requests = len(hardcover.requests)
        hc_operations = Counter(r.operation_name or "?" for r in hardcover.requests)
        hc_429 = sum(1 for r in hardcover.requests if r.status == 429)
    close_database()
    requests = {"hardcover": hc_requests, **fake.requests}
    refused = {"hardcover": hc_429, **fake.refused}
    need = {s: max(requests[s] - FREE[s], 0) / RATES[s] for s in requests}
    bound = max(need.values())
    return {
        "books": count,
        "latency_s": latency,
        "seconds_to_candidates": round(elapsed, 1),
        "books_per_minute": round(count / elapsed * 60, 1),
        "bound_seconds": round(bound, 1),
        "slowest_source": max(need, key=lambda s: need[s]),
        "bound_by_source": {s: round(v, 1) for s, v in need.items()},
        "hardcover_requests_by_operation": dict(hc_operations.most_common()),
        "requests": requests,
        "http_429": refused,
        "statuses": dict(sorted(statuses.items())),
        "books_with_candidates": report.found,
        "failed_answers": len(report.failures),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.15, help="seconds per answer")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = asyncio.run(run(args.books, args.latency))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{figures['books']} books, {figures['latency_s']} s per answer")
        print(f"time to candidates for all: {figures['seconds_to_candidates']} s "
              f"({figures['books_per_minute']} books/min)")  # fmt: skip
        print(f"bound (slowest source's rate, {figures['slowest_source']}): "
              f"{figures['bound_seconds']} s")  # fmt: skip
        print(f"requests: {figures['requests']}  429s: {figures['http_429']}")
        print(f"bound by source (s): {figures['bound_by_source']}")
        print(f"Hardcover requests by operation: {figures['hardcover_requests_by_operation']}")
        print(f"books with candidates: {figures['books_with_candidates']}; "
              f"failed answers: {figures['failed_answers']}")  # fmt: skip
        for key, value in figures["statuses"].items():
            print(f"  {key}: {value}")
    return 1 if figures["failed_answers"] else 0


if __name__ == "__main__":
    sys.exit(main())
