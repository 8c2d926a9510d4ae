"""Renaming a custom column's value for every book that has it: one undoable step (undo gives
each book back exactly what it had, in every case it was spelled), a name another value has
(case and accents aside) merges the two, a fixed list's value only into another of the list,
and the Inbox's books are left as they are."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.categories.custom import any_category
from bookorbit_desktop.library.categories.custom_renames import merges_into, rename
from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.run import undo


def values(column, books) -> dict[str, object]:
    found = store.column_values(column.id)
    return {title: found[book_id] for title, book_id in books.items() if book_id in found}


def test_a_text_value_renamed_is_one_step_that_undo_takes_back(columns, books, library):
    place = columns["Place"]
    before = values(place, books)
    assert merges_into(place, "Bath", "Bath  Spa") is None
    assert rename(place, "Bath", " Bath  Spa", library) == 2  # "Bath" and "bath"
    assert steps.latest().label == "Rename Place “Bath” to “Bath Spa”"
    after = values(place, books)
    assert (after["Emma"], after["Persuasion"], after["Inbox"]) == ("Bath Spa", "Bath Spa", "Bath")
    undo(library)
    assert values(place, books) == before


def test_a_tag_like_value_merges_into_another_and_a_book_keeps_one_of_them(columns, books, library):
    genre = columns["Genre"]
    before = values(genre, books)
    assert merges_into(genre, "Romance", "FANTASY") == "Fantasy"
    assert rename(genre, "Romance", "FANTASY", library) == 3
    assert steps.latest().label == "Merge Genre “Romance” into “Fantasy”"
    after = values(genre, books)
    assert after["Emma"] == ["Fantasy", "classic"]  # in the merged value's place
    assert after["Good Omens"] == ["sf.politics", "Fantasy", "sf"]  # it had both: once
    assert after["Inbox"] == ["romance", "sf.space", "SF.politics", "sf"]
    category = any_category(genre.key)
    assert category is not None
    assert [(v.path, v.books) for v in category.tree][:2] == [("classic", 1), ("Fantasy", 3)]
    undo(library)
    assert values(genre, books) == before


def test_a_dotted_value_is_renamed_alone(columns, books, library):
    genre = columns["Genre"]
    rename(genre, "sf", "science", library)
    after = values(genre, books)
    assert after["Good Omens"] == ["sf.politics", "Fantasy", "romance", "science"]
    assert after["Dune"] == ["sf.space", "Élan"]


def test_a_fixed_list_s_value_is_renamed_only_to_another_of_the_list(columns, books, library):
    mood = columns["Mood"]
    with pytest.raises(InvalidValueError, match="Mood takes one of: calm, dark, tense"):
        rename(mood, "calm", "serene", library)
    assert merges_into(mood, "calm", "DARK") == "dark"
    rename(mood, "calm", "DARK", library)
    assert steps.latest().label == "Merge Mood “calm” into “dark”"
    assert values(mood, books)["Emma"] == "dark"
    rename(mood, "tense", "Calm", library)  # no book has it now: a rename, spelled as listed
    assert values(mood, books)["Good Omens"] == "calm"


@pytest.mark.parametrize(
    ("name", "new", "why"),
    [
        ("Place", "   ", "A value of Place needs a name"),
        ("Genre", "sf, fantasy", "names several values of Genre"),
    ],
)
def test_a_name_that_is_none_is_refused_and_nothing_changes(
    columns, books, library, name, new, why
):
    column = columns[name]
    before, latest = values(column, books), steps.latest()
    old = "Bath" if name == "Place" else "sf"
    with pytest.raises(InvalidValueError, match=why):
        rename(column, old, new, library)
    assert (values(column, books), steps.latest()) == (before, latest)
