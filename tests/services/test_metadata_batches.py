"""Hardcover asked about a whole fetch in chunks, against the loopback fake Hardcover (which
checks every query against the official schema and caps lists at 100 rows): the ISBNs and
linked editions of 50 books in one request, each book given only its own editions, the title
search only for the books those do not find, and never a wrong book."""

from __future__ import annotations

import functools

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.credentials import SuppliedToken
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.library.metadata.isbn import isbn13_check_digit, parse_isbn
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.metadata.service import MetadataService
from tests.factories import add_book
from tests.fakes.hardcover_fixtures import clock, hardcover  # noqa: F401


def isbn(n: int) -> str:
    body = f"978{n:09d}"
    return body + isbn13_check_digit(body)


def account_for(server) -> HardcoverAccount:
    factory = functools.partial(HardcoverClient, endpoint=server.url)
    return HardcoverAccount(supplied=SuppliedToken(server.token, "test"), client_factory=factory)


def sent(server, name: str) -> list:
    return [r for r in server.requests if r.operation_name == name]


async def test_isbns_go_fifty_books_a_request_and_each_book_gets_only_its_own_editions(
    library,
    hardcover,  # noqa: F811
):
    catalog = hardcover.catalog
    ids = []
    for n in range(110):
        hc_book = catalog.add_book(f"Title {n}", authors=[f"Author {n}"], users_count=10)
        catalog.add_edition(hc_book, isbn_13=isbn(n), pages=100 + n, users_count=5)
        ids.append(add_book(f"Title {n}", ["Unknown"], isbn13=isbn(n)).id)
    # A book known to the library by its ISBN-10 only.
    ten = parse_isbn(isbn(500))
    assert ten is not None and ten.isbn10
    old = catalog.add_book("Old Title", authors=["Old Author"], users_count=3)
    catalog.add_edition(old, isbn_13=ten.isbn13, isbn_10=ten.isbn10, pages=77)
    only_ten = add_book("Old Title", ["Unknown"]).id
    Book.update(isbn10=ten.isbn10).where(Book.id == only_ten).execute()
    # A linked book: its linked edition, not the more read one of its ISBN.
    fox = catalog.add_book("Fantastic Mr Fox", authors=["Roald Dahl"], users_count=50)
    catalog.add_edition(fox, isbn_13="9780140328721", users_count=900, pages=96)
    linked = catalog.add_edition(fox, isbn_13="9780375822063", users_count=3, pages=81)
    fox_book = add_book("Fantastic Mr Fox", ["Unknown"], isbn13="9780140328721").id
    pin(fox_book, fox, edition_id=linked, edition_pages=81, reason="picked")
    # An ISBN Hardcover does not know, on a title another author's book has: no candidate.
    dune = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=9000)
    catalog.add_edition(dune, isbn_13=isbn(900), pages=612)
    wrong = add_book("Dune", ["Brian Herbert"], isbn13=isbn(901)).id
    every = [*ids, only_ten, fox_book, wrong]

    service = MetadataService(library, account=account_for(hardcover), sources=["hardcover"])
    report = await service.fetch(every)

    assert report.failures == () and report.found == len(every) - 1
    assert len(sent(hardcover, "MetadataEditionsBatch")) == 3  # 113 books: 50 + 50 + 13
    assert sent(hardcover, "MetadataEditions") == []  # no book asked on its own
    assert all(r.status == 200 for r in hardcover.requests)
    for n in (0, 49, 50, 109):
        (found,) = (await service.candidates(ids[n])).sources[0].candidates
        assert (found.title, found.pages, found.isbn13) == (f"Title {n}", 100 + n, isbn(n))
        assert (found.authors, found.matched_by) == ((f"Author {n}",), "isbn")
    (found,) = (await service.candidates(only_ten)).sources[0].candidates
    assert (found.title, found.pages) == ("Old Title", 77)
    (found,) = (await service.candidates(fox_book)).sources[0].candidates
    assert (found.source_id, found.matched_by, found.pages) == (str(linked), "edition", 81)
    assert (await service.candidates(wrong)).sources[0].status == "no result"


async def test_a_refused_chunk_fails_its_books_and_retry_asks_them_again(
    library,
    hardcover,  # noqa: F811
):
    ids = []
    for n in range(3):
        hc_book = hardcover.catalog.add_book(f"Title {n}", authors=["Ann"], users_count=1)
        hardcover.catalog.add_edition(hc_book, isbn_13=isbn(n))
        ids.append(add_book(f"Title {n}", ["Ann"], isbn13=isbn(n)).id)
    hardcover.fail_next(400, operation="MetadataEditionsBatch")
    service = MetadataService(library, account=account_for(hardcover), sources=["hardcover"])
    report = await service.fetch(ids)
    assert {book for book, _ in report.failures} == set(ids)
    (again,) = await service.retry()
    assert again.failures == () and again.found == 3
    assert [r.status for r in hardcover.requests] == [400, 200]  # one request a fetch
