"""ISBN checksums, normalisation and conversion, table-driven, plus properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookorbit_desktop.library.metadata.isbn import (
    Isbn,
    is_valid_isbn10,
    is_valid_isbn13,
    isbn10_check_digit,
    isbn10_to_13,
    isbn13_check_digit,
    isbn13_to_10,
    parse_isbn,
)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("0306406152", True),
        ("080442957X", True),
        ("0306406153", False),  # wrong check digit
        ("080442957x", False),  # lower-case x is normalised by parse_isbn, not here
        ("X306406152", False),  # X only as the check character
        ("030640615", False),  # nine digits
        ("0000000000", False),  # passes the checksum, but a placeholder
        ("1111111111", False),
        ("０３０６４０６１５２", False),  # full-width digits are not ASCII
    ],
)
def test_isbn10_validity(value, valid):
    assert is_valid_isbn10(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("9780306406157", True),
        ("9791032305690", True),
        ("9780306406158", False),  # wrong check digit
        ("9770306406155", False),  # an ISSN/EAN range, not a book
        ("978030640615", False),
        ("978030640615X", False),
    ],
)
def test_isbn13_validity(value, valid):
    assert is_valid_isbn13(value) is valid


@pytest.mark.parametrize(
    ("value", "tagged", "expected"),
    [
        ("urn:isbn:978-0-306-40615-7", False, Isbn("9780306406157", "0306406152")),
        ("isbn:0-306-40615-2", False, Isbn("9780306406157", "0306406152")),
        ("ISBN 0 8044 2957 X", False, Isbn("9780804429573", "080442957X")),
        ("ISBN-13: 979-10-323-0569-0", False, Isbn("9791032305690", None)),
        ("isbn 080442957x", False, Isbn("9780804429573", "080442957X")),
        ("978‐0‐306‐40615‐7", False, Isbn("9780306406157", "0306406152")),  # Unicode hyphens
        ("9780306406158", False, None),  # bad checksum is never an ISBN
        ("0306406153", False, None),
        ("unknown", False, None),
        ("", False, None),
        ("9780306406157 (pbk.)", False, None),  # bare values must be only the ISBN
        ("9780306406157 (pbk.)", True, Isbn("9780306406157", "0306406152")),
        ("ISBN 0306406152 (hardcover)", True, Isbn("9780306406157", "0306406152")),
        ("a9780306406157-b1234", False, None),
        ("12345678-1234-9780306406157", True, None),  # not a clean run inside junk
    ],
)
def test_parse_isbn(value, tagged, expected):
    assert parse_isbn(value, tagged=tagged) == expected


@pytest.mark.parametrize(
    ("isbn10", "isbn13"),
    [
        ("0306406152", "9780306406157"),
        ("080442957X", "9780804429573"),
        ("0131103628", "9780131103627"),
    ],
)
def test_conversion_both_ways(isbn10, isbn13):
    assert isbn10_to_13(isbn10) == isbn13
    assert isbn13_to_10(isbn13) == isbn10


def test_979_isbns_have_no_isbn10():
    assert isbn13_to_10("9791032305690") is None


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_isbn10_converts_to_a_valid_isbn13_and_back(first9):
    isbn10 = first9 + isbn10_check_digit(first9)
    if len(set(isbn10)) == 1:
        return  # placeholders are refused on purpose
    assert is_valid_isbn10(isbn10)
    isbn13 = isbn10_to_13(isbn10)
    assert is_valid_isbn13(isbn13)
    assert isbn13_to_10(isbn13) == isbn10
    assert parse_isbn(f"urn:isbn:{isbn13}") == Isbn(isbn13, isbn10)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(1, 9))
def test_a_changed_check_digit_is_always_caught(first12, delta):
    first12 = "978" + first12[3:]
    good = first12 + isbn13_check_digit(first12)
    bad = first12 + str((int(good[-1]) + delta) % 10)
    assert is_valid_isbn13(good)
    assert not is_valid_isbn13(bad)


@given(st.text(max_size=40))
def test_parse_isbn_never_raises(value):
    result = parse_isbn(value, tagged=True)
    assert result is None or is_valid_isbn13(result.isbn13)
