"""A property: whatever order KOReader pushes, worker passes, Cancel, faults and pushes that
land in the middle of a write come in, the newest reading position ends on Hardcover once the
faults are over and a pass runs."""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.sync.model import progress_pages
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.hardcover.sync import FIRST_SYNC_KEY, SyncService
from bookorbit_desktop.services.hardcover.sync_gate import PassGate
from tests.factories import add_book
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import EBOOK, Catalog
from tests.fakes.hardcover_fixtures import make_client
from tests.fakes.hardcover_server import FakeHardcover
from tests.new_library import new_library

PAGES = 400
BOOKS = 2


@dataclass
class Account:
    client: object

    @asynccontextmanager
    async def open_client(self):
        yield self.client


# One step of the story: a KOReader push (book, how far it moves on), a worker pass, a push
# that lands while the worker writes, a Sync Now the user cancels after one book, or a fault.
steps = st.one_of(
    st.tuples(st.just("push"), st.integers(0, BOOKS - 1), st.integers(1, 40)),
    st.tuples(st.just("pass")),
    st.tuples(st.just("race"), st.integers(0, BOOKS - 1), st.integers(1, 40)),
    st.tuples(st.just("cancel")),
    st.tuples(st.just("fault"), st.sampled_from([503, 429, "drop", "drop_after", 401])),
)


async def story(folder: Path, plan: list[tuple]) -> None:
    clock = VirtualClock(start=time.time())  # changes are queued by the real clock
    catalog = Catalog()
    fake = FakeHardcover(catalog, clock=clock)
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    await fake.start()
    new_library(folder / "library.sqlite3")
    open_database(folder / "library.sqlite3")
    client = make_client(fake, clock, token)
    try:
        books, hc_books = [], []
        for n in range(BOOKS):
            hc_book = catalog.add_book(f"Book {n}", authors=["Ann Author"], users_count=3)
            edition = catalog.add_edition(hc_book, pages=PAGES, reading_format_id=EBOOK)
            book = add_book(f"Book {n}", ["Ann Author"])
            pin(book.id, hc_book, edition_id=edition, edition_pages=PAGES, reason="pick")
            update_reading_state(book.id, status="reading", started="2026-03-01", progress=0.01)
            books.append(book.id)
            hc_books.append(hc_book)
        set_setting(FIRST_SYNC_KEY, 0.0)
        sync = SyncService(Account(client), clock=clock, gate=PassGate())
        await sync.sync()
        progress = [0.01] * BOOKS

        def moved(book: int, step: int) -> float:
            progress[book] = min(0.98, progress[book] + step / 100)  # reading goes forward
            return progress[book]

        for step in plan:
            kind = step[0]
            if kind == "push":
                update_reading_state(books[step[1]], progress=moved(step[1], step[2]))
            elif kind == "race":

                def land(operation, index=step[1], forward=step[2]):
                    if operation and operation.startswith(("Update", "Insert")):
                        fake.after_operation = None  # KOReader reads on while the write is out
                        update_reading_state(books[index], progress=moved(index, forward))

                fake.after_operation = land
            elif kind == "cancel":
                stop = asyncio.Event()

                def after_one(p, stop=stop) -> None:
                    if p.done:
                        stop.set()

                await sync.sync(cancel=stop, progress=after_one)
            elif kind == "fault":
                fake.fail_next(step[1], retry_after=30)
            else:
                clock.advance(600)
                await sync.push_due()
        # The faults are over: the worker brings Hardcover up to date by itself; only what
        # the user cancelled waits for their next sync.
        fake.after_operation = None
        fake._faults.clear()
        for _ in range(3):
            clock.advance(4000)
            await sync.push_due()
        if not any(step[0] == "cancel" for step in plan):
            check(catalog, user, books, hc_books)
        await sync.sync()
        check(catalog, user, books, hc_books)
    finally:
        await client.close()
        await fake.close()
        close_database()


def check(catalog: Catalog, user: int, books: list[int], hc_books: list[int]) -> None:
    for book, hc_book in zip(books, hc_books, strict=True):
        local = ReadingState.get(ReadingState.book == book).progress
        entry = catalog.user_book_for(user, hc_book)
        reads = [r for r in catalog.reads_of(entry["id"]) if not r["finished_at"]]
        assert len(reads) == 1, reads
        assert reads[0]["progress_pages"] == progress_pages(local, PAGES), (book, local)
        entries = [e for e in catalog.tables["user_books"].values() if e["book_id"] == hc_book]
        assert len(entries) == 1


_runs = itertools.count()


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(plan=st.lists(steps, min_size=1, max_size=12))
def test_the_newest_position_always_ends_on_hardcover(plan):
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(story(Path(folder) / str(next(_runs)), plan))
