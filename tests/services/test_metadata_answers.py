"""`services.metadata` reports each source's answer as it comes: a slow Hardcover never holds
back Open Library and Google Books (loopback fakes), each answer is stored before it is
reported, a retry asks only the books and sources named, the failed fetches are read back with
their reasons, and a fetch with the window's Hardcover account shares its rate budget but keeps
the metadata fetch's own patience."""

from __future__ import annotations

import asyncio
import functools
import time

import pytest

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.credentials import SuppliedToken, TokenStore
from bookorbit_desktop.library.metadata.isbn import isbn13_check_digit
from bookorbit_desktop.library.store import fetched_metadata
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.metadata_sources.keys import GoogleBooksKey
from bookorbit_desktop.services.hardcover.account import PAUSED_KEY, HardcoverAccount
from bookorbit_desktop.services.metadata.service import FetchAnswer, FetchProgress, MetadataService
from tests.factories import add_book
from tests.fakes.file_keyring import FileKeyring
from tests.fakes.hardcover_fixtures import clock, hardcover  # noqa: F401
from tests.fakes.metadata_sources import FakeBook, FakeBookSources
from tests.fakes.metadata_sources_fixtures import paced_virtually

NO_PACING = {"openlibrary": 0.0, "google": 0.0}


@pytest.fixture
async def books_online(monkeypatch):
    async with FakeBookSources() as fake:
        fake.clock = paced_virtually(monkeypatch)  # a refusal's back-off takes no wall time
        monkeypatch.setenv("BOOKORBIT_OPENLIBRARY_URL", fake.openlibrary_url)
        monkeypatch.setenv("BOOKORBIT_GOOGLEBOOKS_URL", fake.google_url)
        yield fake


def account_for(server) -> HardcoverAccount:
    """An account as the window makes one: the client's own (sync's) retry policy."""
    factory = functools.partial(HardcoverClient, endpoint=server.url)
    return HardcoverAccount(supplied=SuppliedToken(server.token, "test"), client_factory=factory)


def known_books(count, hardcover, books_online) -> list[int]:  # noqa: F811
    ids = []
    for n in range(count):
        body = f"978{n:09d}"
        isbn = body + isbn13_check_digit(body)
        hc_book = hardcover.catalog.add_book(f"Book {n}", authors=["Ann Author"])
        hardcover.catalog.add_edition(hc_book, isbn_13=isbn, pages=100)
        books_online.add(FakeBook(isbn, f"Book {n}", ("Ann Author",)))
        ids.append(add_book(f"Book {n}", ["Unknown"], isbn13=isbn).id)
    return ids


async def test_a_slow_source_holds_back_no_other_and_each_answer_is_stored_first(
    library,
    hardcover,  # noqa: F811
    books_online,
    tmp_path,
):
    ids = known_books(3, hardcover, books_online)
    hardcover.config.response_delay = 0.8  # every Hardcover answer takes 0.8 s
    answers: list[tuple[float, str, int, str]] = []
    done: list[tuple[float, FetchProgress]] = []

    def answered(answer: FetchAnswer) -> None:
        stored = {s.source: s.status for s in fetched_metadata.states([answer.book_id])}
        source = answer.result.source
        answers.append((time.monotonic(), source, answer.book_id, stored[source]))

    google_key = GoogleBooksKey(FileKeyring(tmp_path / "keyring.json"))  # not the machine's
    service = MetadataService(
        library, account=account_for(hardcover), intervals=NO_PACING, google_key=google_key
    )
    report = await service.fetch(
        ids, answered=answered, progress=lambda p: done.append((time.monotonic(), p))
    )
    assert (report.books, report.found, report.failures) == (3, 3, ())
    assert [stored for *_, stored in answers] == ["ok"] * 9, answers
    order = [source for _, source, _, _ in answers]
    assert sorted(order[:6]) == ["google"] * 3 + ["openlibrary"] * 3
    assert order[6:] == ["hardcover"] * 3
    fast = [at for at, source, _, _ in answers if source != "hardcover"]
    # All six came within one Hardcover answer's time of each other: no book's fast answers
    # waited for an earlier book's Hardcover answer (setting up the sources, which a loaded
    # machine can slow, comes before any answer and is not measured).
    assert max(fast) - min(fast) < 0.8
    first_hardcover = min(at for at, source, _, _ in answers if source == "hardcover")
    assert max(fast) <= first_hardcover
    assert [p.done for _, p in done] == [1, 2, 3]  # a book is done with its last source
    assert min(at for at, _ in done) >= max(at for at, *_ in answers[:6])
    assert [r.source for r in done[0][1].results] == ["hardcover", "openlibrary", "google"]


async def test_retry_of_some_books_asks_only_their_failed_sources(library, books_online):
    ids = [add_book(f"Book {n}", ["Ann Author"]).id for n in range(3)]
    books_online.fail["openlibrary"] = 503
    service = MetadataService(library, sources=["openlibrary", "google"], intervals=NO_PACING)
    first = await service.fetch(ids)
    assert {(b, r.source) for b, r in first.failures} == {(b, "openlibrary") for b in ids}

    failed = await service.failed_answers()
    by_book = {}
    for answer in failed:
        by_book.setdefault(answer.book_id, {})[answer.result.source] = answer.result
    assert set(by_book) == set(ids)
    reason = by_book[ids[0]]["openlibrary"]
    assert (reason.status, reason.failed) == ("refused", True)
    assert "503" in reason.message  # the source's own reason, as the run stored it
    assert by_book[ids[0]]["google"].status == "no result"  # the book's other answers too

    del books_online.fail["openlibrary"]
    google_before = books_online.requests["google"]
    (report,) = await service.retry(ids[:2])
    assert (report.books, report.failures) == (2, ())
    assert books_online.requests["google"] == google_before  # only the failed source
    assert set(service.failed()) == {ids[2]}  # the book not named still waits
    assert await service.retry([ids[0]]) == []  # nothing failed for it any more


async def test_the_windows_account_shares_its_budget_but_the_fetch_keeps_its_patience(
    library,
    hardcover,  # noqa: F811
):
    isbn = "9780140328721"
    fox = hardcover.catalog.add_book("Fantastic Mr Fox", authors=["Roald Dahl"])
    hardcover.catalog.add_edition(fox, isbn_13=isbn, pages=96)
    book = add_book("Mr Fox", ["Unknown"], isbn13=isbn).id
    account = account_for(hardcover)  # its clients would wait a 429 of up to 120 s
    hardcover.fail_next(429, retry_after=90, times=3)
    service = MetadataService(library, account=account, sources=["hardcover"])
    started = time.monotonic()
    report = await service.fetch([book])
    assert time.monotonic() - started < 5  # 90 s is more than a fetch waits: retry later
    ((_, result),) = report.failures
    assert result.status == "rate-limited"
    # The account's one limiter saw the 429: sync, on the same account, waits it out too.
    assert account.limiter().wait_time(1) > 60


async def test_a_source_that_cannot_be_asked_answers_every_book_without_holding_the_loop(
    library, books_online, tmp_path
):
    ids = [add_book(f"Book {n}", ["Ann Author"]).id for n in range(120)]
    unconnected = HardcoverAccount(
        TokenStore(FileKeyring(tmp_path / "keyring.json")), supplied=None
    )
    service = MetadataService(
        library, account=unconnected, sources=["hardcover"], intervals=NO_PACING
    )
    turns = 0

    async def ticker() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    seen: list[int] = []  # the loop's turns when each answer was reported
    ticking = asyncio.create_task(ticker())
    try:
        report = await service.fetch(ids, answered=lambda a: seen.append(turns))
    finally:
        ticking.cancel()
    # Hardcover not set up is no failure: no book fails for it, nothing waits for a retry
    assert (report.failures, report.not_connected) == ((), ("hardcover",))
    states = fetched_metadata.states(ids)
    assert {(s.status, s.message) for s in states} == {("not connected", "Settings ▸ Hardcover")}
    assert service.failed() == {}
    assert await service.retry(ids) == []
    assert len(set(seen)) >= 3  # reported in slices, the loop running between them


async def test_without_any_password_storage_hardcover_is_not_connected(
    library, books_online, monkeypatch
):
    from keyring.backends.fail import Keyring as NoKeyring

    book = add_book("Book", ["Ann Author"]).id
    account = HardcoverAccount(TokenStore(NoKeyring()), supplied=None)
    service = MetadataService(
        library, account=account, sources=["hardcover", "openlibrary"], intervals=NO_PACING
    )
    report = await service.fetch([book])
    assert (report.failures, report.not_connected) == ((), ("hardcover",))


async def test_a_token_hardcover_refused_stays_a_failure_with_its_reason(library, tmp_path):
    book = add_book("Book", ["Ann Author"]).id
    keys = FileKeyring(tmp_path / "keyring.json")
    account = HardcoverAccount(TokenStore(keys), supplied=None)
    set_setting(PAUSED_KEY, {"reason": "refused", "detail": "token expired", "since": 0.0})
    service = MetadataService(library, account=account, sources=["hardcover"])
    report = await service.fetch([book])
    ((failed, result),) = report.failures
    assert (failed, result.status, report.not_connected) == (book, "refused", ())
    assert result.message and set(service.failed()) == {book}  # Retry asks it again
