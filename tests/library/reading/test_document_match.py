"""Matching KOReader's title/authors metadata to exactly one library book."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.reading.document_match import (
    authors_agree,
    match_book_by_metadata,
    normalise_title,
)
from tests.factories import add_book


@pytest.mark.parametrize(
    ("sent", "authors", "agree"),
    [
        ("Walt Whitman", ["Walt Whitman"], True),
        ("Whitman, Walt", ["Walt Whitman"], True),
        ("walt  WHITMAN", ["Walt Whitman"], True),
        ("Terry Pratchett\nNeil Gaiman", ["Neil Gaiman", "Terry Pratchett"], True),
        ("Terry Pratchett; Neil Gaiman", ["Terry Pratchett", "Neil Gaiman"], True),
        ("Terry Pratchett", ["Terry Pratchett", "Neil Gaiman"], True),  # first author only
        ("Terry Pratchett & Someone", ["Terry Pratchett", "Neil Gaiman"], False),
        ("Whitman", ["Walt Whitman"], False),  # names no author completely
        ("Walt Whitman", [], False),
        ("", ["Walt Whitman"], False),
        ("José Saramago", ["José Saramago"], True),
        ("Jose Saramago", ["José Saramago"], False),
    ],
)
def test_authors_agree(sent, authors, agree):
    assert authors_agree(sent, authors) is agree


@pytest.mark.parametrize(
    ("title", "normal"),
    [
        ("Leaves of Grass", "leaves of grass"),
        ("  Leaves   of\tGrass ", "leaves of grass"),
        ("ＦＵＬＬ width", "full width"),
        ("Straße", "strasse"),
    ],
)
def test_normalise_title(title, normal):
    assert normalise_title(title) == normal


def test_match_needs_one_book_with_that_title_and_agreeing_authors(library):
    whitman = add_book("Leaves of Grass", ["Walt Whitman"])
    add_book("Leaves of Grass", ["Somebody Else"])
    add_book("Other", ["Walt Whitman"])
    assert match_book_by_metadata("leaves of grass", "Whitman, Walt") == whitman.id
    assert match_book_by_metadata("Leaves of Grass", "Nobody") is None
    assert match_book_by_metadata("Leaves of Grass", None) is None
    assert match_book_by_metadata(None, "Walt Whitman") is None
    add_book("Leaves of Grass", ["Walt Whitman"])  # a second copy: no longer unambiguous
    assert match_book_by_metadata("Leaves of Grass", "Walt Whitman") is None


@pytest.mark.parametrize(
    ("stored", "sent", "authors"),
    [
        ("Война и мир", "Война и мир", "Толстой, Лев"),
        ("Ägypten", "Ägypten", "Jan Assmann"),
        ("Ägypten Heute", "Ägypten HEUTE", "Jan Assmann"),  # ASCII letters in any case
        ("Leaves of Grass", " LEAVES OF GRASS\n", "Walt Whitman"),
    ],
)
def test_titles_outside_ascii_are_matched_too(library, stored, sent, authors):
    """The query folds the sent title exactly as SQLite folds the stored one (ASCII only)."""
    book = add_book(stored, ["Лев Толстой" if "Лев" in authors else authors])
    assert match_book_by_metadata(sent, authors) == book.id
