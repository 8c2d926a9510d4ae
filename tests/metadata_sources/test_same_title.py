"""The title check every source's title search applies to its hits, table-driven: the same
title (case, accents, spacing and punctuation aside) or one title followed by a subtitle, never
a bare prefix, so "Fill Empty Fields" never copies another book's values."""

from __future__ import annotations

import pytest

from bookorbit_desktop.metadata_sources.source import same_title


@pytest.mark.parametrize(
    ("asked", "found"),
    [
        ("Dune", "Dune"),
        ("dune", "DUNE"),
        ("Fantastic Mr Fox", "Fantastic Mr. Fox"),
        ("Les Misérables", "Les Miserables"),
        ("Pride & Prejudice", "Pride and Prejudice"),
        ("Harry Potter and the Half-Blood Prince", "Harry Potter and the Half Blood Prince"),
        ("Dune", "Dune: Deluxe Edition"),
        ("Dune: Deluxe Edition", "Dune"),
        ("Emma", "Emma (Penguin Classics)"),
        ("Dune (Dune Chronicles, #1)", "Dune"),
        ("Dune", "Dune - The Graphic Novel"),
        ("Dune", "Dune — The Graphic Novel"),
        ("It", "It: A Novel"),
        ("Nausicaä", "Nausicaa; Volume One"),
        ("The Hobbit", "Hobbit"),
        ("The Hobbit", "The Hobbit, or There and Back Again"),
        ("Emma", "Emma. A Novel"),
        ("Mr Fox", "Mr. Fox: A Novel"),
        ("Discworld 1: The Colour of Magic", "The Colour of Magic"),
        ("The Colour of Magic: A Discworld Novel", "Discworld #1 - The Colour of Magic"),
    ],
)
def test_the_same_title_or_it_with_a_subtitle_is_kept(asked, found):
    assert same_title(asked, found)


@pytest.mark.parametrize(
    ("asked", "found"),
    [
        ("Emma", "Emmanuel"),
        ("Emmanuel", "Emma"),
        ("Dune", "Dune Messiah"),
        ("Dune Messiah", "Dune"),
        ("It", "It Ends with Us"),
        ("It", "Italy"),
        ("Star Wars: A New Hope", "Star Wars: The Empire Strikes Back"),  # only the main title
        ("Dune", "Children of Dune"),
        ("Foundation", "Foundation and Empire"),
        ("Mr Fox", "Fantastic Mr. Fox"),
        ("Harry Potter 1", "Harry Potter and the Philosopher's Stone"),
        ("1984: A Novel", "A Novel"),  # a number alone is no series prefix
        ("Kings", "Kings, Orcs and Elves"),
        ("Dune", "Dune-Messiah"),  # a hyphen inside a word is no subtitle separator
        ("Dune", None),
        ("Dune", ""),
        ("", "Dune"),
        ("!!!", "???"),
    ],
)
def test_a_bare_prefix_or_another_title_is_another_book(asked, found):
    assert not same_title(asked, found)
