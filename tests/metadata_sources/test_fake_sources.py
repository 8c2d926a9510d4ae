"""The loopback fake of Open Library and Google Books answers the real sources as the APIs
do, and its refusals (with a Retry-After) and forced failures show up as waits and as the
sources' statuses."""

from __future__ import annotations

import aiohttp

from bookorbit_desktop.metadata_sources.gather import ask
from bookorbit_desktop.metadata_sources.googlebooks import GoogleBooks
from bookorbit_desktop.metadata_sources.openlibrary import OpenLibrary
from bookorbit_desktop.metadata_sources.records import (
    MALFORMED,
    NO_RESULT,
    OK,
    RATE_LIMITED,
    REFUSED,
    Lookup,
)
from tests.fakes.metadata_sources_fixtures import FOX, book_sources  # noqa: F401

ASKED = Lookup(book_id=1, title="Fantastic Mr Fox", authors=("Roald Dahl",), isbn13=FOX.isbn13)


async def ask_all(sources, book: Lookup) -> list:
    return [await ask(source, book) for source in sources]


async def test_both_sources_find_the_book_by_isbn_and_by_search(book_sources):  # noqa: F811
    async with aiohttp.ClientSession() as session:
        sources = [OpenLibrary(session), GoogleBooks(session)]
        assert [s.pacer.interval for s in sources] == [0.0, 0.0]  # the fixture's pacing
        by_isbn = await ask_all(sources, ASKED)
        by_title = await ask_all(sources, Lookup(book_id=2, title="Fantastic Mr. Fox",
                                                 authors=("Roald Dahl",)))  # fmt: skip
    assert [(r.status, r.candidates[0].matched_by) for r in by_isbn] == [(OK, "isbn"), (OK, "isbn")]
    assert [(r.status, r.candidates[0].matched_by) for r in by_title] == [
        (OK, "search"),
        (OK, "search"),
    ]
    assert by_isbn[0].candidates[0].cover_url.startswith(book_sources.openlibrary_url)


async def test_a_retry_after_is_waited_out_with_nothing_asked_meanwhile(book_sources):  # noqa: F811
    book_sources.refuse["openlibrary"] = [(429, "40")]
    async with aiohttp.ClientSession() as session:
        result = await ask(OpenLibrary(session), ASKED)
    assert result.status == OK
    times = [t for source, t, _ in book_sources.asked if source == "openlibrary"]
    assert len(times) == 3  # the refused edition request, again, and the work
    assert times[1] - times[0] == 40.0


async def test_failures_that_persist_become_statuses(book_sources):  # noqa: F811
    book_sources.fail["google"] = "malformed"
    async with aiohttp.ClientSession() as session:
        sources = [OpenLibrary(session), GoogleBooks(session)]
        first = await ask_all(sources, ASKED)
        book_sources.fail["openlibrary"] = 429
        book_sources.fail["google"] = 503
        then = await ask_all(sources, Lookup(book_id=3, title="Nothing Like It"))
    assert [r.status for r in first] == [OK, MALFORMED]
    assert [r.status for r in then] == [RATE_LIMITED, REFUSED]
    assert book_sources.requests == {"openlibrary": 2 + 3, "google": 1 + 3}


async def test_an_unknown_book_is_no_result(book_sources):  # noqa: F811
    async with aiohttp.ClientSession() as session:
        results = await ask_all([OpenLibrary(session), GoogleBooks(session)],
                                Lookup(book_id=4, title="Nothing Like It"))  # fmt: skip
    assert [r.status for r in results] == [NO_RESULT, NO_RESULT]
