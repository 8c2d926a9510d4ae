"""`services.metadata` in the background: progress per book, a cancel between books that keeps
what was fetched, retry of what was left, and Hardcover's title search that names a book only
when the matching rules would link it (never a wrong book)."""

from __future__ import annotations

import asyncio
import functools
import subprocess
import sys

import pytest

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.credentials import SuppliedToken
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.library.store import fetched_metadata
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.user_edits import edited_fields
from bookorbit_desktop.metadata_sources.keys import GoogleBooksKey
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.metadata.service import FetchProgress, MetadataService
from tests.factories import add_book
from tests.fakes.file_keyring import FileKeyring
from tests.fakes.hardcover_fixtures import clock, hardcover  # noqa: F401
from tests.fakes.metadata_sources import FakeBook, FakeBookSources


@pytest.fixture
async def books_online(monkeypatch):
    async with FakeBookSources() as fake:
        monkeypatch.setenv("BOOKORBIT_OPENLIBRARY_URL", fake.openlibrary_url)
        monkeypatch.setenv("BOOKORBIT_GOOGLEBOOKS_URL", fake.google_url)
        yield fake


def account_for(server) -> HardcoverAccount:
    factory = functools.partial(HardcoverClient, endpoint=server.url)
    return HardcoverAccount(supplied=SuppliedToken(server.token, "test"), client_factory=factory)


async def test_progress_per_book_and_candidates_kept(library, books_online):
    ids = []
    for n in range(5):
        isbn = f"97800000000{n:02d}"
        books_online.add(FakeBook(isbn, f"Book {n}", ("Ann Author",)))
        ids.append(add_book(f"Book {n}", ["Unknown"], isbn13=isbn).id)
    seen: list[FetchProgress] = []
    service = MetadataService(
        library, sources=["openlibrary", "google"], intervals={"openlibrary": 0, "google": 0},
        google_key=GoogleBooksKey(FileKeyring(library.data_dir / "keyring.json")),
    )  # fmt: skip
    report = await service.fetch(ids, progress=seen.append)
    assert (report.books, report.found, report.failures, report.cancelled) == (5, 5, (), False)
    assert sorted(p.done for p in seen) == [1, 2, 3, 4, 5]
    assert {p.book_id for p in seen} == set(ids)
    shown = await service.candidates(ids[2])
    assert [(a.source, a.status) for a in shown.sources] == [
        ("openlibrary", "ok"),
        ("google", "ok"),
    ]
    assert shown.sources[0].candidates[0].title == "Book 2"
    authors = next(r for r in shown.fields if r.name == "authors")
    assert authors.differs == {"openlibrary", "google"}


async def test_a_cancel_between_books_keeps_what_was_fetched_and_retry_finishes(
    library, books_online
):
    ids = [add_book(f"Book {n}", ["Ann Author"]).id for n in range(20)]
    cancel = asyncio.Event()
    service = MetadataService(library, sources=["openlibrary"], intervals={"openlibrary": 0})
    books_online.latency = 0.01
    report = await service.fetch(ids, progress=lambda p: cancel.set(), cancel=cancel)
    assert report.cancelled and report.books == 20
    done = [s for s in fetched_metadata.states(ids) if s.status != fetched_metadata.PENDING]
    assert 1 <= len(done) < 20  # the books under way finished; no more were started
    reports = await service.retry()
    assert sum(r.books for r in reports) == 20 - len(done)
    assert all(s.status == "no result" for s in fetched_metadata.states(ids))


async def test_hardcovers_title_search_names_only_a_book_matching_would_link(
    library,
    hardcover,  # noqa: F811
    books_online,
):
    dune = hardcover.catalog.add_book("Dune", authors=["Frank Herbert"], users_count=9000,
                                      description="Arrakis.")  # fmt: skip
    hardcover.catalog.add_edition(dune, pages=612, users_count=100)
    right = add_book("Dune", ["Frank Herbert"]).id
    wrong = add_book("Dune", ["Brian Herbert"]).id  # another author's "Dune": not this book
    service = MetadataService(library, account=account_for(hardcover), sources=["hardcover"])
    report = await service.fetch([right, wrong])
    assert report.failures == ()
    (found,) = (await service.candidates(right)).sources[0].candidates
    assert (found.title, found.authors, found.description, found.matched_by) == (
        "Dune",
        ("Frank Herbert",),
        "Arrakis.",
        "search",
    )
    assert (await service.candidates(wrong)).sources[0].status == "no result"


async def test_a_linked_book_is_read_from_its_linked_edition_first(
    library,
    hardcover,  # noqa: F811
    monkeypatch,
):
    # The fake's covers are on loopback: fetched only from the configured Hardcover address.
    monkeypatch.setenv("BOOKORBIT_HARDCOVER_URL", hardcover.url)
    fox = hardcover.catalog.add_book("Fantastic Mr Fox", authors=["Roald Dahl"],
                                     description="Three farmers.")  # fmt: skip
    cover = {"url": hardcover.cover_url("fox.png"), "width": 400, "height": 618}
    popular = hardcover.catalog.add_edition(fox, isbn_13="9780140328721", users_count=900)
    linked = hardcover.catalog.add_edition(
        fox, isbn_13="9780375822063", pages=81, users_count=3, release_date="2002-09-10",
        publisher={"name": "Knopf"}, image=cover,
    )  # fmt: skip
    book = add_book("Fantastic Mr Fox", ["Unknown"], isbn13="9780140328721").id
    pin(book, fox, edition_id=linked, edition_pages=81, reason="picked")
    service = MetadataService(library, account=account_for(hardcover), sources=["hardcover"])
    await service.fetch([book])
    shown = await service.candidates(book)
    (found,) = shown.sources[0].candidates
    assert popular != linked and found.source_id == str(linked)
    assert (found.matched_by, found.publisher, found.pages, found.release_date) == (
        "edition",
        "Knopf",
        81,
        "2002-09-10",
    )
    assert (found.cover_url, found.cover_width, found.cover_height) == (cover["url"], 400, 618)
    best = {row.name: row.best for row in shown.fields}
    assert best["description"] == "hardcover"
    applied = await service.apply(book, ["authors", "cover", "isbn13"], "hardcover")
    assert applied.applied == ("authors", "cover", "isbn13")
    stored = Book.get_by_id(book)
    assert (stored.author_names(), stored.isbn13) == (["Roald Dahl"], "9780375822063")
    assert stored.cover_path and (library.data_dir / stored.cover_path).is_file()
    assert {"authors", "cover", "isbn"} <= edited_fields(book)


def test_the_service_loads_no_network_library_until_it_fetches():
    """The window imports the service at start-up; aiohttp loads with the first fetch."""
    code = (
        "import sys, bookorbit_desktop.services.metadata.service; print('aiohttp' in sys.modules)"
    )
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert answer.stdout.strip() == "False", answer.stderr


async def test_the_google_key_is_saved_through_the_service(library):
    keys = GoogleBooksKey(FileKeyring(library.data_dir / "keyring.json"))
    service = MetadataService(library, google_key=keys)
    assert service.has_google_key() is False
    service.save_google_key("AIzaSyExampleKey0123456789")
    assert service.has_google_key() and keys.load() == "AIzaSyExampleKey0123456789"
    assert service.remove_google_key() and not service.has_google_key()
