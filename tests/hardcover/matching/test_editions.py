"""Edition choice: language, text not audio, page count, the file's ISBN, ebook, readers."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.matching.catalog import EditionInfo
from bookorbit_desktop.hardcover.matching.editions import choose_edition, describe_edition


def ed(id, *, lang="en", fmt="physical", pages=300, users=0, edition_format=None):
    return EditionInfo(
        id=id,
        book_id=1,
        language=lang,
        reading_format=fmt,
        pages=pages,
        users_count=users,
        edition_format=edition_format,
    )


CASES = [
    (
        "same language beats popularity",
        [ed(1, lang="de", users=900), ed(2, lang="en", users=3)],
        "en",
        (),
        2,
    ),
    (
        "text beats a more popular audiobook",
        [ed(1, fmt="audio", pages=None, users=900), ed(2, users=3)],
        "en",
        (),
        2,
    ),
    (
        "an edition with pages beats one without",
        [ed(1, fmt="ebook", pages=None, users=500), ed(2, pages=320, users=10)],
        "en",
        (),
        2,
    ),
    (
        "the file's own ISBN edition beats a more popular one",
        [ed(1, users=5000), ed(2, users=4)],
        "en",
        (2,),
        2,
    ),
    ("ebook beats physical", [ed(1, users=5000), ed(2, fmt="ebook", users=4)], "en", (), 2),
    (
        "Kindle Edition counts as an ebook",
        [ed(1, users=50), ed(2, fmt="unknown", edition_format="Kindle Edition", users=4)],
        "en",
        (),
        2,
    ),
    ("most readers wins among equals", [ed(1, users=4), ed(2, users=40)], "en", (), 2),
    ("lowest id breaks a full tie", [ed(7, users=4), ed(3, users=4)], "en", (), 3),
    (
        "unknown language beats another language",
        [ed(1, lang="fr", users=100), ed(2, lang=None, users=1)],
        "en",
        (),
        2,
    ),
    (
        "unknown local language: format and readers decide",
        [ed(1, lang="fr", users=100), ed(2, lang="en", users=1)],
        None,
        (),
        1,
    ),
    (
        "an edition without pages is still better than no edition",
        [ed(1, pages=None), ed(2, fmt="audio", pages=None, users=99)],
        "en",
        (),
        1,
    ),
    (
        "'Audible Audio' edition format is an audiobook even if mislabelled",
        [ed(1, fmt="unknown", edition_format="Audible Audio", users=999), ed(2, users=1)],
        "en",
        (),
        2,
    ),
    (
        "wrong-language ISBN edition loses to the book's language",
        [ed(1, lang="de", users=10), ed(2, lang="en", users=5)],
        "en",
        (1,),
        2,
    ),
]


@pytest.mark.parametrize(("name", "editions", "language", "isbn_ids", "expected"), CASES)
def test_choose_edition(name, editions, language, isbn_ids, expected):
    choice = choose_edition(editions, language=language, isbn_edition_ids=isbn_ids)
    assert choice.edition is not None, name
    assert choice.edition.id == expected, name


@pytest.mark.parametrize(
    ("editions", "reason"),
    [
        ([], "no editions known"),
        ([ed(1, fmt="audio", pages=None), ed(2, fmt="audio")], "only audiobook editions"),
    ],
)
def test_no_text_edition_means_no_choice(editions, reason):
    choice = choose_edition(editions, language="en")
    assert choice.edition is None
    assert choice.reason == reason


def test_reason_says_when_pages_are_missing_and_language_differs():
    choice = choose_edition([ed(1, lang="de", pages=None)], language="en")
    assert choice.edition is not None
    assert choice.language_matches is False
    assert "no en edition" in choice.reason
    assert "status and dates only" in choice.reason


def test_describe_edition():
    edition = ed(5, fmt="ebook", pages=412, users=1234)
    assert describe_edition(edition) == "ebook · en · 412 pages · 1,234 readers"


def test_duplicate_rows_are_one_edition():
    choice = choose_edition([ed(1, users=3), ed(1, users=3)], language="en")
    assert choice.edition is not None and choice.edition.id == 1
