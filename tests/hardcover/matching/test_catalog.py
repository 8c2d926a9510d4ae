"""Hardcover rows (as the API returns them, holes included) into matching's plain values."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.api.records import Edition
from bookorbit_desktop.hardcover.matching.catalog import (
    EditionInfo,
    book_from_graphql,
    edition_from_graphql,
    edition_from_record,
    split_contributors,
)


def test_book_row_with_nested_edition_lists():
    row = {
        "id": 5,
        "slug": "the-name-of-the-wind",
        "title": " The Name of the Wind ",
        "subtitle": None,
        "release_year": 2007,
        "pages": 0,
        "users_count": "1234",
        "canonical_id": None,
        "book_status_id": 1,
        "book_category_id": 1,
        "alternative_titles": ["Der Name des Windes", None, 3],
        "cached_contributors": [
            {"author": {"name": "Patrick Rothfuss"}, "contribution": None},
            {"author": {"name": "Hans-Ulrich Möhring"}, "contribution": "Translator"},
            {"author": {"name": "Patrick Rothfuss"}, "contribution": "Author"},
            {"author": None, "contribution": None},
            "garbage",
        ],
        "book_series": [{"position": 1, "series": {"name": "Kingkiller Chronicle"}}, {}],
        "editions": [{"id": 1, "pages": 662, "reading_format_id": 1, "language": {"code2": "en"}}],
        "local_editions": [
            {"id": 2, "pages": None, "reading_format_id": 4, "language": {"code3": "deu"}},
            {"id": 1, "pages": 662, "reading_format_id": 1, "language": {"code2": "en"}},
        ],
        "audio_editions": [{"id": 3, "reading_format_id": 2, "language": None}],
    }
    book = book_from_graphql(row)
    assert (book.id, book.title, book.pages, book.users_count) == (
        5,
        "The Name of the Wind",
        None,
        1234,
    )
    assert book.authors == ("Patrick Rothfuss",)
    assert book.contributors == ("Hans-Ulrich Möhring",)
    assert book.alternative_titles == ("Der Name des Windes",)
    assert [(s.name, s.position) for s in book.series] == [("Kingkiller Chronicle", 1.0)]
    assert [e.id for e in book.editions] == [1, 2, 3]
    assert book.languages == {"en", "de"}
    assert not book.audio_only and not book.gone


def test_audio_only_and_gone_books():
    audio = book_from_graphql(
        {"id": 1, "title": "X", "audio_editions": [{"id": 9, "reading_format_id": 2}]}
    )
    assert audio.audio_only and audio.languages == frozenset()
    assert not book_from_graphql({"id": 2, "title": "No editions"}).audio_only
    assert book_from_graphql({"id": 3, "title": "Merged", "canonical_id": 1}).gone
    assert book_from_graphql({"id": 4, "title": "Deleted", "book_status_id": 3}).gone


@pytest.mark.parametrize(
    ("row", "format_label", "is_audio", "is_ebook"),
    [
        ({"reading_format_id": 4}, "ebook", False, True),
        ({"reading_format_id": 2}, "audiobook", True, False),
        ({"reading_format_id": 1, "edition_format": "Hardcover"}, "physical", False, False),
        ({"reading_format_id": 3}, "physical", False, False),
        ({"reading_format_id": None, "edition_format": "Kindle Edition"}, "ebook", False, True),
        ({"reading_format_id": 1, "edition_format": "Audible Audio"}, "audiobook", True, False),
        ({}, "unknown", False, False),
    ],
)
def test_edition_formats(row, format_label, is_audio, is_ebook):
    edition = edition_from_graphql({"id": 1, "book_id": 2, **row})
    assert (edition.format_label, edition.is_audio, edition.is_ebook) == (
        format_label,
        is_audio,
        is_ebook,
    )


def test_edition_from_a_client_record():
    record = Edition(
        id=4, book_id=5, isbn_13="9780756404741", pages=0, reading_format_id=4, language=None,
        language_code3="eng", release_date="2007-03-27", users_count=3,
    )  # fmt: skip
    assert edition_from_record(record) == EditionInfo(
        id=4, book_id=5, isbn_13="9780756404741", pages=None, reading_format="ebook",
        language="en", users_count=3, release_year=2007,
    )  # fmt: skip


def test_split_contributors_keeps_order_and_drops_duplicates():
    entries = [
        {"author": {"name": "B"}, "contribution": "Illustrator"},
        {"author": {"name": "A"}, "contribution": None},
        {"author": {"name": "A"}, "contribution": ""},
        {"author": {"name": "C"}, "contribution": "Writer"},
        {"author": {"name": "D"}, "contribution": 7},  # not a role: taken as the author's
    ]
    assert split_contributors(entries) == (("A", "C", "D"), ("B",))
    assert split_contributors(None) == ((), ())
