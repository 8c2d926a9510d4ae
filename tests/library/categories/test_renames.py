"""Renaming an author, a series or a publisher for every book that has it: one undoable step
(undo gives each book back exactly what it had), a name another value has merges the two into
that one, and the Inbox's books are left as they are."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.categories.counts import category
from bookorbit_desktop.library.categories.renames import merges_into, rename
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.run import undo
from bookorbit_desktop.library.store.models import Author, Book, BookAuthor
from tests.library.categories.small_library import BOOKS, HELD


def authors_of(book_id: int) -> list[str]:
    query = (
        Author.select(Author.name)
        .join(BookAuthor)
        .where(BookAuthor.book == book_id)
        .order_by(BookAuthor.position)
    )
    return [author.name for author in query]


def column(title: str, name: str) -> object:
    return getattr(Book.get(Book.title == title), name)


def test_a_series_renamed_is_one_step_that_undo_takes_back(books, library):
    assert merges_into("series", "Dune", "Dune Chronicles") is None
    assert rename("series", "Dune", "  Dune   Chronicles ", library) == 2
    assert steps.latest().label == "Rename Series “Dune” to “Dune Chronicles”"
    assert [column(t, "series") for t in ("Dune", "Dune Messiah")] == ["Dune Chronicles"] * 2
    assert column(HELD[0], "series") == "Dune"  # waiting in the Inbox: not one of those listed
    undo(library)
    assert [column(t, "series") for t in ("Dune", "Dune Messiah")] == ["Dune", "Dune"]


def test_a_publisher_renamed_to_another_s_name_merges_into_it(books, library):
    assert merges_into("publishers", "Penguin", "ACE") == "Ace"
    assert rename("publishers", "Penguin", "ACE", library) == 2  # Emma and Persuasion
    assert steps.latest().label == "Merge Publisher “Penguin” into “Ace”"
    assert list(category("publishers").rows) == [("Ace", 5)]
    undo(library)
    assert [column(t, "publisher") for t in ("Emma", "Persuasion")] == ["Penguin", "penguin"]


def test_respelling_a_value_is_no_merge(books, library):
    assert merges_into("publishers", "Penguin", "PENGUIN") is None
    rename("publishers", "Penguin", "PENGUIN", library)
    assert [column(t, "publisher") for t in ("Emma", "Persuasion")] == ["PENGUIN", "PENGUIN"]


def test_authors_merge_and_a_book_credits_the_one_left_once(books, library):
    omens = books["Good Omens"]
    assert merges_into("authors", "Neil Gaiman", "terry pratchett") == "Terry Pratchett"
    assert rename("authors", "Neil Gaiman", "terry pratchett", library) == 1
    assert authors_of(omens) == ["Terry Pratchett"]
    assert ("Neil Gaiman", 1) not in category("authors").rows
    undo(library)
    assert authors_of(omens) == ["Terry Pratchett", "Neil Gaiman"]


def test_an_author_renamed_keeps_the_credit_s_place(books, library):
    omens = books["Good Omens"]
    rename("authors", "Terry Pratchett", "Sir Terry Pratchett", library)
    assert authors_of(omens) == ["Sir Terry Pratchett", "Neil Gaiman"]
    assert steps.latest().label == "Rename Author “Terry Pratchett” to “Sir Terry Pratchett”"
    assert authors_of(books[HELD[0]]) == ["Jane Austen"]


@pytest.mark.parametrize(
    ("kind", "new", "why"),
    [
        ("series", "   ", "A series needs a name"),
        ("authors", "Ann & Bob", "names several authors"),
    ],
)
def test_a_name_that_is_none_is_refused_and_nothing_changes(books, library, kind, new, why):
    old = "Dune" if kind == "series" else BOOKS[0][1][0]
    before = steps.latest()
    with pytest.raises(InvalidValueError, match=why):
        rename(kind, old, new, library)
    assert steps.latest() == before
    assert column("Dune", "series") == "Dune" and authors_of(books["Emma"]) == ["Jane Austen"]
