"""Tags on a real SQLite library: added, removed, renamed, merged and deleted, each one step
of the change journal whose undo gives every book back exactly the tags it had."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.editing.removal import remove_books
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.tags.changes import change_tags, delete_tag, rename_tag
from bookorbit_desktop.library.tags.store import TagCount, book_tags, tag_counts
from tests.factories import add_book


def _tags(*books: Book) -> list[list[str]]:
    found = book_tags([book.id for book in books])
    return [found[book.id] for book in books]


def _names() -> list[str]:
    return [name for (name,) in database.execute_sql("SELECT name FROM tag ORDER BY name")]


def test_tags_are_added_and_removed_as_one_undoable_step(library):
    emma, dune = add_book("Emma"), add_book("Dune")
    assert change_tags([emma.id, dune.id], library, add=["Classic", "to read"]) == 2
    assert steps.next_undo().label == "Change Tags of 2 Books"
    assert _tags(emma, dune) == [["Classic", "to read"], ["Classic", "to read"]]
    assert tag_counts() == [TagCount("Classic", 2), TagCount("to read", 2)]

    assert change_tags([dune.id], library, add=["SF"], remove=["classic"]) == 1
    assert steps.next_undo().label == "Change Tags of “Dune”"
    assert _tags(dune) == [["SF", "to read"]]

    run.undo(library)
    assert _tags(emma, dune) == [["Classic", "to read"], ["Classic", "to read"]]
    assert _names() == ["Classic", "to read"]  # the tag no book carries went
    run.undo(library)
    assert _tags(emma, dune) == [[], []] and tag_counts() == [] and _names() == []
    run.redo(library)
    assert _tags(emma, dune) == [["Classic", "to read"], ["Classic", "to read"]]


def test_a_name_in_another_case_joins_the_existing_tag(library):
    emma, dune = add_book("Emma"), add_book("Dune")
    change_tags([emma.id], library, add=["Science Fiction"])
    change_tags([dune.id], library, add=["science fiction", "SCIENCE FICTION"])
    assert _tags(emma, dune) == [["Science Fiction"], ["Science Fiction"]]
    assert tag_counts() == [TagCount("Science Fiction", 2)]


def test_a_change_that_changes_nothing_is_no_step(library):
    emma = add_book("Emma")
    change_tags([emma.id], library, add=["Classic"])
    assert change_tags([emma.id], library, add=["classic"], remove=["Horror"]) == 0
    assert steps.next_undo().label == "Change Tags of “Emma”"
    run.undo(library)
    assert steps.next_undo() is None


@pytest.mark.parametrize(
    ("add", "remove", "error", "message"),
    [
        ([], [], InvalidValueError, "Nothing to change"),
        (["a,b"], [], InvalidValueError, "cannot hold a comma"),
        (["Horror"], ["horror"], InvalidValueError, "both added and removed"),
    ],
)
def test_a_wrong_change_writes_nothing(library, add, remove, error, message):
    emma = add_book("Emma")
    with pytest.raises(error, match=message):
        change_tags([emma.id], library, add=add, remove=remove)
    assert _tags(emma) == [[]] and steps.next_undo() is None


def test_a_missing_book_writes_nothing(library):
    emma = add_book("Emma")
    with pytest.raises(NotFoundError, match="no book with id 999"):
        change_tags([emma.id, 999], library, add=["Classic"])
    assert _tags(emma) == [[]]


def test_a_rename_is_undone_exactly(library):
    emma, dune = add_book("Emma"), add_book("Dune")
    change_tags([emma.id, dune.id], library, add=["Scifi"])
    change_tags([emma.id], library, add=["Romance"])
    assert rename_tag("scifi", "Science Fiction", library) == 2
    assert steps.next_undo().label == "Rename Tag “Scifi” to “Science Fiction”"
    assert _tags(emma, dune) == [["Romance", "Science Fiction"], ["Science Fiction"]]
    assert _names() == ["Romance", "Science Fiction"]

    run.undo(library)
    assert _tags(emma, dune) == [["Romance", "Scifi"], ["Scifi"]]
    assert _names() == ["Romance", "Scifi"]


def test_a_rename_in_case_only_respells_the_tag(library):
    emma, dune = add_book("Emma"), add_book("Dune")
    change_tags([emma.id, dune.id], library, add=["scifi"])
    rename_tag("scifi", "SciFi", library)
    assert _tags(emma, dune) == [["SciFi"], ["SciFi"]]
    run.undo(library)
    assert _tags(emma, dune) == [["scifi"], ["scifi"]] and _names() == ["scifi"]


def test_a_rename_to_an_existing_name_merges_and_undo_parts_them(library):
    emma, dune, solaris = add_book("Emma"), add_book("Dune"), add_book("Solaris")
    change_tags([emma.id, dune.id], library, add=["Scifi"])
    change_tags([dune.id, solaris.id], library, add=["Science Fiction"])
    assert rename_tag("Scifi", "science fiction", library) == 2
    assert steps.next_undo().label == "Merge Tag “Scifi” into “Science Fiction”"
    assert _tags(emma, dune, solaris) == [["Science Fiction"]] * 3
    assert tag_counts() == [TagCount("Science Fiction", 3)]

    run.undo(library)
    assert _tags(emma, dune, solaris) == [
        ["Scifi"], ["Science Fiction", "Scifi"], ["Science Fiction"]]  # fmt: skip
    run.redo(library)
    assert _names() == ["Science Fiction"]


def test_a_deleted_tag_comes_back_with_undo(library):
    emma, dune = add_book("Emma"), add_book("Dune")
    change_tags([emma.id, dune.id], library, add=["Classic", "Owned"])
    assert delete_tag("CLASSIC", library) == 2
    assert steps.next_undo().label == "Delete Tag “Classic”"
    assert _tags(emma, dune) == [["Owned"], ["Owned"]] and _names() == ["Owned"]
    run.undo(library)
    assert _tags(emma, dune) == [["Classic", "Owned"], ["Classic", "Owned"]]


@pytest.mark.parametrize("change", [rename_tag, delete_tag])
def test_a_tag_that_does_not_exist_is_named(library, change):
    args = ("Nope", "Other") if change is rename_tag else ("Nope",)
    with pytest.raises(NotFoundError, match="There is no tag “Nope”"):
        change(*args, library)


def test_a_removed_book_comes_back_with_its_tags(library):
    emma = add_book("Emma")
    change_tags([emma.id], library, add=["Classic"])
    remove_books([emma.id], library, trash_files=False)
    assert tag_counts() == []
    run.undo(library)
    [back] = Book.select().where(Book.title == "Emma")
    assert _tags(back) == [["Classic"]]


def test_an_edit_undone_keeps_tags_it_did_not_touch(library):
    from bookorbit_desktop.library.editing.apply import edit_books
    from bookorbit_desktop.library.editing.values import BookChanges

    emma = add_book("Emma")
    change_tags([emma.id], library, add=["Classic"])
    edit_books([emma.id], BookChanges(title="Emma!"), library)
    run.undo(library)
    assert _tags(emma) == [["Classic"]]
