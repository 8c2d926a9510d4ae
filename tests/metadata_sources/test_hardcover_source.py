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


async def test_every_request_is_bounded_by_the_metadata_timeout_whatever_the_clients():
    """The window's client waits 45 s; the source's requests (edition, ISBN and the guarded
    search's own) wait 10 s a try, and the client's other requests keep its own timeout."""
    from bookorbit_desktop.metadata_sources.web import TIMEOUT_SECONDS

    async with aiohttp.ClientSession() as session:
        window_client = HardcoverClient(
            "hc_pat_test",
            session=session,
            endpoint=URL,
            timeout=aiohttp.ClientTimeout(total=45),
            retry=RetryPolicy(attempts=1, throttle_attempts=0),
        )

        async def searches(book: Lookup) -> int | None:
            await window_client.execute("SearchBooks", {"query": book.title, "perPage": 10})
            return None

        source = HardcoverSource(window_client, find_book=searches)
        with aioresponses() as mock:
            mock.post(URL, payload={"data": {"editions": []}}, repeat=True)
            mock.post(URL, payload={"data": {"search": {"results": {}}}}, repeat=True)
            await ask(source, FOX)
            asked = [c.kwargs["timeout"] for calls in mock.requests.values() for c in calls]
            mock.requests.clear()
            await window_client.execute("Me")
            (other,) = [c.kwargs["timeout"] for calls in mock.requests.values() for c in calls]
    assert len(asked) == 2
    assert [t.total for t in asked] == [TIMEOUT_SECONDS, TIMEOUT_SECONDS]
    assert other.total == 45


async def test_a_batch_pages_past_100_rows_and_gives_each_book_only_its_own():
    from bookorbit_desktop.library.metadata.isbn import isbn13_check_digit
    from bookorbit_desktop.metadata_sources.hardcover_batch import EditionBatches

    isbns = [f"978000000{n:03d}" + isbn13_check_digit(f"978000000{n:03d}") for n in range(3)]
    books = [Lookup(book_id=n, title=f"T{n}", isbn13=isbns[n]) for n in range(3)]
    calls: list[dict] = []

    def row(n: int, isbn: str) -> dict:
        return {"id": n, "isbn_13": isbn, "book": {"id": n}}

    async def send(name: str, variables: dict) -> dict:
        calls.append(variables)
        if variables["offset"] == 0:  # a full page: 100 editions of the first ISBN
            return {"editions": [row(n, isbns[0]) for n in range(100)]}
        return {"editions": [row(1000, isbns[1])]}

    batches = EditionBatches(books, send)
    first, second, third = [await batches.rows_of(b) for b in books]
    assert [c["offset"] for c in calls] == [0, 100]
    assert calls[0]["isbn13"] == sorted(isbns)
    assert [r["id"] for r in first.by_isbn] == [0, 1, 2, 3, 4]  # the 5 most read
    assert [r["id"] for r in second.by_isbn] == [1000]
    assert third.by_isbn == () and third.linked == ()
