"""A metadata fetch, window and command line alike (`MetadataService.fetch`), against the
loopback fake of Open Library: each work read once and the editions asked many at once (few
requests per book), a Retry-After waited out with nothing asked meanwhile and each book under
way saying so, and the user's e-mail in the User-Agent. On a virtual clock: no wall time."""

from __future__ import annotations

import pytest

from bookorbit_desktop.metadata_sources import googlebooks, openlibrary
from bookorbit_desktop.metadata_sources.records import PENDING
from bookorbit_desktop.services.metadata.service import FetchAnswer, MetadataService
from bookorbit_desktop.services.settings import save_contact_email
from tests.factories import add_book
from tests.fakes.metadata_sources import FakeBook, FakeBookSources
from tests.fakes.metadata_sources_fixtures import paced_virtually

BOOKS = 30


@pytest.fixture
async def open_library(monkeypatch):
    async with FakeBookSources() as fake:
        fake.clock = paced_virtually(monkeypatch)
        monkeypatch.setenv(openlibrary.BASE_URL_ENV, fake.openlibrary_url)
        monkeypatch.setenv(googlebooks.BASE_URL_ENV, fake.google_url)
        yield fake


def isbn13(n: int) -> str:
    body = f"978000{n:06d}"
    check = -sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10
    return f"{body}{check}"


def shelf(fake: FakeBookSources, count: int = BOOKS, *, by_title: int = 0) -> list[int]:
    """`count` books Open Library knows, each of a work of its own, the first a Discworld
    novel whose edition also names a publisher's collection. The last `by_title` are found
    by title only: half of them carry an ISBN Open Library does not know, half none."""
    ids = []
    for n in range(count):
        isbn = isbn13(n)
        fake.add(
            FakeBook(
                isbn,
                f"Book {n}",
                ("Ann Author",),
                publisher="Corgi",
                series="Corgi books" if n == 0 else None,
                edition_series=("Discworld ; 1",) if n == 0 else (),
                work_description=f"What happens in book {n}.",
                subjects=("Fantasy fiction", "Wizards"),
            )
        )
        searched = n >= count - by_title
        own = (isbn13(n + 500_000) if n % 2 else None) if searched else isbn
        ids.append(add_book(f"Book {n}", ["Ann Author"], isbn13=own).id)
    return ids


def service(library) -> MetadataService:
    return MetadataService(library, sources=["openlibrary"], intervals={"openlibrary": 0})


async def test_a_fetch_reads_each_work_once_at_about_one_request_a_book(library, open_library):
    """A library of 30: 24 found by ISBN, 3 by title after an unknown ISBN, 3 by title."""
    ids = shelf(open_library, by_title=6)
    report = await service(library).fetch(ids)
    assert (report.books, report.found, report.failures) == (BOOKS, BOOKS, ())
    paths = [path for _, _, path in open_library.asked]
    assert paths.count("/api/books") == 2  # 27 ISBNs, 20 a request
    assert paths.count("/search.json") == 6
    assert len([p for p in paths if p.startswith("/works/")]) == BOOKS - 6
    assert open_library.requests["openlibrary"] / BOOKS <= 1.2  # 32 / 30
    found = (await service(library).candidates(ids[0])).sources[0].candidates[0]
    assert (found.description, found.series, found.series_index) == (
        "What happens in book 0.",
        "Discworld",
        1.0,
    )
    assert (found.publisher, found.subjects) == ("Corgi", ("Fantasy fiction", "Wizards",
                                                           "Corgi books"))  # fmt: skip
    searched = (await service(library).candidates(ids[-1])).sources[0].candidates[0]
    assert (searched.matched_by, searched.subjects) == ("search", ("Fantasy fiction", "Wizards"))


async def test_a_retry_after_is_waited_out_and_each_book_under_way_says_so(library, open_library):
    ids = shelf(open_library, 3)
    open_library.refuse["openlibrary"] = [(429, "40")]
    heard: list[FetchAnswer] = []
    report = await service(library).fetch(ids, answered=heard.append)
    assert report.failures == ()
    waiting = [a for a in heard if a.result.status == PENDING]
    assert sorted(a.book_id for a in waiting) == sorted(ids)
    assert {a.result.message for a in waiting} == {"waiting for Open Library (rate limit) — 40 s"}
    times = [t for _, t, _ in open_library.asked]
    assert times[1] - times[0] == 40.0  # nothing asked during the wait
    assert len(times) == 1 + 1 + 3  # the refused request, again, and the three works


async def test_the_users_email_is_in_every_user_agent(library, open_library):
    ids = shelf(open_library, 2)
    save_contact_email("reader@example.org")
    await service(library).fetch(ids)
    (agent,) = open_library.agents
    assert agent.startswith("BookOrbitDesktop/") and agent.endswith("; reader@example.org)")
