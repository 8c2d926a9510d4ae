"""Every category's counts from SQL on a small library: each value with the books that have it
(the Inbox's left out, a missing file no format), the tags as a tree whose parents count each
book under them once, and each value's search finding exactly the books counted."""

from __future__ import annotations

from datetime import date

from bookorbit_desktop.library.categories.counts import categories, category
from bookorbit_desktop.library.categories.terms import value_search
from bookorbit_desktop.library.categories.tree import Value
from bookorbit_desktop.services.library.table_window import chosen_condition, ordered_ids


def test_each_category_counts_its_values(books):
    found = {c.kind: list(c.rows) for c in categories() if c.kind != "tags"}
    assert found == {
        # By the authors' filed sort, which the factory makes their whole name.
        "authors": [
            ("Frank Herbert", 2), ("Jane Austen", 2), ("Neil Gaiman", 1),
            ("Stanisław Lem", 1), ("Terry Pratchett", 1),
        ],
        "series": [("Dune", 2)],
        "publishers": [("Ace", 3), ("Penguin", 2)],  # "penguin" is the same, case aside
        "languages": [("en", 4), ("de", 1), ("pl", 1)],  # by name: English, German, Polish
        "formats": [("epub", 4), ("pdf", 2)],  # Solaris's mobi is missing
        "ratings": [("5", 1), ("4.5", 1), ("4", 2)],
    }  # fmt: skip


def shape(values: tuple[Value, ...]) -> list[object]:
    return [(v.label, v.books, shape(v.children)) if v.children else (v.label, v.books)
            for v in values]  # fmt: skip


def test_dotted_tags_are_a_tree_whose_parents_count_each_book_once(books):
    tags = category("tags")
    assert shape(tags.tree) == [
        ("classic", 2),
        # Good Omens is fantasy and scifi: once under fiction.
        ("fiction", 4, [("fantasy", 1), ("romance", 1), ("scifi", 3)]),
    ]
    fiction = tags.tree[1]
    assert fiction.name is None and fiction.path == "fiction"  # no book carries it itself
    assert fiction.children[2].name == "fiction.scifi"


def found(search: str) -> int:
    return len(ordered_ids("title", False, chosen=chosen_condition(search, date.today())))


def test_each_value_s_search_finds_the_books_it_counts(books):
    listed = categories()
    for listing in listed:
        pending = list(listing.tree)
        while pending:
            value = pending.pop()
            assert found(value.search) == value.books, value.path
            pending += value.children
        for key, count in listing.rows:
            assert found(value_search(listing.kind, key)) == count, (listing.kind, key)


def test_a_tag_parent_that_is_a_tag_too_finds_its_own_books_and_its_children_s(books, library):
    from bookorbit_desktop.library.tags.changes import change_tags

    change_tags([books["Solaris"]], library, add=["Fiction"])
    [_classic, fiction] = category("tags").tree
    assert (fiction.label, fiction.name, fiction.books) == ("Fiction", "Fiction", 5)
    assert found(fiction.search) == 5


def test_a_book_counts_under_each_of_its_languages_and_each_finds_it(books, library):
    """A parallel text ("fr, en") counts under French and under English, and both clicks find
    it; the Inbox's book counts under none of its languages."""
    from bookorbit_desktop.library.editing.apply import edit_books
    from bookorbit_desktop.library.editing.values import BookChanges
    from tests.factories import add_book

    parallel = add_book("Le Petit Prince", ["Antoine de Saint-Exupéry"], language="fr")
    edit_books([parallel.id], BookChanges(language=("fr", "en")), library)
    edit_books([books["Inbox"]], BookChanges(language=("pl", "en")), library)
    counted = dict(category("languages").rows)
    assert counted == {"de": 1, "en": 5, "fr": 1, "pl": 1}
    for code, count in counted.items():
        assert found(value_search("languages", code)) == count, code
