"""The client against the fake Hardcover: headers, batching, pacing, retries, errors."""

from __future__ import annotations

import logging
import socket

import aiohttp
import pytest

from bookorbit_desktop import __version__
from bookorbit_desktop.hardcover.api.client import HardcoverClient, RetryPolicy
from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    MutationError,
    NetworkError,
    RateLimitedError,
    ScopeError,
    SearchFailedError,
    UnavailableError,
)
from bookorbit_desktop.hardcover.api.ratelimit import FREE, RateLimiter
from tests.fakes.hardcover_catalog import AUDIO, EBOOK
from tests.fakes.hardcover_fixtures import make_client


async def test_me_sends_one_bearer_prefix_and_our_user_agent(hardcover, hc_client):
    user = await hc_client.me()
    assert (user.id, user.username) == (hardcover.user_id, "reader")
    request = hardcover.requests[-1]
    assert request.headers["Authorization"] == f"Bearer {hardcover.token}"
    assert request.headers["User-Agent"] == f"BookOrbitDesktop/{__version__}"
    assert request.operation_name == "Me"
    assert hardcover.top_level_fields == 1


async def test_isbn_batches_cost_one_request_per_ninety_isbns(hardcover, hc_client):
    catalog = hardcover.catalog
    isbns = []
    for n in range(250):
        book = catalog.add_book(f"Book {n}", authors=[f"Author {n}"])
        isbn = f"978{n:010d}"
        catalog.add_edition(book, isbn_13=isbn, pages=100, reading_format_id=EBOOK)
        isbns.append(isbn)
    unrelated = catalog.add_book("Other")
    catalog.add_edition(unrelated, isbn_13="9999999999999")
    editions = await hc_client.editions_by_isbn(isbns + isbns[:5], ["0000000000"])
    assert sorted(e.isbn_13 for e in editions) == sorted(isbns)
    assert hardcover.top_level_fields == 3  # ceil(251 / 90)
    books = {b["id"] for b in catalog.rows("books") if b["title"].startswith("Book")}
    assert {e.book_id for e in editions} == books


async def test_isbn_lookup_pages_past_the_hundred_row_cap(hardcover, hc_client):
    catalog = hardcover.catalog
    book = catalog.add_book("Popular", authors=["Someone"])
    for n in range(230):  # one ISBN shared by many editions (it happens)
        catalog.add_edition(book, isbn_10="0123456789", users_count=n)
    editions = await hc_client.editions_by_isbn([], ["0123456789"])
    assert len(editions) == 230
    assert [r.variables["offset"] for r in hardcover.requests] == [0, 100, 200]


async def test_isbn10_and_isbn13_resolve_together(hardcover, hc_client):
    catalog = hardcover.catalog
    book = catalog.add_book("Dune", authors=["Frank Herbert"])
    catalog.add_edition(book, isbn_10="0441013597", pages=604, language="en")
    catalog.add_edition(book, isbn_13="9780441172719", pages=535, reading_format_id=AUDIO)
    editions = await hc_client.editions_by_isbn(["9780441172719"], ["0441013597"])
    assert {(e.isbn_10, e.isbn_13) for e in editions} == {
        ("0441013597", None),
        (None, "9780441172719"),
    }
    assert hardcover.top_level_fields == 1
    assert {e.language for e in editions} == {"en"}


async def test_search_returns_typed_candidates_in_rank_order(hardcover, hc_client):
    catalog = hardcover.catalog
    catalog.add_book("Dune", authors=["Frank Herbert"], release_year=1965, users_count=900)
    catalog.add_book("Dune Messiah", authors=["Frank Herbert"], users_count=300)
    catalog.add_book("Unrelated", authors=["Nobody"])
    result = await hc_client.search_books("dune herbert", per_page=5)
    assert [hit.title for hit in result.hits] == ["Dune", "Dune Messiah"]
    assert result.hits[0].author_names == ("Frank Herbert",)
    assert result.hits[0].release_year == 1965
    assert result.found == 2


async def test_a_search_hardcover_could_not_run_is_an_error_not_an_empty_result(
    hardcover, hc_client
):
    failed = {"search": {"error": "Search is unavailable", "ids": [], "results": None}}
    hardcover.fail_next(200, body={"data": failed})
    with pytest.raises(SearchFailedError) as caught:
        await hc_client.search_books("dune")
    assert "Search is unavailable" in caught.value.message


async def test_many_requests_in_a_row_never_provoke_a_429(hardcover, hc_client, clock):
    for _ in range(40):
        await hc_client.me()
    assert hardcover.status_count(429) == 0
    assert hardcover.status_count(200) == 40
    # 10 from the burst, then one per second.
    assert clock.slept == pytest.approx(30, abs=1)


async def test_budget_shared_with_another_app_is_read_from_headers(hardcover, clock):
    other = make_client(hardcover, clock, hardcover.token)
    ours = make_client(hardcover, clock, hardcover.token)
    for _ in range(8):
        await other.me()
    await ours.me()  # learns from the headers that only one token is left
    await ours.me()
    await ours.me()
    assert hardcover.status_count(429) == 0
    assert ours.budget().daily_remaining == FREE.daily - 11
    await other.close()
    await ours.close()


@pytest.mark.parametrize("legacy_body", [False, True])
async def test_a_burst_spent_by_another_app_costs_one_429_then_a_wait(
    hardcover, hc_client, clock, legacy_body
):
    hardcover.config.legacy_throttle_body = legacy_body  # {"error": "Throttled"}
    hardcover.rates.bucket(hardcover.user_id, "Free").tokens = 0
    before = clock()
    assert (await hc_client.me()).username == "reader"
    assert [r.status for r in hardcover.requests] == [429, 200]
    assert clock() - before == pytest.approx(1)


async def test_429_retry_after_is_honoured(hardcover, hc_client, clock):
    hardcover.fail_next(429, retry_after=7)
    before = clock()
    await hc_client.me()
    assert [r.status for r in hardcover.requests] == [429, 200]
    assert clock() - before == pytest.approx(7)


async def test_long_retry_after_is_reported_instead_of_waited(hardcover, hc_client):
    hardcover.fail_next(429, retry_after=3600)
    with pytest.raises(RateLimitedError) as caught:
        await hc_client.me()
    assert caught.value.retry_after == 3600
    assert len(hardcover.requests) == 1


async def test_daily_cap_stops_without_hammering(hardcover, hc_client, clock):
    hardcover.rates.bucket(hardcover.user_id, "Free").used_today = FREE.daily
    with pytest.raises(RateLimitedError) as caught:
        await hc_client.me()
    assert caught.value.daily
    with pytest.raises(RateLimitedError):
        await hc_client.me()  # the limiter knows; nothing is sent
    assert hardcover.status_count(429) == 1


@pytest.mark.parametrize("fault", [500, 503, 408, 502, "html500", "drop"])
async def test_transient_failures_are_retried_with_backoff(hardcover, hc_client, clock, fault):
    hardcover.fail_next(fault, times=2)
    user = await hc_client.me()
    assert user.username == "reader"
    assert len(hardcover.requests) == 3
    # equal jitter with jitter()=0.5: 0.75 s then 1.5 s (on top of any rate waits)
    assert clock.sleeps[:2] == [0.75, 1.5]


async def test_persistent_5xx_gives_up_after_the_attempts(hardcover, hc_client):
    hardcover.fail_next(503, times=10)
    with pytest.raises(UnavailableError) as caught:
        await hc_client.me()
    assert caught.value.status == 503
    assert len(hardcover.requests) == 4


def test_backoff_is_capped():
    policy = RetryPolicy(base_delay=1, max_delay=30)
    assert [policy.backoff(n, 1.0) for n in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert [policy.backoff(n, 0.0) for n in range(3)] == [0.5, 1, 2]


async def test_a_hanging_server_times_out_and_is_retried(hardcover, clock):
    hardcover.config.hang_seconds = 5
    hardcover.fail_next("hang")
    client = make_client(
        hardcover, clock, hardcover.token, timeout=aiohttp.ClientTimeout(total=0.3)
    )
    assert (await client.me()).username == "reader"
    assert len(hardcover.requests) == 2
    await client.close()


async def test_mutation_is_not_repeated_when_it_may_have_run(hardcover, hc_client):
    book = hardcover.catalog.add_book("Dune", authors=["Frank Herbert"])
    hardcover.fail_next(500)
    with pytest.raises(UnavailableError):
        await hc_client.insert_user_book({"book_id": book, "status_id": 1})
    assert len(hardcover.requests) == 1


async def test_an_update_is_repeated_after_a_503(hardcover, hc_client):
    book = hardcover.catalog.add_book("Dune", authors=["Frank Herbert"])
    entry = await hc_client.insert_user_book({"book_id": book, "status_id": 1})
    hardcover.fail_next(503)
    await hc_client.execute("UpdateUserBook", {"id": entry["id"], "object": {"status_id": 2}})
    assert [row["status_id"] for row in hardcover.catalog.rows("user_books")] == [2]


@pytest.mark.parametrize("operation", ["InsertUserBook", "InsertUserBookRead"])
async def test_an_insert_whose_answer_is_lost_in_a_503_is_not_sent_twice(
    hardcover, hc_client, operation
):
    book = hardcover.catalog.add_book("Dune", authors=["Frank Herbert"])
    if operation == "InsertUserBook":
        send = hc_client.insert_user_book({"book_id": book, "status_id": 1})
        table = "user_books"
    else:
        entry = await hc_client.insert_user_book({"book_id": book, "status_id": 1})
        read = {"started_at": "2026-03-01"}
        send = hc_client.execute("InsertUserBookRead", {"userBookId": entry["id"], "read": read})
        table = "user_book_reads"
    hardcover.lose_answer_after_write(operation, 1, answer=503)
    with pytest.raises(UnavailableError):
        await send
    assert len(hardcover.catalog.rows(table)) == 1  # stored once; the caller reads back


async def test_mutation_error_field_becomes_a_typed_error(hardcover, hc_client):
    gone = hardcover.catalog.add_book("Old", authors=["A"])
    hardcover.catalog.merge_book(gone, into=hardcover.catalog.add_book("New", authors=["A"]))
    with pytest.raises(MutationError) as caught:
        await hc_client.insert_user_book({"book_id": gone})
    assert "Was it deleted?" in caught.value.detail


async def test_insert_and_delete_user_book(hardcover, hc_client):
    book = hardcover.catalog.add_book("Dune", authors=["Frank Herbert"])
    inserted = await hc_client.insert_user_book({"book_id": book, "status_id": 3})
    assert len(inserted["user_book"]["user_book_reads"]) == 1  # Hardcover's auto-read
    found = await hc_client.user_book_for(hardcover.user_id, book)
    assert found is not None and found["id"] == inserted["id"]
    assert await hc_client.delete_user_book(inserted["id"]) is True
    assert await hc_client.user_book_for(hardcover.user_id, book) is None
    assert await hc_client.delete_user_book(inserted["id"]) is False


@pytest.mark.parametrize("mode", ["current", "legacy", "in_band"])
async def test_expired_token_is_an_auth_error_and_calls_the_hook(hardcover, clock, mode):
    hardcover.config.auth_errors = mode
    hardcover.catalog.expire_token(hardcover.token)
    seen = []
    client = make_client(hardcover, clock, hardcover.token, on_auth_error=seen.append)
    with pytest.raises(AuthError):
        await client.me()
    assert len(seen) == 1
    assert len(hardcover.requests) == 1  # never retried
    await client.close()


@pytest.mark.parametrize("mode", ["http", "in_band"])
async def test_missing_scope_names_the_scope(hardcover, clock, mode):
    hardcover.config.scope_errors = mode
    token = hardcover.catalog.add_token(hardcover.user_id, scopes={"read:catalog"})
    client = make_client(hardcover, clock, token)
    with pytest.raises(ScopeError) as caught:
        await client.me()
    assert caught.value.scope == "read:me:content"
    await client.close()


async def test_unreachable_server_is_a_network_error(clock):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = HardcoverClient(
        "hc_pat_x",
        endpoint=f"http://127.0.0.1:{port}/v1/graphql",
        clock=clock,
        sleep=clock.sleep,
        limiter=RateLimiter(clock=clock),
    )
    with pytest.raises(NetworkError):
        await client.me()
    await client.close()


async def test_token_never_reaches_the_logs(hardcover, clock, caplog):
    caplog.set_level(logging.DEBUG)
    hardcover.fail_next(503)
    client = make_client(hardcover, clock, hardcover.token)
    await client.me()
    hardcover.catalog.revoke_token(hardcover.token)
    with pytest.raises(AuthError) as caught:
        await client.me()
    await client.close()
    assert caplog.records
    assert hardcover.token not in caplog.text
    assert hardcover.token not in caught.value.message
    assert hardcover.token not in repr(client)


def test_client_refuses_an_unnormalised_token():
    with pytest.raises(ValueError):
        HardcoverClient("Bearer hc_pat_x")


async def test_endpoint_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("BOOKORBIT_HARDCOVER_URL", "http://127.0.0.1:1/v1/graphql")
    assert HardcoverClient("t").endpoint == "http://127.0.0.1:1/v1/graphql"
    monkeypatch.delenv("BOOKORBIT_HARDCOVER_URL")
    assert HardcoverClient("t").endpoint == "https://api.hardcover.app/v1/graphql"


async def test_editions_of_books_and_one_edition_by_id(hardcover, hc_client):
    catalog = hardcover.catalog
    ids = [catalog.add_book(f"Book {n}", authors=["A"]) for n in range(3)]
    for book in ids:
        catalog.add_edition(book, pages=10, users_count=1)
        catalog.add_edition(book, pages=20, users_count=9, reading_format_id=EBOOK)
    editions = await hc_client.editions_for_books(ids)
    assert [(e.book_id, e.users_count) for e in editions] == [
        (ids[0], 9), (ids[0], 1), (ids[1], 9), (ids[1], 1), (ids[2], 9), (ids[2], 1),
    ]  # fmt: skip
    one = await hc_client.edition_by_id(editions[0].id)
    assert one is not None and one.pages == 20
    assert await hc_client.edition_by_id(999_999) is None
