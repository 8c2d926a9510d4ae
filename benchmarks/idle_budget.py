"""What an idle background worker costs the user's daily Hardcover allowance.

    python benchmarks/idle_budget.py [--minutes 10]

Runs the sync worker exactly as `serve` and the window do (`SyncWorker` over `SyncService`,
one pass every 10 s, a real account with its token in a file keyring) against the fake
Hardcover on a virtual clock, for MINUTES of idling, once for each state of the sync's table
(`hardcover.sync.waiting`): a review waiting, changes held after a Cancel, a conflict open, a
book excluded, books with no match or to pick, a change refused for good, the token refused
(`tests/hardcover/sync/idle_states.py`; the books of each change every minute, as a device's
pushes would). Prints the requests Hardcover received per state, against the budget (at most 3
per 10 idle minutes). Last, a library whose highlights go to the reading journal, one of which
Hardcover refuses for good (its edition belongs to another book): the requests over 10 minutes
after the user's send (target <= 3).
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
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.library.highlights import store as highlights
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.hardcover.sync import FIRST_SYNC_KEY, SyncService
from bookorbit_desktop.services.hardcover.sync_gate import PassGate
from bookorbit_desktop.services.hardcover.sync_worker import POLL_SECONDS, SyncWorker
from tests.factories import add_book
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import EBOOK, Catalog
from tests.fakes.hardcover_fixtures import make_client
from tests.fakes.hardcover_server import FakeHardcover
from tests.hardcover.sync.idle_states import BUDGET, IDLE_MINUTES, STATES, idle_requests, library_in


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


class Account:
    def __init__(self, client: object) -> None:
        self.client = client

    def has_supplied_token(self) -> bool:
        return False

    @asynccontextmanager
    async def open_client(self):
        yield self.client


async def _in_state(state: str, minutes: int) -> int:
    """The requests of `minutes` idle minutes of the worker with the library in `state`."""
    async with _world() as (clock, _catalog, fake, _user, _client):
        with tempfile.TemporaryDirectory() as folder:
            async with library_in(fake, Path(folder) / "keyring.json", clock) as idle:
                return await idle_requests(idle, state, minutes)


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
    parser.add_argument("--minutes", type=int, default=IDLE_MINUTES)
    args = parser.parse_args()
    bound = BUDGET * args.minutes // IDLE_MINUTES
    print(f"idle worker, {args.minutes} min, requests to Hardcover per state (at most {bound})")
    worst = 0
    for state in STATES:
        requests = asyncio.run(_in_state(state, args.minutes))
        worst = max(worst, requests)
        print(f"  {state:<28} {requests:>4}")
    refused, inserts = asyncio.run(_refused_journal_entry(10))
    print("a journal entry Hardcover refuses for good, 10 min after the user's send")
    print(f"  requests to Hardcover: {refused} ({inserts} journal inserts)   (target at most 3)")
    return 0 if worst <= bound and refused <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
