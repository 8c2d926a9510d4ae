"""A property of the journal against the loopback fake Hardcover: whatever faults come (lost
answers after a stored insert, 503s, dropped connections, refusals, failed read-backs) and
however senders overlap, no quote is ever in the journal twice, and once Hardcover behaves
every quote is stored or shown as refused."""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.hardcover.journal import store as journal_store
from bookorbit_desktop.hardcover.journal.send import ReviewNeededError, send_highlights
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.sync import lease
from bookorbit_desktop.library.highlights import store
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.services.hardcover import journal as journal_service
from tests.factories import add_book
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import EBOOK, SYNC_SCOPES, Catalog
from tests.fakes.hardcover_fixtures import make_client
from tests.fakes.hardcover_server import FakeHardcover
from tests.new_library import new_library

INSERT, READ_BACK = "InsertReadingJournal", "ReadingJournalsByBook"
REFUSAL = {"data": {"insert_reading_journal": {"id": None, "errors": ["Try another day"]}}}
FAULTS = st.sampled_from(
    ["lose_503", "lose_500", "lose_drop", "503", "drop", "refuse", "read_503", "read_drop"]
)


def _fault(fake: FakeHardcover, kind: str) -> None:
    if kind.startswith("lose_"):
        answer = kind.removeprefix("lose_")
        fake.lose_answer_after_write(INSERT, 1, answer=int(answer) if answer.isdigit() else answer)
    elif kind == "refuse":
        fake.fail_next(200, body=REFUSAL, operation=INSERT)
    elif kind.startswith("read_"):
        answer = kind.removeprefix("read_")
        fake.fail_next(int(answer) if answer.isdigit() else answer, operation=READ_BACK)
    else:
        fake.fail_next(int(kind) if kind.isdigit() else kind, operation=INSERT)


async def _sender(client, user_id: int, clock: VirtualClock, holder: str, by_user: bool) -> None:
    """One process's pass: the user's `journal send`, or a worker's pass under the lease."""
    if not lease.acquire(holder, now=clock()):
        return  # another sender holds the library: this one sends nothing
    try:
        await send_highlights(
            client,
            user_id=user_id,
            reviewed=True,
            clock=clock,
            user_asked=by_user,
            lease_holder=holder,
        )
    except ReviewNeededError:
        pass
    finally:
        lease.release(holder)


async def _scenario(quotes: int, rounds: list[tuple[list[str], int, int]]) -> None:
    clock = VirtualClock()
    catalog = Catalog()
    fake = FakeHardcover(catalog, clock=clock)
    user = catalog.add_user("reader")
    token = catalog.add_token(user, scopes=SYNC_SCOPES | {"read:journal"})
    await fake.start()
    clients = [make_client(fake, clock, token) for _ in range(2)]
    try:
        hc_book = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=5)
        edition = catalog.add_edition(hc_book, pages=400, reading_format_id=EBOOK)
        book = add_book("Dune", ["Frank Herbert"])
        pin(book.id, hc_book, edition_id=edition, edition_pages=400, reason="pick")
        texts = [f"Quote {n}." for n in range(quotes)]
        entries = [Entry(1_709_300_000 + n, text) for n, text in enumerate(texts)]
        store.record(store.Target(book.id), entries, source="xmnote", origin="x", now=1.0)
        journal_store.choose([book.id], on=True)
        for faults, senders, wait in rounds:
            for kind in faults:
                _fault(fake, kind)
            await asyncio.gather(
                *(
                    _sender(clients[n], user, clock, f"host:{n + 1}:s", by_user=n == 0)
                    for n in range(senders)
                )
            )
            clock.advance(wait)
            stored = Counter(row["entry"] for row in catalog.rows("reading_journals"))
            assert max(stored.values(), default=0) <= 1, stored
        fake._faults.clear()
        fake._lost_answers.clear()
        for _ in range(8):  # Hardcover behaves again: the worker's passes, hours apart
            clock.advance(13 * 3_600)
            await _sender(clients[1], user, clock, "host:2:s", by_user=False)
        stored = Counter(row["entry"] for row in catalog.rows("reading_journals"))
        assert max(stored.values(), default=0) <= 1, stored
        refused = {s.text for s in journal_service.states() if s.refused}
        assert set(texts) == set(stored) | refused
    finally:
        for client in clients:
            await client.close()
        await fake.close()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    quotes=st.integers(1, 4),
    rounds=st.lists(
        st.tuples(st.lists(FAULTS, max_size=4), st.integers(1, 2), st.integers(0, 7_200)),
        min_size=1,
        max_size=4,
    ),
)
def test_faults_and_overlapping_senders_never_duplicate_a_quote(quotes, rounds):
    with tempfile.TemporaryDirectory() as folder:
        new_library(Path(folder) / "library.sqlite3")
        open_database(Path(folder) / "library.sqlite3")
        try:
            asyncio.run(_scenario(quotes, rounds))
        finally:
            close_database()
