"""Identifiers as files carry them: schemes, placeholders, ISBNs, Hardcover references."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookorbit_desktop.library.metadata.identifiers import classify, collect_identifiers
from bookorbit_desktop.library.metadata.isbn import Isbn


@pytest.mark.parametrize(
    ("value", "scheme", "expected"),
    [
        ("urn:isbn:978-0-306-40615-7", None, ("isbn", "978-0-306-40615-7")),
        ("isbn:0306406152", None, ("isbn", "0306406152")),
        ("9780306406157", None, ("isbn", "9780306406157")),  # bare and valid
        ("9780306406158", None, ("other", "9780306406158")),  # bare, bad checksum
        ("9780306406157", "ISBN", ("isbn", "9780306406157")),
        ("978-0-306-40615-7", "ISBN13", ("isbn", "978-0-306-40615-7")),
        (
            "urn:isbn:9780306406157",
            "uuid",
            ("isbn", "9780306406157"),
        ),  # the value's own prefix wins
        (
            "urn:uuid:0b5e2f9e-1f6b-4a43-9b0c-7d4c5c7e2a10",
            None,
            ("uuid", "0b5e2f9e-1f6b-4a43-9b0c-7d4c5c7e2a10"),
        ),
        (
            "0b5e2f9e-1f6b-4a43-9b0c-7d4c5c7e2a10",
            None,
            ("uuid", "0b5e2f9e-1f6b-4a43-9b0c-7d4c5c7e2a10"),
        ),
        ("calibre:42", None, ("calibre", "42")),
        ("42", "calibre", ("calibre", "42")),
        ("B00ABCDEF", "AMAZON", ("asin", "B00ABCDEF")),
        ("hardcover-id:377938", None, ("hardcover-id", "377938")),
        ("http://www.gutenberg.org/1342", None, ("other", "http://www.gutenberg.org/1342")),
        ("15", None, ("other", "15")),
        ("9780306406157", "15", ("isbn", "9780306406157")),  # ONIX code 15 = ISBN-13
        ("unknown", None, None),
        ("UNKNOWN", "ISBN", None),
        ("  ", None, None),
        ("isbn:unknown", None, None),
    ],
)
def test_classify(value, scheme, expected):
    assert classify(value, scheme) == expected


def test_collect_keeps_every_scheme_and_picks_the_first_valid_isbn():
    found = collect_identifiers(
        [
            ("uuid", "urn:uuid:0b5e2f9e-1f6b-4a43-9b0c-7d4c5c7e2a10"),
            (None, "unknown"),
            ("ISBN", "978-0-306-40615-8"),  # wrong checksum: not taken
            (None, "urn:isbn:0-8044-2957-X"),
            (None, "9780306406157"),
            ("calibre", "7"),
        ]
    )
    assert found.isbn == Isbn("9780804429573", "080442957X")
    assert found.identifiers == {
        "uuid": "0b5e2f9e-1f6b-4a43-9b0c-7d4c5c7e2a10",
        "isbn": "978-0-306-40615-8",
        "calibre": "7",
    }


def test_collect_hardcover_references():
    found = collect_identifiers(
        [
            (None, "hardcover:123"),  # numeric: an old-style edition id, not a slug
            (None, "hardcover-slug:the-hobbit"),
            (None, "hardcover-id:377938"),
            (None, "hardcover-edition:999"),
        ]
    )
    assert found.hardcover_id == 377938
    assert found.hardcover_slug == "the-hobbit"
    assert found.identifiers["hardcover-edition"] == "999"
    assert collect_identifiers([(None, "hardcover:dune")]).hardcover_slug == "dune"


def test_shared_uuid_is_kept_but_means_nothing():
    first = collect_identifiers([(None, "urn:uuid:00000000-0000-0000-0000-000000000000")])
    assert first.isbn is None
    assert first.identifiers == {"uuid": "00000000-0000-0000-0000-000000000000"}


@given(st.lists(st.tuples(st.none() | st.text(max_size=10), st.text(max_size=30)), max_size=6))
def test_collect_never_raises(pairs):
    collect_identifiers(pairs)
