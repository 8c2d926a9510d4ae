"""The average rating of the linked Hardcover book: checked as Hardcover sends it, stored with
the link by a matching pass and by Pick against the loopback Hardcover, cleared with the link."""

from __future__ import annotations

import math

import pytest

from bookorbit_desktop.hardcover.matching import actions
from bookorbit_desktop.hardcover.matching.catalog import average_rating
from bookorbit_desktop.hardcover.matching.matcher import Matcher
from bookorbit_desktop.hardcover.matching.store import LINKED, NEEDS_REVIEW, get_match
from tests.factories import add_book


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (4.213, 4.213),
        (3, 3.0),
        (0, 0.0),
        (5, 5.0),
        (None, None),  # nobody rated the book
        ("4.2", None),
        ("great", None),
        (7, None),
        (5.0001, None),
        (-0.5, None),
        (math.nan, None),
        (math.inf, None),
        (True, None),
        ([4.2], None),
        ({"average": 4.2}, None),
    ],
)
def test_only_a_finite_number_from_0_to_5_is_a_rating(sent, kept):
    assert average_rating(sent) == kept


def _reading(title: str, author: str) -> int:
    return add_book(title, [author], status="reading").id


async def test_a_matching_pass_stores_the_linked_books_rating(library, hardcover, hc_client):
    catalog = hardcover.catalog
    dune = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900, rating=4.27)
    catalog.add_edition(dune, pages=604)
    emma = catalog.add_book("Emma", authors=["Jane Austen"], users_count=500)  # no rating
    catalog.add_edition(emma, pages=474)
    rated, unrated = _reading("Dune", "Frank Herbert"), _reading("Emma", "Jane Austen")

    await Matcher(hc_client).run()

    assert get_match(rated).state == LINKED
    assert get_match(rated).hc_rating == pytest.approx(4.27)
    assert (get_match(unrated).state, get_match(unrated).hc_rating) == (LINKED, None)
    assert "MatchCandidates" in [r.operation_name for r in hardcover.requests]


@pytest.mark.parametrize("sent", ["4.5 stars", 7, math.nan, -1])
async def test_a_malformed_rating_is_not_stored_and_the_link_still_made(
    library, hardcover, hc_client, sent
):
    catalog = hardcover.catalog
    dune = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900, rating=sent)
    catalog.add_edition(dune, pages=604)
    book_id = _reading("Dune", "Frank Herbert")

    await Matcher(hc_client).run()

    record = get_match(book_id)
    assert (record.state, record.hc_book_id, record.hc_rating) == (LINKED, dune, None)


async def test_pick_stores_the_rating_of_the_book_picked_and_rematch_clears_it(
    library, hardcover, hc_client
):
    catalog = hardcover.catalog
    first = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900, rating=4.3)
    catalog.add_edition(first, pages=604)
    other = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900, rating=3.9)
    catalog.add_edition(other, pages=600)
    book_id = _reading("Dune", "Frank Herbert")
    await Matcher(hc_client).run()
    assert (get_match(book_id).state, get_match(book_id).hc_rating) == (NEEDS_REVIEW, None)

    await actions.pick(hc_client, book_id, other)
    assert get_match(book_id).hc_rating == pytest.approx(3.9)
    catalog.tables["books"][other]["rating"] = 4.1  # Hardcover's readers rated it since
    await actions.pick(hc_client, book_id, other)
    assert get_match(book_id).hc_rating == pytest.approx(4.1)

    await actions.rematch(book_id, hc_client)
    assert get_match(book_id).hc_rating is None
