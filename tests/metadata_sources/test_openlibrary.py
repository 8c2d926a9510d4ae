"""Open Library as a metadata source, answered in-process by aioresponses from recorded
answers: an edition by ISBN with its work (description, series, subjects), a work that
cannot be read, search, no result, 429 with its Retry-After, timeout and malformed answers;
the User-Agent and the pace it allows."""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

import aiohttp
import pytest
from aioresponses import CallbackResult, aioresponses

from bookorbit_desktop.metadata_sources import web
from bookorbit_desktop.metadata_sources.gather import ask
from bookorbit_desktop.metadata_sources.openlibrary import OpenLibrary
from bookorbit_desktop.metadata_sources.openlibrary_records import release_date
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
from tests.metadata_sources.recorded import recorded, recorded_text

BOOKS_API = re.compile(r"^https://openlibrary\.org/api/books\?.*")
SEARCH = re.compile(r"^https://openlibrary\.org/search\.json\?.*")
WORK = "https://openlibrary.org/works/OL45804W.json"
FOX = Lookup(book_id=1, title="Fantastic Mr Fox", authors=("Roald Dahl",), isbn13="9780140328721")


@pytest.fixture
async def source():
    async with aiohttp.ClientSession() as session:
        yield OpenLibrary(session, interval=0.0)


async def test_an_isbn_gives_the_edition_and_its_works_description_and_subjects(source):
    with aioresponses() as mock:
        mock.get(BOOKS_API, payload=recorded("openlibrary_isbn.json"))
        mock.get(WORK, payload=recorded("openlibrary_work.json"))
        result = await ask(source, FOX)
        calls = [(k[1], v[0]) for k, v in mock.requests.items()]
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
    # The work's description, the whole of it, not the edition's first lines.
    assert found.description.startswith("The main character of Fantastic Mr. Fox")
    assert "Boggis, Bunce, and Bean" in found.description
    # "Puffin Books" is the publisher's collection, not a series: a subject at most.
    assert (found.series, found.series_index) == (None, None)
    assert found.subjects == (
        "Animals",
        "Hunger",
        "Juvenile fiction",
        "Children's stories, English",
        "Foxes",
        "Fiction",
        "Puffin Books",
    )
    assert found.cover_url == "https://covers.openlibrary.org/b/id/8739161-L.jpg?default=false"
    assert (found.source_id, found.matched_by) == ("OL7353617M", "isbn")
    (books_url, books_call), (work_url, _work_call) = calls
    assert books_url.query["bibkeys"] == "ISBN:9780140328721"
    assert str(work_url) == WORK
    assert books_call.kwargs["headers"]["User-Agent"].startswith("BookOrbitDesktop/")


def _edition(**changes) -> dict:
    answer = recorded("openlibrary_isbn.json")
    answer["ISBN:9780140328721"]["details"].update(changes)
    return answer


@pytest.mark.parametrize(
    ("work_series", "edition_series", "series", "number"),
    [
        (None, ["Discworld ; 1"], "Discworld", 1.0),
        (None, ["Discworld (1)"], "Discworld", 1.0),
        (None, ["Foundation series #2"], "Foundation", 2.0),
        (None, ["Folio ; 2", "Foundation series #2"], "Foundation", 2.0),
        (["Discworld ; 3"], ["Corgi books"], "Discworld", 3.0),
        ([{"series": {"key": "/series/OL1L", "name": "Discworld"}, "position": "2"}], None,
         "Discworld", 2.0),
        (None, ["Reclams Universal-Bibliothek ; Nr. 559"], None, None),
    ],
)  # fmt: skip
async def test_the_series_and_its_number_come_from_the_work_else_the_edition(
    source, work_series, edition_series, series, number
):
    work = recorded("openlibrary_work.json")
    if work_series is not None:
        work["series"] = work_series
    with aioresponses() as mock:
        mock.get(BOOKS_API, payload=_edition(series=edition_series or []))
        mock.get(WORK, payload=work)
        result = await ask(source, FOX)
    assert (result.candidates[0].series, result.candidates[0].series_index) == (series, number)


@pytest.mark.parametrize(
    "work_answer",
    [
        {"status": 404, "payload": {"error": "notfound"}},
        {"status": 500, "body": "Internal Server Error"},
        {"body": "<html>busy</html>", "content_type": "application/json"},
        {"payload": ["not", "a", "work"]},
    ],
    ids=["missing", "server-error", "not-json", "not-a-record"],
)
async def test_a_work_that_cannot_be_read_leaves_the_editions_values(source, work_answer):
    with aioresponses() as mock:
        mock.get(BOOKS_API, payload=_edition(series=["Discworld ; 1"]))
        mock.get(WORK, **work_answer)
        result = await ask(source, FOX)
    assert result.status == OK
    found = result.candidates[0]
    assert (found.publisher, found.pages, found.isbn13) == ("Puffin", 96, "9780140328721")
    assert (found.series, found.series_index) == ("Discworld", 1.0)
    assert found.description.startswith("The main character of Fantastic Mr. Fox")  # edition's
    assert found.subjects == ()


async def test_a_fetch_asks_for_many_isbns_at_once_and_reads_each_work_once(source):
    """Two editions of one work: one Books API request for both, one work read."""
    other = Lookup(book_id=2, title="Fantastic Mr Fox", isbn13="9780142410349")
    answer = recorded("openlibrary_isbn.json")
    second = {**answer["ISBN:9780140328721"], "bib_key": "ISBN:9780142410349"}
    second["details"] = {**second["details"], "key": "/books/OL24938237M",
                         "isbn_13": ["9780142410349"]}  # fmt: skip
    answer["ISBN:9780142410349"] = second
    source.expect([FOX, other])
    with aioresponses() as mock:
        mock.get(BOOKS_API, payload=answer)
        mock.get(WORK, payload=recorded("openlibrary_work.json"))
        first, then = await ask(source, FOX), await ask(source, other)
        asked = [(k[1], len(v)) for k, v in mock.requests.items()]
    assert [r.candidates[0].source_id for r in (first, then)] == ["OL7353617M", "OL24938237M"]
    assert then.candidates[0].description == first.candidates[0].description
    assert len(asked) == 2 and all(times == 1 for _, times in asked)
    assert asked[0][0].query["bibkeys"] == "ISBN:9780140328721,ISBN:9780142410349"


async def test_a_failed_request_for_many_isbns_fails_its_books_without_asking_again(source):
    other = Lookup(book_id=2, title="Matilda", isbn13="9780142410370")
    source.expect([FOX, other])
    with aioresponses() as mock:
        mock.get(BOOKS_API, status=500, repeat=True)
        results = [await ask(source, FOX), await ask(source, other)]
        sent = sum(len(calls) for calls in mock.requests.values())
    assert [r.status for r in results] == [REFUSED, REFUSED]
    assert sent == 1


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


async def test_the_user_agent_names_the_projects_homepage_and_the_users_email(
    installed_with_urls,
):
    async with aiohttp.ClientSession() as session:
        source = OpenLibrary(session, interval=0.0, email="reader@example.org")
        with aioresponses() as mock:
            mock.get(BOOKS_API, payload=recorded("openlibrary_isbn_none.json"))
            await source.by_identifier("isbn", FOX.isbn13)
            ((call,),) = mock.requests.values()
    agent = call.kwargs["headers"]["User-Agent"]
    assert agent.endswith(
        "(BookOrbit Desktop ebook library; https://bookorbit.example.org; reader@example.org)"
    )


async def test_a_user_agent_with_a_contact_is_paced_at_open_librarys_identified_rate(
    installed_with_urls, monkeypatch
):
    async with aiohttp.ClientSession() as session:
        assert OpenLibrary(session).pacer.interval == pytest.approx(1 / 3)
        monkeypatch.setattr(web, "project_url", functools.cache(lambda: None))  # no contact
        anonymous = OpenLibrary(session)
        assert anonymous.pacer.interval == 1.0
        anonymous.identify("reader@example.org")  # the e-mail from the settings
        assert anonymous.pacer.interval == pytest.approx(1 / 3)
        assert OpenLibrary(session, interval=0.0).pacer.interval == 0.0


def test_the_project_names_its_web_page_as_its_metainfo_does():
    """pyproject's [project.urls], installed, is the User-Agent's contact."""
    root = Path(__file__).resolve().parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    metainfo = (root / "packaging" / "org.bookorbit.BookOrbitDesktop.metainfo.xml").read_text()
    homepage = project["urls"]["Homepage"]
    assert f'<url type="homepage">{homepage}</url>' in metainfo


async def test_an_unknown_isbn_falls_back_to_a_search_that_keeps_only_the_same_title(source):
    with aioresponses() as mock:
        mock.get(BOOKS_API, payload=recorded("openlibrary_isbn_none.json"))
        mock.get(SEARCH, payload=recorded("openlibrary_search.json"))
        result = await ask(source, FOX)
        sent = sum(len(calls) for calls in mock.requests.values())
    assert result.status == OK
    assert sent == 2  # a hit's work is not read: a request a hit
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


async def test_a_429_is_waited_out_as_its_retry_after_asks_then_asked_again(monkeypatch):
    clock = paced_virtually(monkeypatch)
    sent: list[float] = []

    def answer(status: int, **kwargs):
        def respond(url, **_):
            sent.append(clock())
            return CallbackResult(status=status, **kwargs)

        return respond

    async with aiohttp.ClientSession() as session:
        source = OpenLibrary(session, interval=1.0)
        with aioresponses() as mock:
            mock.get(BOOKS_API, callback=answer(429, headers={"Retry-After": "40"}))
            mock.get(BOOKS_API, callback=answer(200, payload=recorded("openlibrary_isbn.json")))
            mock.get(WORK, callback=answer(200, payload=recorded("openlibrary_work.json")))
            result = await ask(source, FOX)
    assert result.status == OK
    assert [t - sent[0] for t in sent] == [0.0, 40.0, 41.0]  # nothing asked during the wait


async def test_a_429_that_persists_is_rate_limited_with_what_to_do(monkeypatch):
    clock = paced_virtually(monkeypatch)
    async with aiohttp.ClientSession() as session:
        source = OpenLibrary(session, interval=0.0)
        with aioresponses() as mock:
            mock.get(BOOKS_API, status=429, body="Too Many Requests", repeat=True)
            result = await ask(source, FOX)
            sent = sum(len(calls) for calls in mock.requests.values())
    assert result.status == RATE_LIMITED
    assert "Retry" in result.message and "Traceback" not in result.message
    assert sent == web.REFUSALS_IN_A_ROW
    assert clock.sleeps == [2.0, 4.0]  # the back-off between the tries


async def test_a_retry_after_beyond_ten_minutes_stops_asking_for_this_fetch(monkeypatch):
    paced_virtually(monkeypatch)
    async with aiohttp.ClientSession() as session:
        source = OpenLibrary(session, interval=0.0)
        with aioresponses() as mock:
            mock.get(BOOKS_API, status=429, headers={"Retry-After": "3600"}, repeat=True)
            first = await ask(source, FOX)
            second = await ask(source, Lookup(book_id=2, title="Matilda", isbn13=FOX.isbn13))
            sent = sum(len(calls) for calls in mock.requests.values())
    assert (first.status, second.status) == (RATE_LIMITED, RATE_LIMITED)
    assert sent == 1
    assert "not asked again in this fetch" in second.message


async def test_three_slow_downs_in_a_row_stop_the_source_for_every_book(monkeypatch):
    """429 or 503, with a Retry-After or without, for one book or several: the third "slow
    down" in a row stops Open Library for the fetch; no book after it is asked or waits."""
    clock = paced_virtually(monkeypatch)
    async with aiohttp.ClientSession() as session:
        source = OpenLibrary(session, interval=0.0)
        with aioresponses() as mock:
            mock.get(BOOKS_API, status=429, headers={"Retry-After": "5"})
            mock.get(BOOKS_API, status=503)
            mock.get(BOOKS_API, status=429)
            mock.get(BOOKS_API, payload=recorded("openlibrary_isbn.json"), repeat=True)
            results = [
                await ask(source, Lookup(book_id=n, title="Matilda", isbn13=FOX.isbn13))
                for n in range(1, 5)
            ]
            sent = sum(len(calls) for calls in mock.requests.values())
    assert [r.status for r in results] == [RATE_LIMITED] * 4
    assert sent == 3
    assert clock.sleeps == [5.0, 4.0]  # the Retry-After, then the back-off; no third wait
    for result in results:
        assert result.message.startswith("Open Library asked us to slow down 3 times in a row")
        assert "not asked again in this fetch" in result.message


async def test_an_answer_between_slow_downs_starts_the_count_again(monkeypatch):
    paced_virtually(monkeypatch)
    async with aiohttp.ClientSession() as session:
        source = OpenLibrary(session, interval=0.0)
        with aioresponses() as mock:
            for _ in range(2):
                mock.get(BOOKS_API, status=429)
                mock.get(BOOKS_API, status=503)
                mock.get(BOOKS_API, payload=recorded("openlibrary_isbn_none.json"))
                mock.get(SEARCH, payload=recorded("openlibrary_search_none.json"))
            first = await ask(source, FOX)
            second = await ask(source, FOX)
    assert (first.status, second.status) == (NO_RESULT, NO_RESULT)
    assert source.pacer.stopped is None


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
