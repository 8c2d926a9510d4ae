"""pytest fixtures for the metadata sources' fakes; import the ones a test module needs.

    from tests.fakes.metadata_sources_fixtures import book_sources  # noqa: F401

`book_sources` is a started `FakeBookSources` (Open Library and Google Books on loopback)
holding one book, "Fantastic Mr. Fox" (ISBN 9780140328721), with the sources' addresses in
the environment so a `MetadataService` created in the test uses it, and their polite pacing
off so a test takes no wall time; the waits a source is asked for (a Retry-After, the
back-off) run on a virtual clock (`paced_virtually`), which the fake logs its requests by.
Hardcover's fake is `hardcover_fixtures.hardcover`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bookorbit_desktop.metadata_sources import googlebooks, openlibrary, web
from tests.fakes.clock import VirtualClock
from tests.fakes.metadata_sources import FakeBook, FakeBookSources

FOX = FakeBook(
    "9780140328721",
    "Fantastic Mr. Fox",
    ("Roald Dahl",),
    publisher="Puffin",
    published="October 1, 1988",
    pages=96,
    cover_id=8739161,
    description="A clever fox outwits three farmers.",
)


def paced_virtually(monkeypatch: pytest.MonkeyPatch) -> VirtualClock:
    """Every source's pacer waits on a virtual clock: a 40 s Retry-After takes no wall time."""
    clock = VirtualClock()
    monkeypatch.setattr(web, "CLOCK", clock)
    monkeypatch.setattr(web, "SLEEP", clock.sleep)
    monkeypatch.setattr(web, "WALL", clock.time)
    return clock


@pytest.fixture
async def book_sources(monkeypatch) -> AsyncIterator[FakeBookSources]:
    async with FakeBookSources() as fake:
        fake.clock = paced_virtually(monkeypatch)
        fake.add(FakeBook(**{**FOX.__dict__}))
        monkeypatch.setenv(openlibrary.BASE_URL_ENV, fake.openlibrary_url)
        monkeypatch.setenv(googlebooks.BASE_URL_ENV, fake.google_url)
        monkeypatch.setattr(openlibrary, "REQUEST_INTERVAL", 0.0)
        monkeypatch.setattr(googlebooks, "REQUEST_INTERVAL", 0.0)
        yield fake
