"""Open Library as a metadata source, answered in-process by aioresponses from recorded
answers: success by ISBN and by search, no result, 429, timeout and malformed answers."""

from __future__ import annotations

import re

import aiohttp
import pytest
from aioresponses import aioresponses

from bookorbit_desktop.metadata_sources.gather import ask
from bookorbit_desktop.metadata_sources.openlibrary import OpenLibrary, release_date
from bookorbit_desktop.metadata_sources.records import (
    MALFORMED,
    NO_RESULT,
    OK,
    RATE_LIMITED,
    TIMED_OUT,
    Lookup,
)
from tests.metadata_sources.recorded import recorded, recorded_text

BOOKS_API = re.compile(r"^https://openlibrary\.org/api/books\?.*")
SEARCH = re.compile(r"^https://openlibrary\.org/search\.json\?.*")
FOX = Lookup(book_id=1, title="Fantastic Mr Fox", authors=("Roald Dahl",), isbn13="9780140328721")


@pytest.fixture
async def source():
    async with aiohttp.ClientSession() as session:
        yield OpenLibrary(session, interval=0.0)


async def test_an_isbn_gives_the_edition_with_authors_cover_and_description(source):
    with aioresponses() as mock:
        mock.get(BOOKS_API, payload=recorded("openlibrary_isbn.json"))
        result = await ask(source, FOX)
        ((url, call),) = [(k[1], v[0]) for k, v in mock.requests.items()]
    assert result.status == OK
    found = result.candidates[0]
    assert (found.title, found.authors, found.publisher) == (
        "Fantastic Mr. Fox",
        ("Roald Dahl",),
        "Puffin",
    )
    assert (found.release_date, found.language, found.isbn13, found.pages) == (
        "1988-10-01",
        "en",
        "9780140328721",
        96,
    )
    assert found.series == "Puffin Books"
    assert found.description.startswith("The main character of Fantastic Mr. Fox")
    assert found.cover_url == "https://covers.openlibrary.org/b/id/8739161-L.jpg?default=false"
    assert (found.source_id, found.matched_by) == ("OL7353617M", "isbn")
    assert url.query["bibkeys"] == "ISBN:9780140328721"
    assert call.kwargs["headers"]["User-Agent"].startswith("BookOrbitDesktop/")


async def test_the_user_agent_names_the_contact_the_user_gave(source, monkeypatch):
    monkeypatch.setenv("BOOKORBIT_CONTACT", "reader@example.org")
    with aioresponses() as mock:
        mock.get(BOOKS_API, payload=recorded("openlibrary_isbn.json"))
        await ask(source, FOX)
        ((call,),) = mock.requests.values()
    assert "reader@example.org" in call.kwargs["headers"]["User-Agent"]


@pytest.fixture
def installed_with_urls(monkeypatch):
    """The installed package's metadata, naming the project's pages."""
    import email.message
    import importlib.metadata

    from bookorbit_desktop.metadata_sources import web

    meta = email.message.Message()
    meta["Name"] = "bookorbit-desktop"
    meta["Project-URL"] = "Documentation, https://docs.example.org/bookorbit"
    meta["Project-URL"] = "Homepage, https://bookorbit.example.org"
    real = importlib.metadata.metadata

    def metadata(name: str):
        return meta if name == web.DISTRIBUTION else real(name)

    monkeypatch.setattr(importlib.metadata, "metadata", metadata)
    web.project_url.cache_clear()
    yield
    web.project_url.cache_clear()


async def test_the_user_agent_names_the_projects_homepage_as_the_contact(
    source, installed_with_urls, monkeypatch
):
    monkeypatch.delenv("BOOKORBIT_CONTACT", raising=False)
    with aioresponses() as mock:
        mock.get(BOOKS_API, payload=recorded("openlibrary_isbn.json"))
        await ask(source, FOX)
        ((call,),) = mock.requests.values()
    agent = call.kwargs["headers"]["User-Agent"]
    assert agent.endswith("(BookOrbit Desktop ebook library; https://bookorbit.example.org)")


async def test_a_contact_the_user_gives_comes_before_the_homepage(
    source, installed_with_urls, monkeypatch
):
    monkeypatch.setenv("BOOKORBIT_CONTACT", "reader@example.org")
    with aioresponses() as mock:
        mock.get(BOOKS_API, payload=recorded("openlibrary_isbn.json"))
        await ask(source, FOX)
        ((call,),) = mock.requests.values()
    agent = call.kwargs["headers"]["User-Agent"]
    assert "reader@example.org" in agent and "bookorbit.example.org" not in agent


async def test_an_unknown_isbn_falls_back_to_a_search_that_keeps_only_the_same_title(source):
    with aioresponses() as mock:
        mock.get(BOOKS_API, payload=recorded("openlibrary_isbn_none.json"))
        mock.get(SEARCH, payload=recorded("openlibrary_search.json"))
        result = await ask(source, FOX)
    assert result.status == OK
    assert [c.title for c in result.candidates] == ["Fantastic Mr Fox"]  # not the Treasury
    found = result.candidates[0]
    assert (found.matched_by, found.release_date, found.isbn13) == (
        "search",
        "1970",
        "9780140328721",
    )
    assert found.cover_url == "https://covers.openlibrary.org/b/id/6498519-L.jpg?default=false"


async def test_nothing_found_is_no_result(source):
    with aioresponses() as mock:
        mock.get(BOOKS_API, payload=recorded("openlibrary_isbn_none.json"))
        mock.get(SEARCH, payload=recorded("openlibrary_search_none.json"))
        result = await ask(source, FOX)
    assert (result.status, result.candidates) == (NO_RESULT, ())


async def test_429_is_rate_limited_with_what_to_do(source):
    with aioresponses() as mock:
        mock.get(BOOKS_API, status=429, body="Too Many Requests")
        result = await ask(source, FOX)
    assert result.status == RATE_LIMITED
    assert "Retry" in result.message and "Traceback" not in result.message


async def test_no_answer_in_time_is_timed_out(source):
    with aioresponses() as mock:
        mock.get(BOOKS_API, exception=TimeoutError())
        result = await ask(source, FOX)
    assert result.status == TIMED_OUT
    assert "10 s" in result.message


@pytest.mark.parametrize(
    "body",
    [
        recorded_text("openlibrary_malformed.html"),
        '{"ISBN:9780140328721": {"details": "not a record"}}',
        "[1, 2, 3]",
    ],
)
async def test_an_unreadable_answer_is_malformed(source, body):
    with aioresponses() as mock:
        mock.get(BOOKS_API, body=body, content_type="application/json")
        result = await ask(source, FOX)
    assert result.status == MALFORMED
    assert result.candidates == ()


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("October 1, 1988", "1988-10-01"),
        ("1988", "1988"),
        ("May 2019", "2019-05"),
        ("c1970.", "1970"),
        ("", None),
        (None, None),
    ],
)
def test_open_librarys_free_text_dates_become_iso(raw, iso):
    assert release_date(raw) == iso
