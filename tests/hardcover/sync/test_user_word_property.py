"""The user's word holds in any order of events: random sequences of edits, bulk edits, Sync Now
answered Send or Cancel, background passes, Discard, changes made on hardcover.app and a second
copy of a book, against the fake Hardcover on 127.0.0.1 with a real account. After every step:
nothing the user declined reached Hardcover, no pass wrote two values to one field of an
entry, and every count of what waits agrees; at the end, ten idle minutes stay in budget."""

from __future__ import annotations

import asyncio
import tempfile
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.sync import counts, store
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store import dashboard_rows, outbox
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import SyncOutbox
from bookorbit_desktop.services.hardcover.service import HardcoverService
from bookorbit_desktop.services.hardcover.sync_worker import POLL_SECONDS, SyncWorker
from tests.factories import add_book
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover
from tests.hardcover.sync.idle_states import BUDGET, Idle, idle_requests, library_in

STATUSES = ("want_to_read", "reading", "read", "abandoned")
BOOKS = 7  # four synced by hand first, then three new ones: more than five new can go by
ENTRY_FIELDS = ("status_id", "rating")

step = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, BOOKS - 1), st.sampled_from(STATUSES)),
    st.tuples(st.just("rate"), st.integers(0, BOOKS - 1), st.sampled_from((3.0, 4.0, 5.0))),
    st.tuples(st.just("bulk"), st.just(0), st.sampled_from(STATUSES)),
    st.tuples(st.just("send"), st.just(0), st.just(None)),
    st.tuples(st.just("cancel"), st.just(0), st.just(None)),
    st.tuples(st.just("worker"), st.just(0), st.just(None)),
    st.tuples(st.just("discard"), st.just(0), st.just(None)),
    st.tuples(st.just("on_hardcover"), st.integers(0, 3), st.sampled_from((1.0, 2.0))),
    st.tuples(st.just("copy"), st.integers(0, 3), st.sampled_from((3.0, 5.0))),
)


def mark(book_id: int, status: str) -> None:
    """The user's status, with the finish date a Read asks for."""
    dates = {"finished": "2025-05-05"} if status == "read" else {}
    update_reading_state(book_id, status=status, **dates)


class Run:
    def __init__(self, idle: Idle, clock: VirtualClock) -> None:
        self.idle, self.clock = idle, clock
        self.fake = idle.fake
        self.books = list(idle.synced)
        self.hc_books = {b: self._hc_book(b) for b in self.books}
        self.worker = SyncWorker(idle.service, sleep=clock.sleep)
        self.declined: dict[int, dict[str, object]] = {}  # hc book -> its entry when held

    def _hc_book(self, book_id: int) -> int:
        (candidate,) = store.candidates([book_id])
        return candidate.local.hc_book_id

    def entry(self, hc_book: int) -> dict | None:
        return self.fake.catalog.user_book_for(self.idle.user_id, hc_book)

    def held_values(self) -> dict[int, dict[str, object]]:
        found = {}
        for book_id in outbox.held_books():
            hc_book = self.hc_books.get(book_id)
            if hc_book is not None:
                entry = self.entry(hc_book) or {}
                found[hc_book] = {f: entry.get(f) for f in ENTRY_FIELDS}
        return found

    async def do(self, kind: str, index: int, value: object) -> None:
        before = len(self.fake.requests)
        book = self.books[index % len(self.books)]
        if kind == "edit":
            mark(book, str(value))
        elif kind == "rate":
            update_reading_state(book, rating=float(value))  # type: ignore[arg-type]
        elif kind == "bulk":
            for other in self.books:
                mark(other, str(value))
        elif kind == "send":
            await self.idle.service.sync()
        elif kind == "cancel":
            preview = await self.idle.service.sync(dry_run=True)
            self.idle.service.decline(preview.shown)
        elif kind == "worker":
            SyncOutbox.update(kinds={"status": 0.0}).execute()  # every change long due
            await self.worker.run_once()
            await self.clock.sleep(POLL_SECONDS)
        elif kind == "discard":
            self.idle.service.discard_held()
        elif kind == "on_hardcover":  # the user changes the rating on hardcover.app
            entry = self.entry(self.hc_books[book])
            if entry is not None:
                entry["rating"] = float(value)  # type: ignore[arg-type]
                entry["updated_at"] = "2030-01-01T00:00:00+00:00"
        elif kind == "copy":  # a second copy of a synced book, rated
            copy = add_book(f"Copy {len(self.books)}", ["Ann Author"]).id
            pin(copy, self.hc_books[book], edition_id=None, edition_pages=None, reason="picked")
            mark(copy, "read")
            update_reading_state(copy, rating=float(value))  # type: ignore[arg-type]
            self.books.append(copy)
            self.hc_books[copy] = self.hc_books[book]
        self.check_pass(self.fake.requests[before:], kind)

    def check_pass(self, requests: list, kind: str) -> None:
        """No pass writes two values to one field of an entry; nothing held went out."""
        written: dict[tuple[object, str], set[object]] = defaultdict(set)
        for request in requests:
            if request.operation_type != "mutation":
                continue
            fields = request.variables.get("object") or {}
            target = request.variables.get("id") or fields.get("book_id")
            for name in ENTRY_FIELDS:
                if name in fields:
                    written[(target, name)].add(fields[name])
        doubled = {key: values for key, values in written.items() if len(values) > 1}
        assert not doubled, (kind, doubled)
        if kind not in ("send", "on_hardcover"):  # only the user's Send lets held books go
            for hc_book, values in self.declined.items():
                entry = self.entry(hc_book) or {}
                now = {f: entry.get(f) for f in ENTRY_FIELDS}
                assert now == values, (kind, hc_book, values, now)
        self.declined = self.held_values()

    def check_counts(self) -> None:
        waits = counts.current()
        assert HardcoverService(self.idle.service.account).status().waits == waits
        assert self.idle.service.status().waiting == waits.to_json()
        page = dashboard_rows.state_counts()
        # A held book in conflict or failed is counted there (the page's order), still held.
        assert page.get("held", 0) == waits.held <= len(outbox.held_books())
        assert page.get("conflict", 0) == waits.in_conflict


async def _run(steps: list[tuple[str, int, object]], folder: Path) -> None:
    clock = VirtualClock()
    catalog = Catalog()
    fake = FakeHardcover(catalog, clock=clock)
    await fake.start()
    open_database(folder / "library.sqlite3")
    try:
        async with library_in(fake, folder / "keyring.json", clock) as idle:
            run = Run(idle, clock)
            for n in range(BOOKS - len(run.books)):
                book = idle.linked(f"New {n}", status="want_to_read")
                run.books.append(book)
                run.hc_books[book] = run._hc_book(book)
            for kind, index, value in steps:
                await run.do(kind, index, value)
                run.check_counts()
            for _ in range(3):  # what may go out goes; then nothing more
                await run.do("worker", 0, None)
            assert await idle_requests(idle, "up to date") <= BUDGET
    finally:
        close_database()
        await fake.close()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(step, min_size=1, max_size=12))
def test_the_users_word_holds_in_any_order(steps):
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_run(steps, Path(folder)))
