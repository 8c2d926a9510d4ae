"""What an idle background worker costs the user's daily Hardcover allowance.

    python benchmarks/idle_budget.py [--minutes 30] [--books 40]

Runs the sync worker exactly as `serve` and the window do (`SyncWorker` over `SyncService`,
one pass every 10 s) against the fake Hardcover on a virtual clock, for MINUTES of idling. The
library has one synced book and BOOKS books with changes queued that may not go out: books not
linked to Hardcover (looked up, no match found), books waiting for the user's review and
excluded books (a fresh change on each, every minute). Prints the requests the fake received,
next to the target (0, and never more than 3 per 10 idle minutes), and the same for a worker
whose linked book also changes once: that one push is all it may send. Last, a library whose
highlights go to the reading journal, one of which Hardcover refuses for good (its edition
belongs to another book): the requests over 10 minutes after the user's send (target <= 3).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bookorbit_desktop.hardcover.journal import store as journal_store
from bookorbit_desktop.hardcover.journal.send import send_highlights
from bookorbit_desktop.hardcover.matching.store import exclude, pin
from bookorbit_desktop.library.highlights import store as highlights
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import HardcoverMatch, SyncOutbox
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.hardcover.sync import FIRST_SYNC_KEY, SyncService
from bookorbit_desktop.services.hardcover.sync_gate import PassGate
from bookorbit_desktop.services.hardcover.sync_worker import POLL_SECONDS, SyncWorker
from tests.factories import add_book
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import EBOOK, Catalog
from tests.fakes.hardcover_fixtures import make_client
from tests.fakes.hardcover_server import FakeHardcover

STATES = ("no_match", "needs_review", "excluded")


class Account:
    def __init__(self, client: object) -> None:
        self.client = client

    def has_supplied_token(self) -> bool:
        return False

    @asynccontextmanager
    async def open_client(self):
        yield self.client


def _library(catalog: Catalog, books: int) -> tuple[int, list[int]]:
    hc_book = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=9)
    edition = catalog.add_edition(hc_book, pages=400, reading_format_id=EBOOK)
    synced = add_book("Dune", ["Frank Herbert"])
    pin(synced.id, hc_book, edition_id=edition, edition_pages=400, reason="picked")
    update_reading_state(synced.id, status="reading", started="2026-03-01", progress=0.2)
    waiting = []
    for n in range(books):
        state = STATES[n % len(STATES)]
        book = add_book(f"Local only {n}", ["Someone"])
        if state == "excluded":
            other = catalog.add_book(f"Other {n}", authors=["Someone"], users_count=1)
            pin(book.id, other, edition_id=None, edition_pages=None, reason="picked")
            exclude(book.id)
        else:
            HardcoverMatch.insert(book=book.id, state=state, pinned=False, created_by_us=False,
                                  candidates=[], updated_at=0).execute()  # fmt: skip
        update_reading_state(book.id, status="reading", progress=0.1)
        waiting.append(book.id)
    return synced.id, waiting


@asynccontextmanager
async def _world() -> AsyncIterator[tuple[VirtualClock, Catalog, FakeHardcover, int, Any]]:
    """A virtual clock, the fake Hardcover with one reader, its client and an empty library."""
    clock = VirtualClock()
    catalog = Catalog()
    fake = FakeHardcover(catalog, clock=clock)
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    await fake.start()
    client = make_client(fake, clock, token)
    with tempfile.TemporaryDirectory() as folder:
        open_database(Path(folder) / "library.sqlite3")
        try:
            yield clock, catalog, fake, user, client
        finally:
            close_database()
            await client.close()
            await fake.close()


async def _idle(minutes: int, books: int, change_synced: bool) -> tuple[int, int]:
    async with _world() as (clock, catalog, fake, _user, client):
        synced, waiting = _library(catalog, books)
        service = SyncService(Account(client), clock=clock, gate=PassGate())
        await service.sync()  # the user's first sync by hand
        set_setting(FIRST_SYNC_KEY, clock())
        fake.reset_counters()
        worker = SyncWorker(service, sleep=clock.sleep)
        for tick in range(int(minutes * 60 / POLL_SECONDS)):
            if tick % 6 == 0:  # a fresh change on every local-only book each minute
                for book_id in waiting:
                    update_reading_state(book_id, progress=0.1 + (tick % 50) / 100)
                SyncOutbox.update(kinds={"progress": 0.0}).execute()
            if change_synced and tick == 6:
                update_reading_state(synced, progress=0.5)
                SyncOutbox.update(kinds={"progress": 0.0}).execute()
            await worker.run_once()
            clock.advance(POLL_SECONDS)
        mutations = sum(1 for r in fake.requests if r.operation_type == "mutation")
        return len(fake.requests), mutations


async def _refused_journal_entry(minutes: int) -> tuple[int, int]:
    """(requests, journal inserts) over `minutes` of the worker after the user's send."""
    async with _world() as (clock, catalog, fake, user, client):
        for title, wrong_edition in (("Dune", False), ("Emma", True)):
            hc_book = catalog.add_book(title, authors=["Someone"], users_count=9)
            other = catalog.add_book(f"Not {title}", authors=["Someone"], users_count=1)
            edition = catalog.add_edition(
                other if wrong_edition else hc_book, pages=400, reading_format_id=EBOOK
            )
            book = add_book(title, ["Someone"])
            pin(book.id, hc_book, edition_id=edition, edition_pages=400, reason="picked")
            quote = [Entry(1_709_300_000, f"A line of {title}.")]
            highlights.record(highlights.Target(book.id), quote, source="x", origin="x", now=1)
        journal_store.choose_all(True)
        service = SyncService(Account(client), clock=clock, gate=PassGate())
        await service.sync()  # the user's first sync by hand
        set_setting(FIRST_SYNC_KEY, clock())
        sent = await send_highlights(client, user_id=user, reviewed=True, clock=clock)
        assert (sent.inserted, len(sent.failed)) == (1, 1), sent
        fake.reset_counters()
        worker = SyncWorker(service, sleep=clock.sleep)
        for _ in range(int(minutes * 60 / POLL_SECONDS)):
            await worker.run_once()
            clock.advance(POLL_SECONDS)
        inserts = sum(1 for r in fake.requests if r.operation_name == "InsertReadingJournal")
        return len(fake.requests), inserts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--books", type=int, default=40)
    args = parser.parse_args()
    idle, _ = asyncio.run(_idle(args.minutes, args.books, change_synced=False))
    bound = 3 * args.minutes // 10
    print(f"idle worker, {args.minutes} min, {args.books} local-only books with changes queued")
    print(f"  requests to Hardcover: {idle}   (target 0, at most {bound})")
    one, writes = asyncio.run(_idle(args.minutes, args.books, change_synced=True))
    print("same, and one change of a synced book")
    print(f"  requests to Hardcover: {one} ({writes} writes)   (the push of that one change)")
    refused, inserts = asyncio.run(_refused_journal_entry(10))
    print("a journal entry Hardcover refuses for good, 10 min after the user's send")
    print(f"  requests to Hardcover: {refused} ({inserts} journal inserts)   (target at most 3)")
    return 0 if idle <= bound and refused <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
