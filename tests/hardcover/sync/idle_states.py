"""A library in each state of the sync's table (`hardcover.sync.waiting`), with a real account
(the token in a file keyring) and the background worker as `serve` and the window run it, on
the fake Hardcover's clock: what ten idle minutes cost in requests, per state. Shared by the
budget's table test and `benchmarks/idle_budget.py`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.credentials import TokenStore
from bookorbit_desktop.hardcover.matching.store import exclude, pin
from bookorbit_desktop.hardcover.pull import store as pull_store
from bookorbit_desktop.hardcover.sync import counts
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import HardcoverMatch, SyncOutbox
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.hardcover.sync import SyncService
from bookorbit_desktop.services.hardcover.sync_gate import PassGate
from bookorbit_desktop.services.hardcover.sync_worker import POLL_SECONDS, SyncWorker
from tests.factories import add_book
from tests.fakes.file_keyring import FileKeyring
from tests.fakes.hardcover_catalog import EBOOK
from tests.fakes.hardcover_server import FakeHardcover

IDLE_MINUTES = 10
BUDGET = 3  # requests in ten idle minutes, whatever state the library is in


@dataclass
class Idle:
    fake: FakeHardcover
    service: SyncService
    synced: list[int]  # books read and synced by hand
    user_id: int = 0  # the reader's Hardcover id

    def linked(self, name: str, **reading: object) -> int:
        catalog = self.fake.catalog
        hc_book = catalog.add_book(name, authors=["Ann Author"], users_count=5)
        edition = catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
        book = add_book(name, ["Ann Author"])
        pin(book.id, hc_book, edition_id=edition, edition_pages=300, reason="pick")
        if reading:
            update_reading_state(book.id, **reading)  # type: ignore[arg-type]
        return book.id

    def unmatched(self, name: str, state: str) -> int:
        book = add_book(name, ["Nobody Known"])
        HardcoverMatch.insert(book=book.id, state=state, pinned=False, created_by_us=False,
                              candidates=[], updated_at=2e9).execute()  # fmt: skip
        update_reading_state(book.id, status="reading", progress=0.1)
        return book.id


def _review_waiting(idle: Idle) -> list[int]:
    books = [idle.linked(f"New {n}", status="want_to_read") for n in range(12)]
    assert counts.current().to_review == 12
    return books


def _held(idle: Idle) -> list[int]:
    books = _review_waiting(idle)
    idle.service.decline([*books, *idle.synced])
    update_reading_state(idle.synced[0], status="want_to_read")  # a held book changes again
    assert counts.current().held == 12 + len(idle.synced)
    return books


def _conflict(idle: Idle) -> list[int]:
    book = idle.synced[0]
    pull_store.note_conflict(book, "rating", 4.0, 5.0, now=1.0)
    assert counts.current().in_conflict == 1
    return []


def _excluded(idle: Idle) -> list[int]:
    book = idle.linked("Excluded", status="reading", progress=0.1)
    exclude(book)
    return [book]


def _no_match(idle: Idle) -> list[int]:
    return [idle.unmatched(f"Nowhere {n}", "no_match") for n in range(3)]


def _to_pick(idle: Idle) -> list[int]:
    books = [idle.unmatched(f"Two of them {n}", "needs_review") for n in range(3)]
    assert counts.current().to_pick == 3
    return books


def _failed(idle: Idle) -> list[int]:
    book = idle.linked("Refused", status="reading", progress=0.1)
    outbox.block(book, "Hardcover refused it for good")
    assert counts.current().failed == 1
    return []


def _token_refused(idle: Idle) -> list[int]:
    for token in list(idle.fake.catalog.tokens):
        idle.fake.catalog.revoke_token(token)
    return list(idle.synced)


def _up_to_date(idle: Idle) -> list[int]:
    return []


# The state, and what makes it (the books that change every idle minute, as a KOReader
# device's pushes would, without lifting the state).
STATES: dict[str, Callable[[Idle], list[int]]] = {
    "up to date": _up_to_date,
    "a review waiting": _review_waiting,
    "changes held": _held,
    "a conflict open": _conflict,
    "a book excluded": _excluded,
    "books with no match": _no_match,
    "books to pick": _to_pick,
    "a change failed for good": _failed,
    "the token refused": _token_refused,
}


@asynccontextmanager
async def library_in(fake: FakeHardcover, keyring_file: Path, clock: object) -> AsyncIterator[Idle]:
    """Four books read and synced by hand through a connected account (the token kept in a
    file keyring), on the fake's clock."""
    account = HardcoverAccount(
        TokenStore(FileKeyring(keyring_file)),
        client_factory=lambda token, **kw: HardcoverClient(
            token,
            endpoint=fake.url,
            clock=clock,
            sleep=clock.sleep,
            **kw,  # type: ignore[attr-defined]
        ),
        clock=clock,  # type: ignore[arg-type]
    )
    user = fake.catalog.add_user("idle reader")
    await account.connect(fake.catalog.add_token(user))
    service = SyncService(account, clock=clock, gate=PassGate())  # type: ignore[arg-type]
    idle = Idle(fake, service, [], user)
    idle.synced = [
        idle.linked(f"Read {n}", status="read", started="2024-01-10", finished="2024-02-03")
        for n in range(4)
    ]
    report = await service.sync()
    assert report.counts == {"sent": 4}, report.counts
    yield idle


async def idle_requests(idle: Idle, state: str, minutes: int = IDLE_MINUTES) -> int:
    """Put the library in `state`, then run the worker for `minutes` of idling (its books
    change every minute); the requests Hardcover received meanwhile."""
    changing = STATES[state](idle)
    clock = idle.service._clock
    idle.fake.reset_counters()
    worker = SyncWorker(idle.service, sleep=clock.sleep)  # type: ignore[attr-defined]
    for tick in range(int(minutes * 60 / POLL_SECONDS)):
        if tick % 6 == 0:
            for book_id in changing:
                update_reading_state(book_id, progress=0.1 + tick / 1000)
        SyncOutbox.update(kinds={"progress": 0.0}).execute()  # every change due at once
        await worker.run_once()
        await clock.sleep(POLL_SECONDS)  # type: ignore[attr-defined]
    return len(idle.fake.requests)
