"""The plan of Fill Empty Fields (`MetadataService.fill_plan`) against the loopback sources:
what each book gets, per field and source, is what `apply_best(only_empty=True)` (the command
line's `apply --best --only-empty`) saves; records of another edition give nothing and are
listed with their reason."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.metadata_sources.keys import GoogleBooksKey
from bookorbit_desktop.services.metadata.apply import FillOutcome, finish_fill, start_fill
from bookorbit_desktop.services.metadata.service import MetadataService
from tests.factories import add_book
from tests.fakes.file_keyring import FileKeyring
from tests.fakes.metadata_sources import FakeBook, FakeBookSources

HOBBIT = FakeBook(
    "9780547928227", "The Hobbit", ("J. R. R. Tolkien",), publisher="Houghton Mifflin Harcourt",
    published="2012", pages=300, cover_id=6979861, description="In a hole in the ground.",
)  # fmt: skip


@pytest.fixture
async def books_online(monkeypatch):
    async with FakeBookSources() as fake:
        monkeypatch.setenv("BOOKORBIT_OPENLIBRARY_URL", fake.openlibrary_url)
        monkeypatch.setenv("BOOKORBIT_GOOGLEBOOKS_URL", fake.google_url)
        yield fake


async def test_the_plan_is_what_best_fills_and_other_editions_are_left_out(library, books_online):
    books_online.add(FakeBook(**HOBBIT.__dict__))
    books_online.add(FakeBook("9780141439587", "Emma", ("Jane Austen",), publisher="Penguin",
                              pages=474, description="Handsome, clever, and rich."))  # fmt: skip
    hobbit = add_book("Der Hobbit", ["J. R. R. Tolkien"], isbn13=HOBBIT.isbn13, language="de")
    emma = add_book("Emma", ["Unknown"], isbn13="9780141439587")
    service = MetadataService(
        library, sources=["openlibrary", "google"], intervals={"openlibrary": 0, "google": 0},
        google_key=GoogleBooksKey(FileKeyring(library.data_dir / "keyring.json")),
    )  # fmt: skip
    await service.fetch([hobbit.id, emma.id])

    plan = await service.fill_plan([hobbit.id, emma.id])
    assert list(plan.picks) == [emma.id]  # the Hobbit's records are of another edition
    assert plan.books == 1
    assert plan.counts["publisher"] == {"openlibrary": 1}
    assert plan.counts["authors"] == {"openlibrary": 1}
    assert [(r.book_id, r.authors, r.source, r.reason) for r in plan.left_out] == [
        (hobbit.id, ("J. R. R. Tolkien",), "openlibrary", "another edition: English, not German"),
        (hobbit.id, ("J. R. R. Tolkien",), "google", "another edition: English, not German"),
    ]
    for book_id in (hobbit.id, emma.id):  # the command line's `apply --best --only-empty`
        assert await service.best_picks(book_id, only_empty=True) == plan.picks.get(book_id, [])

    result = await service.apply_best(hobbit.id, only_empty=True)
    assert result.applied == ()
    why = "Open Library: another edition: English, not German"
    skipped = dict(result.skipped)  # each field only the other edition has, with why
    assert {"publisher", "release_date", "pages", "cover", "description"} <= set(skipped)
    assert set(skipped.values()) == {why}
    emma_result = await service.apply_best(emma.id, only_empty=True)
    assert emma_result.skipped == ()  # nothing of another edition there
    book = Book.get_by_id(hobbit.id)
    assert (book.publisher, book.published, book.pages, book.description) == (None,) * 4


async def test_a_sequel_carrying_the_books_isbn_gives_it_nothing(library, books_online):
    # "Dune" whose ISBN's records are titled "Dune Messiah": another book, not a subtitle
    messiah = FakeBook("9780593098233", "Dune Messiah", ("Frank Herbert",), publisher="Ace",
                       published="2019", pages=256, cover_id=8231856,
                       description="The second book.")  # fmt: skip
    books_online.add(messiah)
    dune = add_book("Dune", ["Frank Herbert"], isbn13=messiah.isbn13, language="en")
    service = MetadataService(
        library, sources=["openlibrary", "google"], intervals={"openlibrary": 0, "google": 0},
        google_key=GoogleBooksKey(FileKeyring(library.data_dir / "keyring.json")),
    )  # fmt: skip
    await service.fetch([dune.id])
    plan = await service.fill_plan([dune.id])
    assert plan.picks == {} and plan.books == 0
    assert {(r.source, r.reason) for r in plan.left_out} == {
        ("openlibrary", "another edition: title differs"),
        ("google", "another edition: title differs"),
    }
    assert (await service.apply_best(dune.id)).applied == ()  # Best takes not even the title
    book = Book.get_by_id(dune.id)
    assert (book.title, book.publisher, book.pages, book.published, book.cover_path) == (
        "Dune", None, None, None, None,
    )  # fmt: skip


async def test_a_fill_counts_what_it_wrote_and_why_the_rest_was_not(library, books_online):
    """A cover that cannot be downloaded is not written, and a book it was all the fill gave
    is left as it is, outside the undo step; the outcome counts both against the plan."""
    books_online.add(FakeBook("9780141439587", "Emma", ("Jane Austen",), language="en",
                              cover_id=5555))  # fmt: skip
    books_online.add(FakeBook(**{**HOBBIT.__dict__, "cover_id": 7777}))
    books_online.failing_covers.add(5555)
    emma = add_book("Emma", ["Jane Austen"], isbn13="9780141439587", language="en")
    hobbit = add_book("The Hobbit", ["J. R. R. Tolkien"], isbn13=HOBBIT.isbn13, language="en")
    service = MetadataService(
        library, sources=["openlibrary"], intervals={"openlibrary": 0},
        google_key=GoogleBooksKey(FileKeyring(library.data_dir / "keyring.json")),
    )  # fmt: skip
    await service.fetch([emma.id, hobbit.id])
    plan = await service.fill_plan([emma.id, hobbit.id])
    assert [name for name, _ in plan.picks[emma.id]] == ["cover"]  # all Emma gets
    outcome = FillOutcome(plan.counts)
    step = start_fill(0.0)
    for book_id, picks in plan.picks.items():
        outcome.add(await service.fill(plan, book_id, step=step), picks)
    assert finish_fill(step) == 1 == outcome.books
    assert Book.get_by_id(emma.id).cover_path is None
    assert Book.get_by_id(hobbit.id).cover_path
    [(field, written, planned, missing)] = outcome.short()
    assert (field, written, planned) == ("cover", 1, 2)
    assert [(s, n) for s, _, n in missing] == [("openlibrary", 1)]
    assert "HTTP 503" in missing[0][1]
    assert steps.history()[0].label == "Fill Empty Fields (1 book)"
