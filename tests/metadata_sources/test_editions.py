"""The "another edition" rule, table-driven: a record whose language or title disagrees with
the book's is another edition (pure function)."""

from __future__ import annotations

import unicodedata

import pytest

from bookorbit_desktop.metadata_sources.editions import other_edition, same_language
from bookorbit_desktop.metadata_sources.records import Candidate
from bookorbit_desktop.metadata_sources.source import same_title, title_key

MISERABLES = "Les Misérables"
NFD = unicodedata.normalize("NFD", MISERABLES)


def record(title: str | None, language: str | None = None) -> Candidate:
    return Candidate(source="openlibrary", source_id="x", title=title, language=language)


@pytest.mark.parametrize(
    ("local", "found", "reason"),
    [
        # the cases: a translation's ISBN in the book's file
        (("Der Hobbit", "de"), ("The Hobbit", "en"), "another edition: English, not German"),
        (("コンビニ人間", "ja"), ("Convenience Store Woman", "en"),
         "another edition: English, not Japanese"),
        (("コンビニ人間", None), ("Convenience Store Woman", "en"),
         "another edition: title differs"),
        (("Le Petit Prince", None), ("The Little Prince", None), "another edition: title differs"),
        # one language, however it is written
        (("Emma", "en"), ("Emma", "eng"), None),
        (("Emma", "English"), ("Emma", "en-GB"), None),
        (("Emma", "eng"), ("Emma", "English"), None),
        (("Emma", "ger"), ("Emma", "de"), None),
        (("Emma", "fre"), ("Emma", "en"), "another edition: English, not French"),
        # a macrolanguage and one of its languages are one language; two of its languages not
        (("Sofies verden", "nb"), ("Sofies verden", "no"), None),
        (("Sofies verden", "nob"), ("Sofies verden", "nor"), None),
        (("Sofies verden", "nb"), ("Sofies verden", "nn"),
         "another edition: Norwegian Nynorsk, not Norwegian Bokmål"),
        (("Sofies verden", "nb"), ("Sofies verden", "da"),
         "another edition: Danish, not Norwegian Bokmål"),
        (("Emma", "he"), ("Emma", "iw"), None),
        # a region counts only when both name one
        (("O Alquimista", "pt-BR"), ("O Alquimista", "pt"), None),
        (("O Alquimista", "pt-BR"), ("O Alquimista", "pt-PT"),
         "another edition: pt-PT, not pt-BR"),
        # a side without a language says nothing of it
        (("Emma", None), ("Emma", "en"), None),
        (("Emma", "en"), ("Emma", None), None),
        (("Emma", "und"), ("Emma", "fr"), None),
        # titles: articles, case, accents, NFC/NFD, punctuation, subtitles and series aside
        (("Der Hobbit", None), ("The Hobbit", None), None),
        (("FOUNDATION", "en"), ("Foundation", "en"), None),
        ((NFD, "fr"), (MISERABLES, "fr"), None),
        (("Les Miserables", "fr"), (MISERABLES, "fr"), None),
        # "Mr Fox" is Helen Oyeyemi's novel, "Fantastic Mr. Fox" Roald Dahl's: a title inside
        # another is another book, not the same one with a word dropped
        (("Mr Fox", None), ("Fantastic Mr. Fox", None), "another edition: title differs"),
        (("Mr Fox", None), ("Mr. Fox: A Novel", None), None),
        # a bare prefix is another book of the series, never this one
        (("Dune", "en"), ("Dune Messiah", "en"), "another edition: title differs"),
        (("Dune Messiah", "en"), ("Dune", "en"), "another edition: title differs"),
        (("Foundation", "en"), ("Foundation and Empire", "en"), "another edition: title differs"),
        # the main title with a subtitle or an alternative title is this book
        (("Dune", "en"), ("Dune: Deluxe Edition", "en"), None),
        (("Emma", "en"), ("Emma (Penguin Classics)", "en"), None),
        (("Emma", "en"), ("Emma. A Novel", "en"), None),
        (("The Hobbit", "en"), ("The Hobbit, or There and Back Again", "en"), None),
        (("Hobbit", "en"), ("The Hobbit", "en"), None),
        # a series prefix before the title is left out; a series and a number alone name no
        # title, so the record's "Harry Potter and ..." cannot be told to be the book's
        (("Discworld 1: The Colour of Magic", "en"), ("The Colour of Magic", "en"), None),
        (("Harry Potter 1 - Harry Potter and the Philosopher's Stone", "en"),
         ("Harry Potter and the Philosopher's Stone", "en"), None),
        (("Harry Potter 1", "en"), ("Harry Potter and the Philosopher's Stone", "en"),
         "another edition: title differs"),
        (("Discworld 1: The Colour of Magic", "en"), ("Discworld 2: The Light Fantastic", "en"),
         "another edition: title differs"),
        (("Apollo 13: A Novel", "en"), ("Catch 22: A Novel", "en"),
         "another edition: title differs"),
        (("The Martian", "en"), ("The Martian: A Novel", "en"), None),
        (("Discworld 01 - The Colour of Magic", "en"), ("The Colour of Magic", "en"), None),
        (("Foundation", "en"), ("Foundation (Foundation, #1)", "en"), None),
        (("the_martian", "en"), ("The Martian", "en"), None),
        (("Harry Potter and the Philosopher's Stone", "en"),
         ("Harry Potter and the Sorcerer's Stone", "en"), "another edition: title differs"),
        # a placeholder or missing title says nothing
        (("Unknown", "en"), ("Dune", "en"), None),
        (("!!!", "en"), ("Dune", "en"), None),
        (("Dune", "en"), (None, "en"), None),
        # the language is the first reason given when both disagree
        (("Der kleine Prinz", "de"), ("The Little Prince", "en"),
         "another edition: English, not German"),
    ],
)  # fmt: skip
def test_another_edition(local, found, reason):
    title, language = local
    assert other_edition({"title": title, "language": language}, record(*found)) == reason


def test_titles_are_compared_composed_accents_case_and_a_leading_article_aside():
    assert title_key(NFD) == title_key(MISERABLES) == "miserables"
    assert title_key("The") == "the"  # an article alone is the whole title
    assert same_title("A Tale of Two Cities", "a tale of two cities")
    assert not same_title("Convenience Store Woman", "Convenience Stories")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("nb", "no", True),
        ("no", "nb", True),
        ("nn", "no", True),
        ("nb", "nn", False),  # Bokmål and Nynorsk: two written standards
        ("no", "da", False),
        ("he", "iw", True),  # a retired code and its successor
        ("id", "in", True),
        ("yi", "ji", True),
        ("zh", "cmn", True),
        ("zh-Hant", "cmn", True),
        ("zh-TW", "zh-CN", False),
        ("cmn", "yue", False),  # Mandarin and Cantonese
        ("ms", "zsm", True),
        ("ms", "id", False),  # Indonesian books are other editions than Malaysia's
        ("ar", "arb", True),
        ("fa", "prs", True),
        ("sw", "swh", True),
        ("en", "eng", True),
        ("en", "English", True),
        ("en", "de", False),
    ],
)
def test_one_language_however_it_is_coded(a, b, same):
    assert same_language(a, b) is same
    assert same_language(b, a) is same
