"""The bulk edit's plan as a table: series numbers from N in the order given, books without a
series refused when numbered, status and rating left out where a book has them, and the
request checked whole before any book is planned."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.editing.bulk import (
    NO_SERIES,
    Refusal,
    Shown,
    plan,
    request_from_text,
)
from bookorbit_desktop.library.editing.values import UNSET

EMMA = Shown(1, "Emma", "Austen", "unread", None)
DUNE = Shown(2, "Dune", None, "read", 4.0)
KIM = Shown(3, "Kim", "Kipling", "reading", None)


@pytest.mark.parametrize(
    ("typed", "books", "numbers", "reading", "refused"),
    [
        # Numbers from N follow the order given, step 1.
        ({"series": "Saga", "number_from": "5"}, [EMMA, DUNE, KIM], [5, 6, 7], [{}, {}, {}], []),
        ({"series": "Saga", "number_from": "5"}, [KIM, EMMA], [5, 6], [{}, {}], []),
        # Numbering within the series each book has: one with none is refused and not counted.
        ({"number_from": "1"}, [EMMA, DUNE, KIM], [1, 2], [{}, {}], [(2, NO_SERIES)]),
        # Keep numbers: a new series alone leaves every number as it is.
        ({"series": "Saga"}, [EMMA, DUNE], [UNSET, UNSET], [{}, {}], []),
        # A status or rating a book has already is left out for it.
        (
            {"status": "read", "rating": "4"},
            [EMMA, DUNE, KIM],
            [UNSET] * 3,
            [{"status": "read", "rating": 4.0}, {}, {"status": "read", "rating": 4.0}],
            [],
        ),
        ({"rating": "none"}, [EMMA, DUNE], [UNSET, UNSET], [{}, {"rating": None}], []),
        ({"status": "Want to read"}, [EMMA], [UNSET], [{"status": "want_to_read"}], []),
    ],
)
def test_plan(typed, books, numbers, reading, refused):
    plans, refusals = plan(books, request_from_text(typed))
    assert [p.changes.series_index for p in plans] == numbers
    assert [p.reading for p in plans] == reading
    assert [(r.book_id, r.reason) for r in refusals] == refused


def test_a_book_with_nothing_to_change_has_an_empty_plan():
    plans, _ = plan([DUNE], request_from_text({"status": "read"}))
    assert plans[0].empty()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({}, "Nothing to change"),
        ({"title": "One"}, "one book at a time"),
        ({"isbn": "9780441013593"}, "one book at a time"),
        ({"series": "", "number_from": "1"}, "cannot be numbered"),
        ({"number_from": ""}, "number to count the series from"),
        ({"number_from": "-2"}, "is not a series number"),
        ({"series": "Saga", "number_from": "1e9"}, "from 0 up to 99,999; 1e9 is more than that"),
        ({"status": "finished-ish"}, "Unknown reading status"),
        ({"rating": "7"}, "out of range"),
        ({"language": "klingonese"}, "is not a language"),
    ],
)
def test_a_wrong_request_is_refused_whole(typed, message):
    with pytest.raises(InvalidValueError, match=message):
        request_from_text(typed)


def test_a_refusal_names_the_book():
    assert Refusal(1, "Emma", NO_SERIES).text() == f"“Emma”: {NO_SERIES}"
