"""Find Duplicates and the metadata dialog obey one edition rule, on a real library: a German
"Der Hobbit" that carries the ISBN of the English "The Hobbit" by mistake is another edition to
the metadata dialog and never a copy to merge; two English copies with that ISBN still are."""

from __future__ import annotations

from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.metadata_sources.editions import other_edition
from bookorbit_desktop.metadata_sources.records import Candidate
from bookorbit_desktop.services.library.merge import MergeService
from bookorbit_desktop.services.metadata.books import local_values
from tests.factories import add_book

ISBN = "9780261103344"
TOLKIEN = ("J. R. R. Tolkien",)


def test_another_edition_to_the_metadata_dialog_is_never_offered_as_a_copy(library):
    english = add_book("The Hobbit", TOLKIEN, isbn13=ISBN, language="en")
    german = add_book("Der Hobbit", TOLKIEN, isbn13=ISBN, language="de")
    record = Candidate("openlibrary", "OL1", title=english.title, language="en", isbn13=ISBN)
    why = other_edition(local_values(Book.get_by_id(german.id)), record)
    assert why == "another edition: English, not German"
    assert MergeService(library).groups() == []

    copy = add_book("The Hobbit", ("Tolkien, J.R.R.",), isbn13=ISBN, language="eng")
    groups = MergeService(library).groups()
    assert [tuple(c.id for c in group) for group in groups] == [(english.id, copy.id)]
