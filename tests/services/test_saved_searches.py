"""Saved searches in the library's settings: names given once (case aside), searches checked
before they are kept, order kept; a refused save or rename changes nothing."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.services.library.saved_searches import (
    MAX_NAME,
    SavedSearch,
    delete_search,
    rename_search,
    save_search,
    saved_searches,
)


@pytest.fixture
def two(library) -> None:
    save_search("Good ones", "rating:>=4")
    save_search("Reading", "status:reading")


@pytest.mark.parametrize(
    ("name", "search", "refused"),
    [
        ("", "dune", "Give the search a name."),
        ("   ", "dune", "Give the search a name."),
        ("x" * (MAX_NAME + 1), "dune", f"A name is at most {MAX_NAME} characters."),
        ("good ONES", "dune", "There is already a saved search named 'good ONES'."),
        ("New", "  ", "There is no search to save: type one in the filter box."),
        ("New", '"dune', "The search cannot be read: Unclosed quote."),
        ("New", "ratng:4", "The search cannot be read: Unknown field 'ratng' — did you mean"),
    ],
)
def test_refused_saves_change_nothing(two, name, search, refused):
    before = saved_searches()
    with pytest.raises(InvalidValueError) as raised:
        save_search(name, search)
    assert raised.value.message.startswith(refused)
    assert saved_searches() == before


def test_save_rename_delete(two):
    assert save_search("  Sci   fi ", " tags:sci-fi ") == SavedSearch("Sci fi", "tags:sci-fi")
    assert rename_search("Good ones", "GOOD ONES") == SavedSearch("GOOD ONES", "rating:>=4")
    with pytest.raises(InvalidValueError, match="already a saved search named 'reading'"):
        rename_search("GOOD ONES", "reading")
    with pytest.raises(InvalidValueError, match="No saved search is named 'Gone'"):
        rename_search("Gone", "Back")
    delete_search("Reading")
    delete_search("Gone")  # nothing
    assert saved_searches() == [
        SavedSearch("GOOD ONES", "rating:>=4"),
        SavedSearch("Sci fi", "tags:sci-fi"),
    ]
