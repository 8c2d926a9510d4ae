"""Applying a candidate's subtitle, publisher, release date and page count: the service names
every candidate field as appliable, saves them through the edit path (marked, shown as the
book's own values next time) and skips a value the edit rules refuse, saying why."""

from __future__ import annotations

import functools

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.credentials import SuppliedToken
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.user_edits import edited_fields
from bookorbit_desktop.metadata_sources.records import FIELDS, Candidate
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.metadata.apply import apply_picks
from bookorbit_desktop.services.metadata.service import MetadataService
from tests.factories import add_book
from tests.fakes.hardcover_fixtures import clock, hardcover  # noqa: F401


def test_every_field_a_candidate_carries_is_appliable(library):
    assert set(MetadataService(library).appliable_fields()) == set(FIELDS)


async def test_the_imprint_of_hardcovers_linked_edition_is_applied_and_marked(
    library,
    hardcover,  # noqa: F811
):
    fox = hardcover.catalog.add_book("Fantastic Mr Fox", authors=["Roald Dahl"],
                                     subtitle="A Story of Three Farmers")  # fmt: skip
    linked = hardcover.catalog.add_edition(
        fox, isbn_13="9780375822063", pages=81, release_date="2002-09-10",
        publisher={"name": "Knopf"},
    )  # fmt: skip
    book = add_book("Fantastic Mr Fox", ["Roald Dahl"]).id
    pin(book, fox, edition_id=linked, edition_pages=81, reason="picked")
    factory = functools.partial(HardcoverClient, endpoint=hardcover.url)
    account = HardcoverAccount(
        supplied=SuppliedToken(hardcover.token, "test"), client_factory=factory
    )
    service = MetadataService(library, account=account, sources=["hardcover"])
    await service.fetch([book])
    fields = ["subtitle", "publisher", "release_date", "pages"]
    result = await service.apply(book, fields, "hardcover")
    assert result.applied == tuple(fields) and result.skipped == ()
    stored = Book.get_by_id(book)
    assert (stored.subtitle, stored.publisher, stored.published, stored.pages) == (
        "A Story of Three Farmers",
        "Knopf",
        "2002-09-10",
        81,
    )
    assert {"subtitle", "publisher", "published", "pages"} <= edited_fields(book)
    shown = await service.candidates(book)
    assert (shown.local["subtitle"], shown.local["pages"]) == ("A Story of Three Farmers", 81)
    assert not {r.name for r in shown.fields if r.differs} & set(fields)


async def test_a_value_the_edit_rules_refuse_is_skipped_with_the_reason(library):
    book = add_book("Dune").id
    odd = Candidate("google", "v1", publisher="Ace", release_date="Summer 1965", pages=250_000)
    picks = [(name, odd) for name in ("publisher", "release_date", "pages")]
    result = await apply_picks(library, book, picks, "google")
    assert result.applied == ("publisher",)
    reasons = dict(result.skipped)
    assert "2019-05-02" in reasons["release_date"]
    assert "1 to 100,000" in reasons["pages"]
    stored = Book.get_by_id(book)
    assert (stored.publisher, stored.published, stored.pages) == ("Ace", None, None)


async def test_an_applied_description_is_stored_cleaned(library):
    """Whatever a candidate carries, what is saved is the cleaned description."""
    book = add_book("Dune").id
    hostile = Candidate("google", "v1")
    object.__setattr__(hostile, "description", '<p>Spice<img src="/dev/zero"></p>')
    result = await apply_picks(library, book, [("description", hostile)], "google")
    assert result.applied == ("description",)
    assert Book.get_by_id(book).description == "<p>Spice</p>"
