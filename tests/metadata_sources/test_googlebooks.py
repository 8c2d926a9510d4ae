"""Google Books as a metadata source, answered in-process by aioresponses from recorded
answers: success by ISBN, by its own id and by search, no result, 429 waited out or ending
the fetch, timeout, malformed;
the optional API key is sent as `key` and never shows in the source's repr."""

from __future__ import annotations

import re

import aiohttp
import pytest
from aioresponses import aioresponses

from bookorbit_desktop.metadata_sources import web
from bookorbit_desktop.metadata_sources.gather import ask
from bookorbit_desktop.metadata_sources.googlebooks import GoogleBooks
from bookorbit_desktop.metadata_sources.records import (
    MALFORMED,
    NO_RESULT,
    OK,
    RATE_LIMITED,
    REFUSED,
    TIMED_OUT,
    Lookup,
)
from tests.fakes.metadata_sources_fixtures import paced_virtually
from tests.metadata_sources.recorded import recorded

VOLUMES = re.compile(r"^https://www\.googleapis\.com/books/v1/volumes\?.*")
STORY = Lookup(book_id=3, title="The Google Story", authors=("David A. Vise",), isbn10="055380457X")


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as opened:
        yield opened


async def test_an_isbn_gives_the_volume(session):
    source = GoogleBooks(session, interval=0.0)
    with aioresponses() as mock:
        mock.get(VOLUMES, payload=recorded("google_isbn.json"))
        result = await ask(source, STORY)
        ((url, _call),) = [(k[1], v[0]) for k, v in mock.requests.items()]
    assert result.status == OK
    found = result.candidates[0]
    assert (found.title, found.authors) == ("The Google Story", ("David A. Vise", "Mark Malseed"))
    assert (found.publisher, found.release_date, found.language, found.pages) == (
        "Random House Digital, Inc.",
        "2005-11-15",
        "en",
        207,
    )
    assert (found.isbn13, found.source_id) == ("9780553804577", "zyTCAlFPjgYC")
    assert found.cover_url.startswith("https://books.google.com/books/content?id=zyTCAlFPjgYC")
    assert "zoom=1" in found.cover_url
    assert url.query["q"] == "isbn:9780553804577"  # the ISBN-10 asked as its ISBN-13
    assert "key" not in url.query


async def test_the_key_is_sent_and_never_shown(session):
    source = GoogleBooks(session, api_key="AIzaSecretKey123456", interval=0.0)
    with aioresponses() as mock:
        mock.get(VOLUMES, payload=recorded("google_isbn.json"))
        await ask(source, STORY)
        (url,) = [k[1] for k in mock.requests]
    assert url.query["key"] == "AIzaSecretKey123456"
    assert "AIzaSecret" not in repr(source)


async def test_a_volume_by_its_own_id(session):
    source = GoogleBooks(session, interval=0.0)
    volume = recorded("google_isbn.json")["items"][0]
    with aioresponses() as mock:
        mock.get("https://www.googleapis.com/books/v1/volumes/zyTCAlFPjgYC", payload=volume)
        found = await source.by_identifier("id", "zyTCAlFPjgYC")
    assert [(c.title, c.matched_by) for c in found] == [("The Google Story", "id")]


async def test_an_unknown_volume_id_is_nothing(session):
    source = GoogleBooks(session, interval=0.0)
    with aioresponses() as mock:
        mock.get(
            "https://www.googleapis.com/books/v1/volumes/nope",
            status=404,
            payload={"error": {"code": 404, "message": "The volume ID could not be found."}},
        )
        assert await source.by_identifier("id", "nope") == []


async def test_no_isbn_hit_then_a_search_by_title_and_author(session):
    source = GoogleBooks(session, interval=0.0)
    with aioresponses() as mock:
        mock.get(VOLUMES, payload=recorded("google_none.json"))
        mock.get(VOLUMES, payload=recorded("google_isbn.json"))
        result = await ask(source, STORY)
        urls = [k[1] for k in mock.requests]
    assert result.status == OK and result.candidates[0].matched_by == "search"
    queries = sorted(u.query["q"] for u in urls)
    assert 'intitle:"The Google Story" inauthor:"David A. Vise"' in queries


async def test_nothing_found_is_no_result(session):
    source = GoogleBooks(session, interval=0.0)
    with aioresponses() as mock:
        mock.get(VOLUMES, payload=recorded("google_none.json"), repeat=True)
        result = await ask(source, STORY)
    assert result.status == NO_RESULT


async def test_a_429_is_waited_out_and_asked_again(session, monkeypatch):
    """Google's 429 may be a burst: its Retry-After (or the back-off) is waited out."""
    clock = paced_virtually(monkeypatch)
    source = GoogleBooks(session, interval=0.0)
    with aioresponses() as mock:
        mock.get(VOLUMES, status=429, payload=recorded("google_429.json"),
                 headers={"Retry-After": "30"})  # fmt: skip
        mock.get(VOLUMES, payload=recorded("google_isbn.json"))
        result = await ask(source, STORY)
    assert result.status == OK
    assert clock.sleeps == [30.0]


async def test_a_429_still_there_after_the_tries_stops_google_for_the_fetch(session, monkeypatch):
    """Google's quota is counted per day: once a request is still refused after its tries,
    the books after it are rate-limited without a request each, and the message says what to
    do."""
    clock = paced_virtually(monkeypatch)
    source = GoogleBooks(session, interval=0.0)
    other = Lookup(book_id=4, title="Another", authors=("Someone",), isbn13="9780140328721")
    with aioresponses() as mock:
        mock.get(VOLUMES, status=429, payload=recorded("google_429.json"), repeat=True)
        first = await ask(source, STORY)
        second = await ask(source, other)
        sent = sum(len(calls) for calls in mock.requests.values())
    assert (first.status, second.status) == (RATE_LIMITED, RATE_LIMITED)
    assert sent == web.REFUSALS_IN_A_ROW
    assert clock.sleeps == [2.0, 4.0]  # the back-off between the tries
    assert "per day" in second.message and "metadata retry" in second.message


async def test_a_refused_key_is_refused_with_what_to_check(session):
    source = GoogleBooks(session, api_key="AIzaWrongKey1234567", interval=0.0)
    with aioresponses() as mock:
        mock.get(VOLUMES, status=400 + 3, payload={"error": {"code": 403}})
        result = await ask(source, STORY)
    assert result.status == REFUSED and "API key" in result.message


async def test_timeout(session):
    source = GoogleBooks(session, interval=0.0)
    with aioresponses() as mock:
        mock.get(VOLUMES, exception=TimeoutError())
        result = await ask(source, STORY)
    assert result.status == TIMED_OUT


@pytest.mark.parametrize(
    "payload",
    [recorded("google_malformed.json"), {"kind": "books#volumes"}, {"totalItems": 1, "items": 5}],
)
async def test_malformed(session, payload):
    source = GoogleBooks(session, interval=0.0)
    with aioresponses() as mock:
        mock.get(VOLUMES, payload=payload)
        result = await ask(source, STORY)
    assert result.status == MALFORMED
