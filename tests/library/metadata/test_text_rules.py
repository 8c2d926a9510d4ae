"""Pure text rules: languages, sort titles, titles from file names."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookorbit_desktop.library.metadata.languages import base_language, normalize_language
from bookorbit_desktop.library.metadata.model import (
    BookMetadata,
    Creator,
    parse_published,
    parse_series_index,
)
from bookorbit_desktop.library.metadata.naming import (
    clean_text,
    creator_name,
    sort_title,
    title_from_filename,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en", "en"),
        ("en-US", "en"),  # the region of English changes nothing for a reader
        ("EN_us", "en"),
        ("eng", "en"),
        ("fre", "fr"),
        ("fra", "fr"),
        ("ger", "de"),
        ("pt_BR", "pt-BR"),  # Brazilian and European Portuguese are different editions
        ("pt-pt", "pt-PT"),
        ("pt", "pt"),
        ("zh-TW", "zh-TW"),
        ("zh-Hant", "zh-Hant"),
        ("sr-Latn-RS", "sr-Latn"),
        ("ja-Jpan", "ja"),  # the default script says nothing
        ("kor", "ko"),
        ("iw", "he"),  # deprecated code
        ("English", "en"),
        ("und", None),
        ("UND", None),
        ("mul", None),
        ("zxx", None),
        ("unknown", None),
        ("x-foo", None),
        ("", None),
        (None, None),
        ("  ", None),
        ("en,fr", None),
    ],
)
def test_normalize_language(value, expected):
    assert normalize_language(value) == expected


def test_base_language():
    assert base_language("pt-BR") == "pt"
    assert base_language(None) is None


@given(st.text(max_size=30))
def test_normalize_language_never_raises(value):
    result = normalize_language(value)
    assert result is None or (result and " " not in result)


@pytest.mark.parametrize(
    ("title", "language", "expected"),
    [
        ("The Hobbit", None, "hobbit, the"),
        ("The Hobbit", "en-GB", "hobbit, the"),
        ("A Tale of Two Cities", "en", "tale of two cities, a"),
        ("An", "en", "an"),  # an article alone stays
        ("Die Verwandlung", "de", "verwandlung, die"),
        ("Die Hard", "en", "die hard"),  # only the book's own language's articles move
        ("L'Étranger", "fr", "étranger, l"),
        ("Les Misérables", "fr", "misérables, les"),
        ('  "The Road"  ', None, "road, the"),
        ("전쟁과 평화", "ko", "전쟁과 평화"),
        ("Война и мир", "ru", "война и мир"),
        ("ഖസാക്കിന്റെ ഇതിഹാസം", "ml", "ഖസാക്കിന്റെ ഇതിഹാസം"),
        ('""', None, '""'),  # nothing but quotes: keep something
    ],
)
def test_sort_title(title, language, expected):
    assert sort_title(title, language) == expected


@given(st.text(min_size=1, max_size=40).filter(lambda t: t.strip()))
def test_sort_title_is_never_empty_for_non_blank_titles(title):
    assert sort_title(title)


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("The_Great_Gatsby_(2004)_[retail].epub", "The Great Gatsby"),
        ("The.Great.Gatsby.epub", "The Great Gatsby"),
        ("Walt Whitman - Leaves of Grass.epub", "Walt Whitman - Leaves of Grass"),
        ("book.fb2.zip", "book"),
        ("my book.kepub.epub", "my book"),
        ("전쟁과 평화.fb2", "전쟁과 평화"),
        ("Dune (z-lib.org).epub", "Dune"),
        ("[abc].epub", "[abc]"),  # nothing left after cleaning: keep the stem
        ("(2019).pdf", "(2019)"),
    ],
)
def test_title_from_filename(file_name, expected):
    assert title_from_filename(file_name) == expected


def test_clean_text():
    assert clean_text("  a\n\t b\x00c\u00ad ") == "a b c"
    assert clean_text("   ") is None
    assert clean_text(None) is None


def test_clean_text_blanks_exactly_the_control_and_separator_characters():
    every = [chr(code) for code in range(sys.maxunicode + 1)]
    blanked = [char for char in every if unicodedata.category(char) in ("Cc", "Zl", "Zp")]
    assert clean_text("a" + "".join(blanked) + "b") == "a b"
    # Every other character stays (but white space, collapsed, and the soft hyphen, dropped).
    kept = [c for c in every if c not in blanked and not c.isspace() and c != "\u00ad"]
    assert clean_text("a" + "".join(kept) + "b") == "a" + "".join(kept) + "b"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019", "2019"),
        ("2019-5-3", "2019-05-03"),
        ("2019-05-03T00:00:00+00:00", "2019-05-03"),
        ("0101-01-01T00:00:00+00:00", None),  # calibre's "no date"
        ("2019-13-01", "2019"),
        ("2019-02-30", "2019-02"),
        ("May 2019", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2", 2.0),
        ("2.5", 2.5),
        ("02", 2.0),
        ("1,5", 1.5),
        ("II", None),
        ("-1", None),
        ("nan", None),
        (None, None),
    ],
)
def test_parse_series_index(value, expected):
    assert parse_series_index(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Live Systems Project <list@example.org>", ("Live Systems Project", None)),
        ("Jay Rubin (Translator)", ("Jay Rubin", "trl")),
        ("Jay Rubin [translator]", ("Jay Rubin", "trl")),
        ("Ann Editor (Ed.) <ann@example.org>", ("Ann Editor", "edt")),
        ("Sam Draw (Illustrator)", ("Sam Draw", "ill")),
        ("Prince (Musician)", ("Prince (Musician)", None)),  # not a role: part of the name
        ("(Translator)", ("(Translator)", None)),  # nothing but the role: kept as written
        ("<only@example.org>", ("<only@example.org>", None)),
        ("J. R. R. Tolkien", ("J. R. R. Tolkien", None)),
        ("a <b> c", ("a <b> c", None)),  # angle brackets without an address stay
    ],
)
def test_creator_name_drops_addresses_and_reads_role_suffixes(value, expected):
    assert creator_name(value) == expected


def test_finish_cleans_creators_and_moves_written_roles_after_the_authors(tmp_path):
    metadata = BookMetadata(
        "epub",
        title="Norwegian Wood",
        creators=[
            Creator("Jay Rubin (Translator)"),
            Creator("Haruki Murakami <haruki@example.org>"),
            Creator("Ann Editor (Editor)", "edt"),
        ],
    ).finish(tmp_path / "book.epub")
    assert metadata.authors == ["Haruki Murakami"]
    assert [(c.name, c.role) for c in metadata.creators] == [
        ("Haruki Murakami", "aut"),
        ("Jay Rubin", "trl"),
        ("Ann Editor", "edt"),
    ]
