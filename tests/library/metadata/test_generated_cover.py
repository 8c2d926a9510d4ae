"""The generated cover of a book without one: a colour from the title (the same on every run),
the text wrapped and fitted, a font that has the letters, made once per title, authors and
series, never stored as the book's cover (real SQLite, real Pillow)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from bookorbit_desktop.library.metadata import cover_fonts
from bookorbit_desktop.library.metadata.cover_fonts import font_for
from bookorbit_desktop.library.metadata.generated_cover import (
    TITLE_BOX,
    TITLE_SIZES,
    cover_colour,
    cover_name,
    fitted,
    generated_covers,
    render,
    series_text,
    wrap,
)
from bookorbit_desktop.library.store.models import Book
from tests.factories import add_book


def test_the_colour_comes_from_the_folded_title_and_never_changes():
    # A fixed value: a colour that changed between runs or releases would fail here.
    assert cover_colour("Dune") == (48, 46, 138)
    assert cover_colour("  DUNE ") == cover_colour("dune") == cover_colour("Dune")
    assert cover_colour("Emma") != cover_colour("Dune")
    for title in ("Dune", "Emma", "三体", "الخيميائي", ""):
        assert max(cover_colour(title)) < 200  # dark enough for white text


@pytest.mark.parametrize(
    ("changed", "same"),
    [
        (("Dune", ["Frank Herbert"], None), False),
        (("Dune Messiah", ["Frank Herbert"], "Dune 2"), False),
        (("Dune Messiah", ["F. Herbert"], "Dune 1"), False),
        (("Dune Messiah", ["Frank Herbert"], "Dune 1"), True),
    ],
)
def test_the_cover_is_named_by_its_texts(changed, same):
    assert (cover_name(*changed) == cover_name("Dune Messiah", ["Frank Herbert"], "Dune 1")) is same


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("The Left Hand of Darkness", 12, ["The Left", "Hand of", "Darkness"]),
        ("Dune", 12, ["Dune"]),
        # A word longer than a line breaks between letters, hyphenated; the words around it
        # stay whole and share its lines.
        ("Supercalifragilistic", 8, ["Superca-", "lifragi-", "listic"]),
        ("The Supercalifragilistic One", 8, ["The", "Superca-", "lifragi-", "listic", "One"]),
        ("FOUNDATION", 9, ["FOUNDATI-", "ON"]),
        ("A FOUNDATION", 10, ["A", "FOUNDATION"]),
        ("Hi Extraordinary", 6, ["Hi", "Extra-", "ordin-", "ary"]),
        ("Ab", 1, ["A-", "b"]),  # a line narrower than a letter and its hyphen still ends
        ("三体问题三部曲", 3, ["三体问", "题三部", "曲"]),  # CJK: between letters, no hyphen
        ("Foundation 三体问题", 4, ["Fou-", "nda-", "tion", "三体问题"]),
        ("  spaced   out  ", 20, ["spaced out"]),
        ("", 10, []),
    ],
)
def test_wrap(text, width, lines):
    assert wrap(text, lambda line: len(line) <= width) == lines


@pytest.mark.parametrize(
    "title",
    [
        "FOUNDATION",  # set smaller rather than broken ("FOUNDATIO/N")
        "FOUNDATION AND EMPIRE",
        "The Left Hand of Darkness",
        "INCOMPREHENSIBILITIES",
        "Jonathan Strange & Mr Norrell",
    ],
)
def test_a_title_wraps_between_words_at_the_largest_size_that_keeps_them_whole(title):
    face, lines, _step = fitted(title, font_for(title), TITLE_BOX, TITLE_SIZES)
    assert " ".join(lines) == title  # every word whole, on one line
    width = TITLE_BOX[2] - TITLE_BOX[0]
    assert all(face.getlength(line) <= width for line in lines)


def test_only_a_word_too_long_at_the_smallest_size_is_hyphenated():
    face, lines, _step = fitted("Honorificabilitudinitatibus", None, (0, 0, 200, 400), (40, 20))
    assert face.size == 20
    assert len(lines) > 1 and all(line.endswith("-") for line in lines[:-1])
    assert "".join(line.removesuffix("-") for line in lines) == "Honorificabilitudinitatibus"


def test_text_too_long_for_its_box_is_cut_with_an_ellipsis():
    face, lines, step = fitted("word " * 400, None, (0, 0, 500, 200), (40, 20))
    assert len(lines) * step <= 200 and lines[-1].endswith("…")
    assert all(face.getlength(line) <= 500 for line in lines)


def test_series_text():
    assert series_text("Dune", 2.0) == "Dune 2"
    assert series_text("Dune", 2.5) == "Dune 2.5"
    assert series_text("Dune", None) == "Dune"
    assert series_text(None, 3.0) == ""


def test_the_cover_is_a_jpeg_on_the_titles_colour():
    data = render("The Left Hand of Darkness", ["Ursula K. Le Guin"], "Hainish Cycle 4")
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (600, 900)
        corner = image.getpixel((5, 5))
    expected = cover_colour("The Left Hand of Darkness")
    assert all(abs(a - b) <= 6 for a, b in zip(corner, expected, strict=True))


DEJAVU = next(
    (path for path in cover_fonts.font_files() if path.stem.lower() == "dejavusans"), None
)


@pytest.mark.skipif(DEJAVU is None, reason="needs the DejaVu Sans font")
def test_a_font_with_every_letter_is_chosen_and_the_one_with_most_otherwise(tmp_path):
    assert DEJAVU is not None
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"not a font")
    assert cover_fonts.missing_letters(DEJAVU, "Dune — Frank Herbert") == 0
    assert cover_fonts.missing_letters(DEJAVU, "الخيميائي") == 0  # DejaVu has Arabic
    assert cover_fonts.missing_letters(DEJAVU, "三体") == 2
    assert cover_fonts.font_for("Dune", [not_a_font, DEJAVU]) == DEJAVU
    assert cover_fonts.font_for("三体", [not_a_font, DEJAVU]) == DEJAVU  # the best there is
    assert cover_fonts.font_for("Dune", []) is None  # Pillow's own font
    for title in ("三体", "الخيميائي"):  # drawn, whatever the fonts at hand
        assert render(title, ["刘慈欣"]).startswith(b"\xff\xd8")


def test_fonts_are_ranked_by_the_preferred_names():
    files = [Path("/f/Zapfino.ttf"), Path("/f/DejaVuSans.ttf"), Path("/f/NotoSans-Bold.ttf")]
    assert [p.name for p in cover_fonts.ranked(files)] == [
        "NotoSans-Bold.ttf",
        "DejaVuSans.ttf",
        "Zapfino.ttf",
    ]


def test_made_once_per_texts_and_anew_after_an_edit(library):
    book = add_book("Dune", ["Frank Herbert"], series="Dune", series_index=1)
    (first,) = generated_covers(library, [book.id]).values()
    made = first.stat().st_mtime_ns
    assert generated_covers(library, [book.id])[book.id] == first
    assert first.stat().st_mtime_ns == made  # not drawn again
    assert first.parent == library.cache_dir / "generated-covers"
    Book.update(title="Dune Messiah").where(Book.id == book.id).execute()
    again = generated_covers(library, [book.id])[book.id]
    assert again != first and again.is_file()
    assert Book.get_by_id(book.id).cover_path is None  # never the book's own cover
    assert generated_covers(library, [book.id + 1000]) == {}  # no such book
