"""What a user may type into a book's fields: table-driven checks of `library.editing.values`."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.editing.values import (
    BookChanges,
    check_shared,
    parse_authors,
    parse_cover,
    parse_description,
    parse_isbn_text,
    parse_languages,
    parse_series_index,
    parse_title,
)
from tests.library.books import jpeg


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Dune", "Dune"),
        ("  The   Hobbit ", "The Hobbit"),
        ("Émile\tou de l'éducation", "Émile ou de l'éducation"),
    ],
)
def test_titles(typed, stored):
    assert parse_title(typed) == stored


@pytest.mark.parametrize("typed", ["", "   ", "\n"])
def test_an_empty_title_is_refused(typed):
    with pytest.raises(InvalidValueError, match="title cannot be empty"):
        parse_title(typed)


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("Frank Herbert", ["Frank Herbert"]),
        ("Terry Pratchett & Neil Gaiman", ["Terry Pratchett", "Neil Gaiman"]),
        ("A;B ; A", ["A", "B"]),
        ("Tolkien, J. R. R.", ["Tolkien, J. R. R."]),
        ("", []),
    ],
)
def test_authors(typed, names):
    assert parse_authors(typed) == names


@pytest.mark.parametrize(
    ("typed", "number"), [("3", 3.0), ("2.5", 2.5), ("0", 0.0), ("1,5", 1.5), ("", None)]
)
def test_series_numbers(typed, number):
    assert parse_series_index(typed) == number


@pytest.mark.parametrize("typed", ["-1", "two", "nan", "inf"])
def test_a_series_number_must_be_a_number_of_zero_or_more(typed):
    with pytest.raises(InvalidValueError, match="not a series number"):
        parse_series_index(typed)


@pytest.mark.parametrize(
    ("typed", "tag"),
    [
        ("en", ("en",)),
        ("en_US", ("en",)),
        ("pt-br", ("pt-BR",)),
        ("French", ("fr",)),
        ("", ()),
        ("eng, fre", ("en", "fr")),  # a bilingual book, in the order typed
        (" fr ,en,, French", ("fr", "en")),  # each once, empty parts left out
    ],
)
def test_languages(typed, tag):
    assert parse_languages(typed) == tag


@pytest.mark.parametrize("typed", ["klingonese", "zz-qq-123", "und", "en, klingonese"])
def test_an_unknown_language_is_refused(typed):
    with pytest.raises(InvalidValueError, match="is not a language"):
        parse_languages(typed)


@pytest.mark.parametrize(
    ("typed", "isbn13", "isbn10"),
    [
        ("978-0-441-01359-3", "9780441013593", "0441013597"),
        ("0441013597", "9780441013593", "0441013597"),
        ("979-10-90636-07-1", "9791090636071", None),
    ],
)
def test_isbns(typed, isbn13, isbn10):
    found = parse_isbn_text(typed)
    assert found is not None
    assert (found.isbn13, found.isbn10) == (isbn13, isbn10)


@pytest.mark.parametrize("typed", ["9780441013594", "044101359X", "12345"])
def test_an_isbn_with_a_wrong_check_digit_is_refused(typed):
    with pytest.raises(InvalidValueError, match="not a valid ISBN"):
        parse_isbn_text(typed)


def test_an_empty_isbn_clears_it():
    assert parse_isbn_text(" ") is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  A plain description.  ", "A plain description."),
        ("1 < 2 & 3", "1 < 2 & 3"),
        ('<p>Typed <em>markup</em><img src="/dev/zero"></p>', "<p>Typed <em>markup</em></p>"),
        ('<a href="file:///etc/passwd">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
        ("<img src='file:///etc/passwd'>", None),
        ("   ", None),
    ],
)
def test_descriptions(typed, stored):
    assert parse_description(typed) == stored


def test_covers(tmp_path):
    image = tmp_path / "cover.jpg"
    image.write_bytes(jpeg(1200, 1800))
    assert parse_cover(image)[:2] == b"\xff\xd8"
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    with pytest.raises(InvalidValueError, match="is not an image"):
        parse_cover(text)
    with pytest.raises(InvalidValueError, match="cannot be read"):
        parse_cover(tmp_path / "missing.png")


def test_a_chosen_cover_cut_short_is_refused_with_the_reason(tmp_path):
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(jpeg(300, 450)[:-2])  # no end marker
    with pytest.raises(InvalidValueError, match="cannot be the cover: the image is damaged"):
        parse_cover(cut)


@pytest.mark.parametrize(
    ("changes", "allowed"),
    [
        (BookChanges(authors=["A"], series="S", language=("en",)), True),
        (BookChanges(title="T"), False),
        (BookChanges(isbn=None), False),
        (BookChanges(series_index=2.0), False),
        (BookChanges(description="d"), False),
    ],
)
def test_several_books_take_only_shared_fields(changes, allowed):
    check_shared(changes, 1)
    if allowed:
        check_shared(changes, 3)
    else:
        with pytest.raises(InvalidValueError, match="one book at a time"):
            check_shared(changes, 3)
