"""Filing authors by hand: one undoable step that the table's author keys follow, Undo and Redo
that leave an author filed again since, and an empty text that means the rule's."""

from __future__ import annotations

from bookorbit_desktop.library.editing.author_sorts import file_authors, filed_authors
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.store.models import Author, database
from tests.factories import add_book


def _sort_name(name: str) -> str:
    return Author.get(Author.name == name).sort_name


def _author_keys() -> dict[int, str]:
    return dict(database.execute_sql("SELECT book_id, authors FROM book_sort_key"))


def _id(name: str) -> int:
    return Author.get(Author.name == name).id


def test_filing_authors_is_one_step_that_undo_and_redo_take(library):
    solitude = add_book("One Hundred Years of Solitude", ["Gabriel García Márquez"])
    cholera = add_book("Love in the Time of Cholera", ["Gabriel García Márquez"])
    dune = add_book("Dune", ["Frank Herbert"])
    filed = file_authors(
        {_id("Gabriel García Márquez"): "  García Márquez,   Gabriel ", _id("Frank Herbert"): ""},
        now=100.0,
    )
    assert filed == 2
    assert _sort_name("Gabriel García Márquez") == "García Márquez, Gabriel"
    assert _sort_name("Frank Herbert") == "Herbert, Frank"  # empty: the rule's
    keys = _author_keys()
    assert keys[solitude.id] == keys[cholera.id] == "garcia marquez, gabriel"
    assert keys[dune.id] == "herbert, frank"
    step = steps.next_undo()
    assert step is not None and step.label == "File 2 Authors"
    assert sorted(entry.book_id for entry in step.entries) == [solitude.id, cholera.id, dune.id]
    assert run.describe(step)[0] == (
        "author filed as “García Márquez, Gabriel” (was “Gabriel García Márquez”)"
    )

    done = run.undo(library)
    assert done is not None and done.books == 3 and not done.skipped
    assert _sort_name("Gabriel García Márquez") == "Gabriel García Márquez"
    assert _author_keys()[dune.id] == "frank herbert"
    done = run.redo(library)
    assert done is not None and done.books == 3
    assert _sort_name("Frank Herbert") == "Herbert, Frank"


def test_undo_leaves_an_author_filed_again_since(library):
    add_book("Dune", ["Frank Herbert"])
    file_authors({_id("Frank Herbert"): "Herbert, Frank"}, now=1.0)
    Author.update(sort_name="Herbert, F.").where(Author.name == "Frank Herbert").execute()
    done = run.undo(library)
    assert done is not None and done.books == 0
    assert done.skipped == ("Frank Herbert was filed as “Herbert, F.” since",)
    assert _sort_name("Frank Herbert") == "Herbert, F."


def test_nothing_changed_records_no_step(library):
    add_book("Dune", ["Frank Herbert"])
    assert file_authors({_id("Frank Herbert"): " Frank  Herbert "}, now=1.0) == 0
    assert steps.next_undo() is None


def test_the_authors_are_listed_as_filed_with_the_rules_suggestion(library):
    add_book("The Stranger", ["Albert Camus"])
    add_book("The Plague", ["Albert Camus"])
    add_book("Dune", ["Frank Herbert"])
    file_authors({_id("Frank Herbert"): "Herbert, Frank"}, now=1.0)
    listed = [(a.name, a.sort_name, a.books, a.suggested) for a in filed_authors()]
    assert listed == [
        ("Albert Camus", "Albert Camus", 2, "Camus, Albert"),
        ("Frank Herbert", "Herbert, Frank", 1, "Herbert, Frank"),
    ]
