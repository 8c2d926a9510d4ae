"""The Hardcover page's rows read from real stored matches."""

from __future__ import annotations

import time

from bookorbit_desktop.library.store.models import HardcoverMatch
from bookorbit_desktop.services.hardcover.service import HardcoverService
from tests.factories import add_book

CANDIDATES = [
    {"book_id": 11, "title": "Dune", "authors": ["Frank Herbert"], "year": 1965},
    {"book_id": 12, "title": "Dune", "authors": ["Someone Else"], "edition": "ebook · en"},
]


def store(book_id: int, state: str, hc_book_id: int | None, candidates=CANDIDATES) -> None:
    HardcoverMatch.create(
        book=book_id,
        state=state,
        reason="why",
        hc_book_id=hc_book_id,
        candidates=candidates,
        updated_at=time.time(),
    )


def test_match_details_summarise_the_linked_candidate_only(library):
    first, second, third, fourth = (add_book(f"Book {n}") for n in range(4))
    store(first.id, "linked", 12)
    store(second.id, "needs_review", None)
    store(third.id, "linked", 99)  # linked to a book that is not among the candidates
    store(fourth.id, "no_match", None, candidates=[])
    details = HardcoverService().match_details()
    assert details[first.id]["summary"] == "Dune — Someone Else, ebook"
    assert details[second.id]["summary"] is None
    assert details[third.id]["summary"] == "A Hardcover book whose title is not stored yet"
    assert details[third.id]["hc_book_id"] == 99  # the id stays for links and tooltips
    assert details[fourth.id]["summary"] is None
    assert {details[b.id]["state"] for b in (first, second)} == {"linked", "needs_review"}
    assert details[first.id]["reason"] == "why"


def test_match_details_of_some_books_read_those_only_however_many_are_asked(library):
    first, second, third = (add_book(f"Book {n}") for n in range(3))
    store(first.id, "linked", 12)
    store(second.id, "needs_review", None)
    store(third.id, "linked", 11)
    service = HardcoverService()
    # More ids than one statement takes parameters (250,000 in this SQLite, 32,766 in others):
    # the review of a first sync of a large library asks for every book it sends.
    asked = [first.id, *range(100_000, 360_000), third.id]
    details = service.match_details(asked)
    assert sorted(details) == [first.id, third.id]
    assert details[third.id]["summary"] == "Dune — Frank Herbert (1965)"
    assert service.match_details([]) == {}
    assert service.match_details([second.id])[second.id]["state"] == "needs_review"
