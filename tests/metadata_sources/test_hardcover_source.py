"""Hardcover as a metadata source through the app's Hardcover client, answered in-process by
aioresponses: the linked edition first, then the ISBN, then only the guarded search; no
result, 429, timeout and malformed answers as statuses."""

from __future__ import annotations

import json

import aiohttp
import pytest
from aioresponses import aioresponses

from bookorbit_desktop.hardcover.api.client import HardcoverClient, RetryPolicy
from bookorbit_desktop.hardcover.api.ratelimit import RateLimiter
from bookorbit_desktop.metadata_sources.gather import ask
from bookorbit_desktop.metadata_sources.hardcover import HardcoverSource
from bookorbit_desktop.metadata_sources.records import (
    MALFORMED,
    NO_RESULT,
    OK,
    RATE_LIMITED,
    TIMED_OUT,
    Lookup,
)
from tests.fakes.clock import VirtualClock
from tests.metadata_sources.recorded import recorded

URL = "https://api.hardcover.test/v1/graphql"
FOX = Lookup(book_id=1, title="Fantastic Mr Fox", authors=("Roald Dahl",), isbn13="9780140328721")


@pytest.fixture
async def client():
    clock = VirtualClock()
    async with aiohttp.ClientSession() as session:
        yield HardcoverClient(
            "hc_pat_test",
            session=session,
            endpoint=URL,
            clock=clock,
            sleep=clock.sleep,
            jitter=lambda: 0.5,
            limiter=RateLimiter(clock=clock),
            retry=RetryPolicy(attempts=1, throttle_attempts=0),
        )


def bodies(mock: aioresponses) -> list[dict]:
    return [
        json.loads(json.dumps(c.kwargs["json"])) for calls in mock.requests.values() for c in calls
    ]


async def test_by_isbn_gives_the_edition_with_its_books_description_and_cover(client):
    with aioresponses() as mock:
        mock.post(URL, payload=recorded("hardcover_editions.json"))
        result = await ask(HardcoverSource(client), FOX)
        (sent,) = bodies(mock)
    assert result.status == OK
    found = result.candidates[0]
    assert (found.title, found.authors, found.publisher) == (
        "Fantastic Mr. Fox",
        ("Roald Dahl",),
        "Puffin",  # the illustrator is not an author
    )
    assert found.description.startswith("Boggis, Bunce and Bean")
    assert (found.cover_url, found.cover_width, found.cover_height) == (
        "https://assets.hardcover.app/edition/31032545/cover.jpg",
        400,
        618,
    )
    assert (found.release_date, found.language, found.pages, found.matched_by) == (
        "1988-10-01",
        "en",
        96,
        "isbn",
    )
    assert sent["operationName"] == "MetadataEditions"
    assert sent["variables"] == {"ids": [], "isbn13": ["9780140328721"], "isbn10": ["0140328726"]}


async def test_a_linked_book_is_read_from_its_linked_edition(client):
    linked = Lookup(book_id=1, title="x", isbn13="9780140328721", hardcover_edition_id=31032545)
    with aioresponses() as mock:
        mock.post(URL, payload=recorded("hardcover_editions.json"))
        result = await ask(HardcoverSource(client), linked)
        (sent,) = bodies(mock)
    assert sent["variables"]["ids"] == [31032545]
    assert result.candidates[0].matched_by == "edition"


async def test_without_an_isbn_only_the_guarded_search_may_name_a_book(client):
    asked: list[Lookup] = []

    async def refuses(book: Lookup) -> int | None:
        asked.append(book)
        return None  # matching would not link: no candidate, no guess

    no_isbn = Lookup(book_id=1, title="Fantastic Mr Fox", authors=("Roald Dahl",))
    with aioresponses() as mock:
        result = await ask(HardcoverSource(client, find_book=refuses), no_isbn)
        assert bodies(mock) == []
    assert result.status == NO_RESULT and asked == [no_isbn]


async def test_a_book_the_guarded_search_proves_is_fetched_by_its_id(client):
    async def proves(book: Lookup) -> int | None:
        return 41286

    book = recorded("hardcover_editions.json")["data"]["editions"][0]["book"]
    row = {
        **book,
        "release_date": "1970-01-01",
        "pages": 96,
        "editions": [
            {
                "id": 5,
                "isbn_13": "9780140328721",
                "pages": 96,
                "release_date": "1988-10-01",
                "language": {"code2": "en"},
                "publisher": {"name": "Puffin"},
            }
        ],
    }
    no_isbn = Lookup(book_id=1, title="Fantastic Mr Fox", authors=("Roald Dahl",))
    with aioresponses() as mock:
        mock.post(URL, payload={"data": {"books_by_pk": row}})
        result = await ask(HardcoverSource(client, find_book=proves), no_isbn)
        (sent,) = bodies(mock)
    assert sent["operationName"] == "MetadataBook" and sent["variables"] == {"id": 41286}
    found = result.candidates[0]
    assert (found.title, found.matched_by, found.isbn13) == (
        "Fantastic Mr Fox",
        "search",
        "9780140328721",
    )
    assert found.cover_url == "https://assets.hardcover.app/book/41286/cover.jpg"


async def test_no_edition_and_no_search_is_no_result(client):
    with aioresponses() as mock:
        mock.post(URL, payload={"data": {"editions": []}})
        result = await ask(HardcoverSource(client), FOX)
    assert result.status == NO_RESULT


async def test_429_is_rate_limited(client):
    with aioresponses() as mock:
        mock.post(URL, status=429, headers={"Retry-After": "600"}, payload={"error": "Throttled"})
        result = await ask(HardcoverSource(client), FOX)
    assert result.status == RATE_LIMITED
    assert "Traceback" not in result.message


async def test_timeout(client):
    with aioresponses() as mock:
        mock.post(URL, exception=TimeoutError())
        result = await ask(HardcoverSource(client), FOX)
    assert result.status == TIMED_OUT


@pytest.mark.parametrize(
    "payload",
    [{"data": {"editions": [{"id": 1}]}}, {"data": {"editions": "no"}}, {"data": None}],
)
async def test_malformed(client, payload):
    with aioresponses() as mock:
        mock.post(URL, payload=payload)
        result = await ask(HardcoverSource(client), FOX)
    assert result.status == MALFORMED, result
