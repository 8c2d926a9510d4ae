"""Every source's description arrives cleaned (`descriptions`): Open Library
and Google Books through their real parsing of a recorded answer, Hardcover from its records,
and a candidate read back from a fetch stored before the rule existed."""

from __future__ import annotations

import re

import aiohttp
import pytest
from aioresponses import aioresponses

from bookorbit_desktop.metadata_sources.gather import ask
from bookorbit_desktop.metadata_sources.googlebooks import GoogleBooks
from bookorbit_desktop.metadata_sources.hardcover import candidate_from
from bookorbit_desktop.metadata_sources.openlibrary import OpenLibrary
from bookorbit_desktop.metadata_sources.records import OK, Candidate, Lookup
from tests.metadata_sources.recorded import recorded

HOSTILE = (
    '<p>A <b>fox</b>.<img src="/dev/zero"><img src="file:///etc/passwd">'
    '<script>alert(1)</script><a href="file:///etc/passwd">local</a> '
    '<a href="javascript:alert(1)">run</a> <a href="https://example.org/fox">web</a></p>'
)
CLEANED = (
    '<p>A <b>fox</b>.<a rel="noopener noreferrer nofollow">local</a> '
    '<a rel="noopener noreferrer nofollow">run</a> '
    '<a href="https://example.org/fox" rel="noopener noreferrer nofollow">web</a></p>'
)
FOX = Lookup(book_id=1, title="Fantastic Mr Fox", authors=("Roald Dahl",), isbn13="9780140328721")


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as opened:
        yield opened


async def test_open_library(session):
    answer = recorded("openlibrary_isbn.json")
    answer["ISBN:9780140328721"]["details"]["description"] = {"type": "/type/text",
                                                              "value": HOSTILE}  # fmt: skip
    with aioresponses() as mock:
        mock.get(re.compile(r"^https://openlibrary\.org/api/books\?.*"), payload=answer)
        result = await ask(OpenLibrary(session, interval=0.0), FOX)
    assert result.status == OK
    assert result.candidates[0].description == CLEANED


async def test_google_books(session):
    answer = recorded("google_isbn.json")
    answer["items"][0]["volumeInfo"]["description"] = HOSTILE
    story = Lookup(book_id=1, title="The Google Story", isbn13="9780553804577")
    with aioresponses() as mock:
        mock.get(re.compile(r"^https://www\.googleapis\.com/books/v1/volumes\?.*"), payload=answer)
        result = await ask(GoogleBooks(session, interval=0.0), story)
    assert result.status == OK
    assert result.candidates[0].description == CLEANED


def test_hardcover():
    found = candidate_from({"id": 7, "title": "Fox", "description": HOSTILE}, None, "isbn")
    assert found.description == CLEANED


def test_a_stored_fetch_is_cleaned_when_read_back():
    stored = Candidate("google", "v1", title="Fox").to_json() | {"description": HOSTILE}
    assert Candidate.from_json(stored).description == CLEANED
    assert Candidate.from_json(stored).to_json()["description"] == CLEANED
