"""The merge's side-by-side values on a real library: two descriptions that differ only near
their ends are shown whole, so that the user can tell which to keep (the window and the
command line shorten them to fit, the window's tooltip holds the rest)."""

from __future__ import annotations

from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.services.library.merge import MergeService
from tests.library.merge.copies import two_copies

OPENING = "A stunning blend of adventure and mysticism, environmentalism and politics. "
MINE = OPENING + "The first book."
THEIRS = OPENING + "The first book, with an introduction by Brian Herbert."


def describe_both(library, tmp_path) -> tuple[int, int]:
    epub, pdf = two_copies(library, tmp_path)
    edit_books([epub], BookChanges(description=MINE), library)
    edit_books([pdf], BookChanges(description=THEIRS), library)
    return epub, pdf


def test_two_long_descriptions_are_shown_whole(library, tmp_path):
    epub, pdf = describe_both(library, tmp_path)
    seen = MergeService(library).side_by_side(epub, pdf)
    [row] = [row for row in seen.rows if row.name == "description"]
    assert (row.keep, row.other) == (MINE, THEIRS)
    assert row.choice == "other"  # the longer one


def test_the_identifiers_are_shown_as_typed_and_a_copy_without_any_takes_the_others(
    library, tmp_path
):
    epub, pdf = two_copies(library, tmp_path)
    edit_books([epub], BookChanges(identifiers={}), library)
    edit_books([pdf], BookChanges(identifiers={"goodreads": "234225", "asin": "B0"}), library)
    service = MergeService(library)
    [row] = [row for row in service.side_by_side(epub, pdf).rows if row.name == "identifiers"]
    assert (row.keep, row.other) == ("(none)", "goodreads:234225, asin:B0")
    assert row.choice == "other"  # a value beats none
    service.merge(epub, pdf)
    assert Book.get_by_id(epub).identifiers == {"goodreads": "234225", "asin": "B0"}
