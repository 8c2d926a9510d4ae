"""A publisher's collection is not a series: Open Library's series statements, as catalogues
write them, split into a name and a number, and the collections among them recognised."""

from __future__ import annotations

import pytest

from bookorbit_desktop.metadata_sources.publisher_collections import is_collection, series_entry

# (statement as Open Library records carry it, the edition's publisher, name, number, collection)
STATEMENTS = [
    ("Discworld ; 1", "Corgi", "Discworld", 1.0, False),
    ("Discworld (1)", None, "Discworld", 1.0, False),
    ("Discworld series", None, "Discworld", None, False),
    ("Foundation series #2", "Bantam Spectra", "Foundation", 2.0, False),
    ("A Song of Ice and Fire ; bk. 1", "Bantam", "A Song of Ice and Fire", 1.0, False),
    ("The Wheel of Time, book 3", "Tor", "The Wheel of Time", 3.0, False),
    ("Dune chronicles -- 2", None, "Dune chronicles", 2.0, False),
    ("Harry Potter ; 4", "Bloomsbury", "Harry Potter", 4.0, False),
    ("The Expanse ; 1.5", "Orbit", "The Expanse", 1.5, False),
    ("The Invisible Library ; 1", "Pan Books", "The Invisible Library", 1.0, False),
    ("Earthsea cycle", "Puffin", "Earthsea cycle", None, False),
    ("Kingkiller chronicle ; day 1", "DAW", "Kingkiller chronicle", 1.0, False),
    ("The Lord of the Rings ; pt. 1", "Houghton Mifflin", "The Lord of the Rings", 1.0, False),
    ("A Discworld novel", "Corgi", "Discworld", None, False),
    ("Sprawl trilogy ; 1", "Ace", "Sprawl trilogy", 1.0, False),
    ("Folio ; 2", "Gallimard", "Folio", 2.0, True),
    ("Collection Folio ; 1234", "Gallimard", "Collection Folio", 1234.0, True),
    ("Reclams Universal-Bibliothek ; Nr. 559", "Reclam", "Reclams Universal-Bibliothek",
     559.0, True),
    ("Bibliothek Suhrkamp ; Bd. 1234", "Suhrkamp", "Bibliothek Suhrkamp", 1234.0, True),
    ("Penguin classics", "Penguin Books", "Penguin classics", None, True),
    ("Oxford world's classics", "Oxford University Press", "Oxford world's classics", None,
     True),
    ("Classics", None, "Classics", None, True),
    ("Le livre de poche ; 3051", "Librairie générale française", "Le livre de poche", 3051.0,
     True),
    ("Livre de poche", None, "Livre de poche", None, True),
    ("Everyman's library ; 100", "Knopf", "Everyman's library", 100.0, True),
    ("Vintage international", "Vintage Books", "Vintage international", None, True),
    ("Modern Library", "Random House", "Modern Library", None, True),
    ("Fischer Taschenbuch ; 9042", "Fischer", "Fischer Taschenbuch", 9042.0, True),
    ("Puffin books", "Puffin", "Puffin books", None, True),
    ("A Bantam book", "Bantam", "A Bantam book", None, True),
    ("An Ace science fiction book", "Ace", "An Ace science fiction book", None, True),
    ("Folio junior ; 100", "Gallimard jeunesse", "Folio junior", 100.0, True),
    ("Harper Perennial modern classics", "Harper Perennial", "Harper Perennial modern classics",
     None, True),
    ("Vintage español", "Vintage Español", "Vintage español", None, True),
    ("Gallimard", "Éditions Gallimard", "Gallimard", None, True),
    ("Tor fantasy", "Tor Books", "Tor fantasy", None, True),
    ("559", None, None, 559.0, True),
    ("Nr. 12", None, None, 12.0, True),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "publisher", "name", "number", "collection"), STATEMENTS)
def test_a_series_statement_is_a_series_or_a_publishers_collection(
    raw, publisher, name, number, collection
):
    assert series_entry(raw) == (name, number)
    assert is_collection(name, publisher) is collection
