"""The custom columns' categories on a small library: which columns are listed (after the
built-in categories), each value with the books that have it (case and accents aside, as the
search folds them; the Inbox's left out, a book without a value in none), a tag-like column's
dotted values as a tree, and each value's search finding exactly the books counted."""

from __future__ import annotations

from datetime import date

from bookorbit_desktop.library.categories.counts import TITLES, Category
from bookorbit_desktop.library.categories.custom import any_category, heads
from bookorbit_desktop.library.custom.columns import add_column, delete_column, rename_column
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.services.library.table_window import chosen_condition, ordered_ids
from tests.library.categories.test_counts import shape


def listed(kind: str) -> Category:
    found = any_category(kind)
    assert found is not None
    return found


def titles(search: str) -> list[str]:
    from bookorbit_desktop.library.store.models import Book

    ids = ordered_ids("title", False, chosen=chosen_condition(search, date.today()))
    return [Book.get_by_id(book_id).title for book_id in ids]


def test_the_columns_of_shared_values_are_listed_after_the_built_in_categories(columns):
    assert heads() == [
        *TITLES.items(),
        *(
            (columns[name].key, f"{name} (#{name.lower()})")
            for name in ("Genre", "Mood", "Owned", "Place", "Stars")
        ),
    ]  # a long text, a number and a date are each book's own: not listed
    assert any_category(columns["Notes"].key) is None


def test_each_value_counts_its_books_case_and_accents_aside(columns):
    assert list(listed(columns["Mood"].key).rows) == [("calm", 2), ("dark", 2), ("tense", 1)]
    # One row for "Bath" and "bath", spelled as the first book spells it.
    assert list(listed(columns["Place"].key).rows) == [
        ("Arrakis", 2), ("Bath", 2), ("London", 1),
    ]  # fmt: skip
    stars = listed(columns["Stars"].key)
    assert list(stars.rows) == [("5", 2), ("4.5", 1), ("0", 1)]
    assert stars.label("4.5") == "★★★★½"  # as the table shows ratings
    assert list(listed(columns["Owned"].key).rows) == [("Yes", 2), ("No", 1)]


def test_a_tag_like_column_s_dotted_values_are_a_tree(columns):
    genre = listed(columns["Genre"].key)
    assert shape(genre.tree) == [  # in the tags' order
        ("classic", 1),
        ("Fantasy", 1),
        ("Romance", 3),  # Good Omens's "romance" is Emma's "Romance"
        # Dune Messiah has two values under sf: once; Good Omens carries "sf" itself.
        ("sf", 3, [("politics", 2), ("space", 2)]),
        ("Élan", 2),  # and Dune Messiah's "elan"
    ]
    sf = genre.tree[3]
    assert (sf.name, sf.search) == ("sf", r'#genre:~"^sf(\\.|$)"')
    assert sf.children[1].search == '#genre:="sf.space"'


def test_each_value_s_search_finds_exactly_the_books_it_counts(columns):
    for name in ("Mood", "Genre", "Place", "Stars", "Owned"):
        category = listed(columns[name].key)
        pending = list(category.tree)
        while pending:
            value = pending.pop()
            assert len(titles(value.search)) == value.books, value.path
            pending += value.children
        for value, count in category.rows:
            assert len(titles(category.search(value))) == count, (name, value)
            assert "Solaris" not in titles(category.search(value))  # no value: in none
    assert listed(columns["Mood"].key).search("calm") == '#mood:="calm"'
    assert listed(columns["Owned"].key).search("No") == "#owned:no"
    assert titles('#place:="Arrakis"') == ["Dune", "Dune Messiah"]  # "Arrakís" too
    assert titles("#stars:=0") == ["Good Omens"]


def test_a_column_s_category_follows_its_renames_and_its_deletion(columns, books, library):
    place = columns["Place"]
    rename_column(place.id, "Town")
    category = listed(place.key)
    assert (category.title, category.search("Bath")) == ("Town (#town)", '#town:="Bath"')
    set_values([books["Solaris"]], {place.id: "Kraków"}, library)
    assert ("Kraków", 1) in listed(place.key).rows
    delete_column(place.id)
    assert place.key not in dict(heads()) and any_category(place.key) is None


def test_a_column_named_as_a_category_is_titled_with_its_label(books):
    column = add_column("Tags", "tags")
    assert (column.key, "Tags (#tags)") in heads()


def test_a_tag_like_column_s_counts_follow_every_write_and_undo(columns, books, library):
    from bookorbit_desktop.library.journal.run import undo

    genre = columns["Genre"]
    before = shape(listed(genre.key).tree)
    set_values([books["Dune"]], {genre.id: None}, library)  # no value any more
    set_values([books["Dune Messiah"]], {genre.id: ["ÉLAN", "Élan", "Fantasy"]}, library)
    assert shape(listed(genre.key).tree) == [
        ("classic", 1), ("Fantasy", 2), ("Romance", 3), ("sf", 1, [("politics", 1)]), ("ÉLAN", 1),
    ]  # fmt: skip
    assert len(titles('#genre:="fantasy"')) == 2
    undo(library)
    undo(library)
    assert shape(listed(genre.key).tree) == before
    delete_column(genre.id)
    undo(library)  # the column back with every book's values
    assert shape(listed(genre.key).tree) == before
