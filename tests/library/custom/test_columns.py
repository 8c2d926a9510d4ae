"""Custom columns on a real SQLite library: added, renamed and deleted as undoable steps, values
checked per kind, set alone and in bulk as one step, carried by merge and its undo, and their
sort keys kept by the database's triggers."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.custom.columns import add_column, delete_column, rename_column
from bookorbit_desktop.library.custom.kinds import parse
from bookorbit_desktop.library.custom.values import assignments, custom_values, set_values
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.merge.store import merge_books
from bookorbit_desktop.library.store.models import database
from tests.factories import add_book


def _typed(texts: list[str]) -> dict[int, object]:
    return custom_values(assignments(texts))


def _value(column_id: int, book_id: int) -> object:
    return store.book_values([book_id])[book_id].get(column_id)


def _key(column_id: int, book_id: int) -> object:
    row = database.execute_sql(
        "SELECT key FROM custom_value WHERE column_id = ? AND book_id = ?", (column_id, book_id)
    ).fetchone()
    return None if row is None else row[0]


def test_adding_renaming_and_deleting_a_column_are_each_one_step(library):
    column = add_column("Shelf Place", "list", ["attic", "desk"])
    assert (column.label, column.kind) == ("shelf_place", "enumeration")
    assert column.choices == ("attic", "desk")
    assert steps.next_undo().label == "Add Column “Shelf Place”"
    book = add_book("Emma")
    set_values([book.id], {column.id: "desk"}, library)

    renamed = rename_column(column.id, "Where")
    assert (renamed.label, store.by_label("#where").id) == ("where", column.id)
    delete_column(column.id)
    assert store.column(column.id) is None and _value(column.id, book.id) is None

    assert run.undo(library).text() == "Undid Delete Column “Where”."
    assert store.column(column.id).name == "Where" and _value(column.id, book.id) == "desk"
    run.undo(library)
    assert store.column(column.id).name == "Shelf Place"
    run.undo(library)  # the value
    assert _value(column.id, book.id) is None
    run.undo(library)  # the column
    assert store.columns() == []
    for _ in range(4):
        run.redo(library)
    assert store.column(column.id) is None
    run.undo(library)
    assert (store.column(column.id).label, _value(column.id, book.id)) == ("where", "desk")


def test_undoing_an_add_leaves_a_column_that_holds_values_set_since(library):
    column = add_column("Mood", "text")
    book = add_book("Emma")
    store.write(book.id, column.id, "calm")  # outside the journal (an import)
    done = run.undo(library)
    assert done.skipped == ("the column “Mood” holds values set since",)
    assert store.column(column.id) is not None


def test_names_and_kinds_are_checked(library):
    add_column("Mood", "text")
    with pytest.raises(InvalidValueError, match="#mood already"):
        add_column("mood", "number")
    with pytest.raises(InvalidValueError, match="no kind 'colour'"):
        add_column("Colour", "colour")
    with pytest.raises(InvalidValueError, match="needs its values"):
        add_column("Place", "list")
    with pytest.raises(InvalidValueError, match="Only a fixed list"):
        add_column("Size", "number", ["1"])
    with pytest.raises(InvalidValueError, match="begin with a letter"):
        add_column("2nd", "text")


@pytest.mark.parametrize(
    ("kind", "choices", "text", "stored"),
    [
        ("text", (), "  Calm ", "Calm"),
        ("number", (), "3,5", 3.5),
        ("number", (), "12", 12),
        ("rating", (), "4.5", 4.5),
        ("date", (), "2024-05-31", "2024-05-31"),
        ("yes-no", (), "Yes", True),
        ("yes-no", (), "false", False),
        ("list", ("Attic", "Desk"), "desk", "Desk"),
        ("tags", (), "a, b,,a", ["a", "b"]),
        ("long-text", (), "", None),
    ],
)
def test_values_are_read_per_kind(library, kind, choices, text, stored):
    column = add_column("Field", kind, choices)
    assert parse(column, text) == stored


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("number", "many", "a number"),
        ("number", "inf", "a number"),
        ("rating", "6", "0 to 5 stars"),
        ("rating", "3.3", "0 to 5 stars"),
        ("date", "31/05/2024", "a date"),
        ("yes-no", "maybe", "yes or no"),
        ("list", "garage", "one of: Attic, Desk"),
    ],
)
def test_a_value_of_another_kind_is_refused(library, kind, text, message):
    column = add_column("Field", kind, ["Attic", "Desk"] if kind == "list" else [])
    with pytest.raises(InvalidValueError, match=message):
        parse(column, text)


def test_values_set_alone_and_in_bulk_are_one_step_each_and_undone(library):
    pages = add_column("Weight", "number")
    mood = add_column("Mood", "tags")
    books = [add_book(f"Book {n}").id for n in range(3)]
    set_values(books, _typed(["#weight=2", "Mood=dark, slow"]), library)
    assert steps.next_undo().label == "Edit 3 Books"
    assert [_value(mood.id, b) for b in books] == [["dark", "slow"]] * 3
    assert _key(mood.id, books[0]) == "dark, slow" and _key(pages.id, books[0]) == 2.0
    set_values([books[0]], _typed(["#weight="]), library)
    assert _value(pages.id, books[0]) is None
    assert "Weight: 2 → (none)" in run.describe(steps.next_undo())[0]

    run.undo(library)
    assert _value(pages.id, books[0]) == 2
    run.undo(library)
    assert [_value(pages.id, b) for b in books] == [None] * 3
    run.redo(library)
    assert _value(mood.id, books[2]) == ["dark", "slow"]


def test_a_value_changed_since_is_left_by_undo(library):
    mood = add_column("Mood", "text")
    book = add_book("Emma").id
    set_values([book], {mood.id: "calm"}, library)
    store.write(book, mood.id, "stormy")
    done = run.undo(library)
    assert done.skipped == ("“Emma”: Mood left as it is (changed since)",)


def test_wrong_assignments_and_books_are_refused(library):
    add_column("Mood", "text")
    with pytest.raises(InvalidValueError, match="not #name=value"):
        _typed(["#mood"])
    with pytest.raises(NotFoundError, match="no custom column '#colour'"):
        _typed(["#colour=red"])
    with pytest.raises(NotFoundError, match="no book with id 99"):
        set_values([99], _typed(["#mood=x"]))


def test_an_edit_of_other_fields_keeps_the_values(library):
    mood = add_column("Mood", "text")
    book = add_book("Emma").id
    set_values([book], {mood.id: "calm"}, library)
    edit_books([book], BookChanges(title="Emma."), library)
    run.undo(library)
    assert _value(mood.id, book) == "calm"


def test_merge_carries_the_values_and_its_undo_gives_them_back(library):
    mood = add_column("Mood", "text")
    shelf = add_column("Shelf", "text")
    keep, other = add_book("Emma").id, add_book("Emma").id
    set_values([keep], {shelf.id: "desk"}, library)
    set_values([other], {mood.id: "calm", shelf.id: "attic"}, library)

    merge_books(keep, other, library, now=1.0)
    assert (_value(mood.id, keep), _value(shelf.id, keep)) == ("calm", "desk")

    run.undo(library)
    assert (_value(mood.id, keep), _value(shelf.id, keep)) == (None, "desk")
    assert (_value(mood.id, other), _value(shelf.id, other)) == ("calm", "attic")


def test_keys_follow_the_kind(library):
    book = add_book("Emma").id
    for kind, text, key in [
        ("text", "Élan", "elan"),
        ("rating", "4", 4.0),
        ("date", "2024-05-31", "2024-05-31"),
        ("yes-no", "yes", 1),
    ]:
        column = add_column(f"F {kind}", kind)
        set_values([book], {column.id: parse(column, text)}, library)
        assert _key(column.id, book) == key


def test_a_library_of_the_previous_schema_gets_its_values_keys(tmp_path):
    from bookorbit_desktop.library.store.custom_keys_schema import custom_keys
    from bookorbit_desktop.library.store.db import close_database, open_database
    from tests.library.previous_schema import previous_schema_library

    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path, before=custom_keys)
    for column_id, kind, multiple in ((1, "float", 0), (2, "text", 1), (3, "comments", 0)):
        old.execute_sql(
            "INSERT INTO custom_column (id, label, name, kind, multiple) VALUES (?, ?, ?, ?, ?)",
            (column_id, f"c{column_id}", f"C{column_id}", kind, multiple),
        )
    for column_id, value in ((1, "12.5"), (2, '["Zola", "Émile"]'), (3, '"Élan"')):
        old.execute_sql(
            "INSERT INTO custom_value (column_id, book_id, value) VALUES (?, 1, ?)",
            (column_id, value),
        )
    old.close()
    open_database(path)
    try:
        assert [_key(column_id, 1) for column_id in (1, 2, 3)] == [12.5, "zola, emile", "elan"]
    finally:
        close_database()


def test_a_removed_book_comes_back_with_its_values(library):
    from bookorbit_desktop.library.editing.removal import remove_books

    mood = add_column("Mood", "tags")
    book = add_book("Emma").id
    set_values([book], {mood.id: ["calm", "dry"]}, library)
    remove_books([book], library, trash_files=False)
    assert store.book_values([book])[book] == {}
    run.undo(library)
    assert _value(mood.id, book) == ["calm", "dry"]
    assert _key(mood.id, book) == "calm, dry"


def test_merge_carries_a_tag_like_columns_values_and_their_items(library):
    """A tag-like column's values are also kept one by one (`custom_item`, what the browser
    counts and the search reads): they follow the value to the kept book and back on undo."""
    genre = add_column("Genre", "tags")
    keep, other = add_book("Emma").id, add_book("Emma").id
    set_values([other], {genre.id: ["classic", "romance"]}, library)

    def items(book_id: int) -> list[str]:
        rows = database.execute_sql(
            "SELECT value FROM custom_item WHERE column_id = ? AND book_id = ? ORDER BY value",
            (genre.id, book_id),
        )
        return [row[0] for row in rows]

    merge_books(keep, other, library, now=1.0)
    assert _value(genre.id, keep) == ["classic", "romance"]
    assert items(keep) == ["classic", "romance"] and items(other) == []

    run.undo(library)
    assert _value(genre.id, keep) is None and items(keep) == []
    assert _value(genre.id, other) == ["classic", "romance"]
    assert items(other) == ["classic", "romance"]
