"""The Hardcover client's HTTP error paths, answered in-process by aioresponses: fast and exact.

Each case scripts Hardcover's answers (hardcover-api.md §1.4 and the error shapes it quotes),
runs one request through the real client on a virtual clock, and checks three things: the
typed error (or the data) that comes out, how many requests were sent, and how long the client
waited between them. The loopback fake (tests/fakes) covers the same client against the schema.
"""

from __future__ import annotations

import json

import aiohttp
import pytest
from aioresponses import aioresponses

from bookorbit_desktop.hardcover.api.client import HardcoverClient, RetryPolicy
from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    BadResponseError,
    GraphQLResponseError,
    NetworkError,
    RateLimitedError,
    RequestRejectedError,
    ScopeError,
    UnavailableError,
)
from bookorbit_desktop.hardcover.api.ratelimit import RateLimiter
from tests.fakes.clock import VirtualClock

URL = "https://api.hardcover.test/v1/graphql"
ME = {"data": {"me": [{"id": 7, "username": "reader"}]}}
# Retries wait base * 2**attempt, half fixed and half random; jitter 0.5 makes that 3/4 of it.
BACKOFF = [0.75, 1.5, 3.0]


def ok(mock: aioresponses, body: dict | None = None) -> None:
    mock.post(URL, status=200, payload=body or ME)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
async def client(clock):
    session = aiohttp.ClientSession()
    hc = HardcoverClient(
        "hc_pat_test",
        session=session,
        endpoint=URL,
        clock=clock,
        sleep=clock.sleep,
        jitter=lambda: 0.5,
        limiter=RateLimiter(clock=clock),
        retry=RetryPolicy(),
    )
    yield hc
    await session.close()


def sent(mock: aioresponses) -> int:
    return sum(len(calls) for calls in mock.requests.values())


async def test_429_with_retry_after_waits_that_long_then_succeeds(client, clock):
    with aioresponses() as mock:
        mock.post(URL, status=429, headers={"Retry-After": "7"}, payload={"error": "Throttled"})
        ok(mock)
        user = await client.me()
        assert (user.id, user.username, sent(mock)) == (7, "reader", 2)
    assert clock.sleeps == [7.0]


async def test_429_without_retry_after_waits_the_default(client, clock):
    with aioresponses() as mock:
        mock.post(URL, status=429, payload={"error": "Too Many Requests", "message": "slow"})
        ok(mock)
        await client.me()
    assert clock.sleeps == [RetryPolicy().default_retry_after]


async def test_429_with_an_http_date_retry_after(client, clock):
    when = "Tue, 01 Sep 2026 12:00:30 GMT"  # the virtual clock starts at 12:00:00 UTC
    with aioresponses() as mock:
        mock.post(URL, status=429, headers={"Retry-After": when})
        ok(mock)
        await client.me()
    assert clock.sleeps == [30.0]


async def test_429_asking_for_longer_than_is_reasonable_raises_at_once(client, clock):
    with aioresponses() as mock:
        mock.post(URL, status=429, headers={"Retry-After": "3600"})
        with pytest.raises(RateLimitedError) as raised:
            await client.me()
        assert sent(mock) == 1
    assert raised.value.retry_after == 3600 and not raised.value.daily
    assert clock.sleeps == []


async def test_429_again_and_again_gives_up_after_the_policy_allows(client, clock):
    with aioresponses() as mock:
        mock.post(URL, status=429, headers={"Retry-After": "2"}, repeat=True)
        with pytest.raises(RateLimitedError):
            await client.me()
        assert sent(mock) == RetryPolicy().throttle_attempts + 1
    assert clock.sleeps == [2.0] * RetryPolicy().throttle_attempts


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
async def test_a_passing_server_error_is_retried_with_backoff(client, clock, status):
    with aioresponses() as mock:
        mock.post(URL, status=status, body="<html>upstream error</html>")
        mock.post(URL, status=status, body="")
        ok(mock)
        assert (await client.me()).id == 7
        assert sent(mock) == 3
    assert clock.sleeps == BACKOFF[:2]


async def test_a_lasting_server_error_is_unavailable_after_every_attempt(client, clock):
    with aioresponses() as mock:
        mock.post(URL, status=502, body="Bad Gateway", repeat=True)
        with pytest.raises(UnavailableError) as raised:
            await client.me()
        assert sent(mock) == RetryPolicy().attempts
    assert raised.value.status == 502
    assert clock.sleeps == BACKOFF


async def test_a_mutation_is_not_repeated_after_a_500_it_may_have_applied(client, clock):
    with aioresponses() as mock:
        mock.post(URL, status=500, repeat=True)
        with pytest.raises(UnavailableError):
            await client.execute("DeleteUserBook", {"id": 1})
        assert sent(mock) == 1
    assert clock.sleeps == []


async def test_a_mutation_that_sets_values_is_repeated_after_a_503(client, clock):
    with aioresponses() as mock:
        mock.post(URL, status=503)
        ok(mock, {"data": {"delete_user_book": {"id": 1}}})
        data = await client.execute("DeleteUserBook", {"id": 1})
        assert data == {"delete_user_book": {"id": 1}} and sent(mock) == 2


@pytest.mark.parametrize(
    "body",
    [
        {"error": "invalid_token", "error_description": "Invalid JWT"},
        {"error": "Unable to verify token"},  # the legacy answer
    ],
    ids=["current", "legacy"],
)
async def test_401_is_an_auth_error_with_what_hardcover_said_and_no_retry(client, clock, body):
    refused: list[AuthError] = []
    client._on_auth_error = refused.append
    with aioresponses() as mock:
        mock.post(URL, status=401, payload=body, repeat=True)
        with pytest.raises(AuthError) as raised:
            await client.me()
        assert sent(mock) == 1
    assert refused == [raised.value]
    assert body["error"] in (raised.value.detail or "")
    assert "hc_pat_test" not in raised.value.message
    assert clock.sleeps == []


async def test_in_band_jwt_error_is_an_auth_error_too(client):
    body = {
        "errors": [
            {
                "message": "Could not verify JWT: JWTExpired",
                "extensions": {"code": "invalid-jwt", "path": "$"},
            }
        ]
    }
    with aioresponses() as mock:
        mock.post(URL, status=200, payload=body)
        with pytest.raises(AuthError):
            await client.me()


async def test_a_timeout_is_retried_then_reported_as_unreachable(client, clock):
    with aioresponses() as mock:
        mock.post(URL, exception=TimeoutError(), repeat=True)
        with pytest.raises(NetworkError) as raised:
            await client.me()
        assert sent(mock) == RetryPolicy().attempts
    assert raised.value.detail == "no answer in time"
    assert clock.sleeps == BACKOFF


async def test_a_reset_connection_is_retried_and_the_next_answer_used(client, clock):
    with aioresponses() as mock:
        mock.post(URL, exception=aiohttp.ServerDisconnectedError())
        mock.post(URL, exception=aiohttp.ClientOSError(104, "Connection reset by peer"))
        ok(mock)
        assert (await client.me()).username == "reader"
        assert sent(mock) == 3
    assert clock.sleeps == BACKOFF[:2]


async def test_a_mutation_is_not_resent_after_a_reset_it_may_have_reached(client, clock):
    with aioresponses() as mock:
        mock.post(URL, exception=aiohttp.ServerDisconnectedError(), repeat=True)
        with pytest.raises(NetworkError) as raised:
            await client.execute("DeleteUserBook", {"id": 1})
        assert sent(mock) == 1
    assert raised.value.detail == "ServerDisconnectedError"


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, "<html><body>Maintenance</body></html>"),
        (200, '{"data": {"me": [ '),  # cut short
        (200, "[]"),  # JSON, but not an object
    ],
    ids=["html page", "truncated json", "json array"],
)
async def test_a_body_that_is_not_hardcovers_json_is_a_bad_response(client, status, body):
    with aioresponses() as mock:
        mock.post(URL, status=status, body=body)
        with pytest.raises(BadResponseError) as raised:
            await client.me()
        assert sent(mock) == 1
    assert raised.value.status == status


async def test_graphql_errors_in_band_are_reported_with_their_messages(client):
    body = {
        "errors": [
            {
                "message": "field 'nope' not found in type: 'user_book_reads'",
                "extensions": {"path": "$.selectionSet", "code": "validation-failed"},
            }
        ]
    }
    with aioresponses() as mock:
        mock.post(URL, status=200, payload=body)
        with pytest.raises(GraphQLResponseError) as raised:
            await client.me()
    assert "field 'nope' not found" in raised.value.message
    assert raised.value.errors == body["errors"]


async def test_a_root_field_hidden_from_the_token_is_a_missing_scope(client):
    body = {
        "errors": [
            {
                "message": "field 'me' not found in type: 'query_root'",
                "extensions": {"path": "$.selectionSet.me", "code": "validation-failed"},
            }
        ]
    }
    with aioresponses() as mock:
        mock.post(URL, status=200, payload=body)
        with pytest.raises(ScopeError) as raised:
            await client.me()
    assert raised.value.scope == "read:me:content"


async def test_403_over_the_top_level_cap_is_refused_not_retried(client, clock):
    with aioresponses() as mock:
        mock.post(URL, status=403, payload={"errors": ["top_level_limit_exceeded"]}, repeat=True)
        with pytest.raises(RequestRejectedError) as raised:
            await client.me()
        assert sent(mock) == 1
    assert raised.value.status == 403 and "top_level_limit_exceeded" in raised.value.message
    assert clock.sleeps == []


async def test_the_request_carries_the_token_only_in_its_header(client):
    with aioresponses() as mock:
        ok(mock)
        await client.me()
        ((_, calls),) = mock.requests.items()
    (call,) = calls
    assert call.kwargs["headers"]["Authorization"] == "Bearer hc_pat_test"
    assert "hc_pat_test" not in json.dumps(call.kwargs["json"])
    assert call.kwargs["json"]["operationName"] == "Me"


async def test_an_insert_is_not_repeated_after_a_503(client, clock):
    with aioresponses() as mock:
        mock.post(URL, status=503, repeat=True)
        with pytest.raises(UnavailableError):
            await client.execute("InsertReadingJournal", {"object": {"book_id": 1}})
        assert sent(mock) == 1
    assert clock.sleeps == []
