"""Schema 51: the browser's counts kept by triggers (`store.category_tally_schema`) equal the
counts worked out afresh from the links, after any sequence of the writes that change them
(credits added, moved and removed; tags set, renamed, removed; books removed and merged into
another; a tag-like column's values written and cleared), whoever makes them; and a library of
the previous schema gets them filled."""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import suppress
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import IntegrityError

from bookorbit_desktop.library.categories.paths import paths, tag_key
from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.custom.columns import add_column
from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.store.category_tally_schema import category_tallies
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.tags.store import set_tags_of
from tests.factories import add_book
from tests.library.previous_schema import previous_schema_library
from tests.sql_functions import as_the_app

NAMES = ["Fiction", "fiction.Fantasy", "Fiction.fantasy.Epic", "fiction.horror", "a..b", "Ärger"]
NAMES += ["ärger.x", "Sci-Fi", "sci-fi.space", "Résumé.x", "resume.y", "x.", ".y"]
AUTHORS = ["Ann Author", "Bo Writer", "Cy Poet"]


def _kept() -> tuple[dict[int, int], dict[str, int], dict[tuple[int, str], int]]:
    authors = dict(database.execute_sql("SELECT id, books FROM author WHERE books != 0"))
    tags = dict(database.execute_sql("SELECT path, books FROM tag_path"))
    values = database.execute_sql("SELECT column_id, path, books FROM custom_path")
    return authors, tags, {(column, path): books for column, path, books in values}


def _afresh() -> tuple[dict[int, int], dict[str, int], dict[tuple[int, str], int]]:
    authors = dict(
        database.execute_sql(
            "SELECT author_id, count(DISTINCT book_id) FROM book_author GROUP BY author_id"
        )
    )
    tags: dict[str, set[int]] = {}
    rows = "SELECT bt.book_id, t.name FROM book_tag bt JOIN tag t ON t.id = bt.tag_id"
    for book_id, name in database.execute_sql(rows):
        for path in paths(name, tag_key):
            tags.setdefault(path, set()).add(book_id)
    values: dict[tuple[int, str], set[int]] = {}
    for column_id, book_id, value in database.execute_sql(
        "SELECT column_id, book_id, value FROM custom_item"
    ):
        for path in paths(value, fold):
            values.setdefault((column_id, path), set()).add(book_id)
    return (
        authors,
        {path: len(books) for path, books in tags.items()},
        {key: len(books) for key, books in values.items()},
    )


_WRITE = st.one_of(
    st.tuples(st.just("tags"), st.integers(0, 4), st.lists(st.sampled_from(NAMES), max_size=4)),
    st.tuples(st.just("values"), st.integers(0, 4), st.lists(st.sampled_from(NAMES), max_size=4)),
    st.tuples(st.just("rename"), st.sampled_from(NAMES), st.integers(0, 3)),
    st.tuples(st.just("drop tag"), st.sampled_from(NAMES), st.just(0)),
    st.tuples(st.just("credit"), st.integers(0, 4), st.sampled_from(AUTHORS)),
    st.tuples(st.just("uncredit"), st.integers(0, 4), st.sampled_from(AUTHORS)),
    st.tuples(st.just("recredit"), st.integers(0, 4), st.sampled_from(AUTHORS)),
    st.tuples(st.just("merge"), st.integers(0, 4), st.integers(0, 4)),
    st.tuples(st.just("move link"), st.integers(0, 4), st.integers(0, 4)),
    st.tuples(st.just("remove"), st.integers(0, 4), st.just(0)),
)


def _there(book: int) -> bool:
    return database.execute_sql("SELECT 1 FROM book WHERE id = ?", (book,)).fetchone() is not None


def _apply(write: tuple[Any, ...], books: list[int], column_id: int) -> None:
    kind, first, second = write
    book = books[first] if isinstance(first, int) and kind != "rename" else 0
    other = books[second] if kind in ("merge", "move link") else book
    if kind != "rename" and isinstance(first, int) and not (_there(book) and _there(other)):
        return  # a book removed earlier
    sql = database.execute_sql
    if kind == "tags":
        set_tags_of({book: second}, 0.0)
    elif kind == "values":
        with database.atomic("IMMEDIATE"):
            store.write(book, column_id, second)
    elif kind == "rename":  # as another tool might: a name taken is refused
        with suppress(IntegrityError):  # the tag `second` (in the order made) renamed `first`
            sql(
                "UPDATE tag SET name = ? WHERE id = (SELECT id FROM tag ORDER BY id"
                " LIMIT 1 OFFSET ?)",
                (first, second),
            )
    elif kind == "drop tag":
        sql("DELETE FROM tag WHERE name = ?", (first,))
    elif kind == "credit":
        sql(
            "INSERT INTO book_author (book_id, author_id, position, role) SELECT ?, id,"
            " (SELECT coalesce(max(abs(position)), 0) + 1 FROM book_author WHERE book_id = ?),"
            " 'editor' FROM author WHERE name = ?",
            (book, book, second),
        )
    elif kind == "uncredit":
        sql(
            "DELETE FROM book_author WHERE id = (SELECT max(ba.id) FROM book_author ba"
            " JOIN author a ON a.id = ba.author_id WHERE ba.book_id = ? AND a.name = ?)",
            (book, second),
        )
    elif kind == "recredit":  # a credit given to another author (a merge of authors)
        sql(
            "UPDATE book_author SET author_id = (SELECT id FROM author WHERE name = ?)"
            " WHERE id = (SELECT min(id) FROM book_author WHERE book_id = ?)",
            (second, book),
        )
    elif kind in ("merge", "move link"):  # the links of one book moved to another
        with database.atomic("IMMEDIATE"):
            sql(
                "UPDATE OR IGNORE book_tag SET book_id = ? WHERE book_id = ?"
                + (
                    " AND tag_id = (SELECT min(tag_id) FROM book_tag)"
                    if kind == "move link"
                    else ""
                ),
                (other, book),
            )
            if kind == "merge":
                sql(
                    "UPDATE book_author SET book_id = ?, position = -id WHERE book_id = ?",
                    (other, book),
                )
    elif kind == "remove":
        sql("DELETE FROM book WHERE id = ?", (book,))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=st.lists(_WRITE, min_size=1, max_size=25))
def test_the_kept_counts_are_the_counts_afresh_after_any_writes(library, writes):
    database.execute_sql("DELETE FROM book")
    database.execute_sql("DELETE FROM tag")
    database.execute_sql("DELETE FROM custom_column")
    column = add_column("Genre", "tags")
    books = [add_book(f"Book {n}", AUTHORS[: 1 + n % 3]).id for n in range(5)]
    for write in writes:
        _apply(write, books, column.id)
        assert _kept() == _afresh(), write


def test_another_tool_writing_the_library_keeps_the_counts(library):
    ann = add_book("Alpha", ["Ann Author"]).id
    set_tags_of({ann: ["Fiction.Fantasy"]}, 0.0)
    with sqlite3.connect(library.db_file) as other:
        as_the_app(other)
        other.execute("PRAGMA foreign_keys = ON")
        other.execute("INSERT INTO tag (name) VALUES ('fiction.horror')")
        other.execute(
            "INSERT INTO book_tag (book_id, tag_id) SELECT ?, id FROM tag"
            " WHERE name = 'fiction.horror'",
            (ann,),
        )
    assert _kept()[1] == {"fiction": 1, "fiction.fantasy": 1, "fiction.horror": 1}
    assert _kept() == _afresh()


def test_a_library_of_the_previous_schema_gets_its_counts(tmp_path):
    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path, before=category_tallies)  # Germinal (1) and Nana (2)
    old.execute_sql("INSERT INTO tag (id, name) VALUES (1, 'Fiction.France'), (2, 'fiction')")
    old.execute_sql("INSERT INTO book_tag (book_id, tag_id) VALUES (1, 1), (1, 2), (2, 1)")
    old.close()
    open_database(path)
    try:
        kept = _kept()
        assert kept[1] == {"fiction": 2, "fiction.france": 2}
        assert sum(kept[0].values()) > 0
        assert kept == _afresh()
    finally:
        close_database()


def test_counts_of_a_books_several_tags_under_one_parent_count_it_once(library):
    book = add_book("Dune", ["Frank Herbert"]).id
    set_tags_of({book: ["sf.space", "SF.desert", "sf"]}, 0.0)
    assert Counter(_kept()[1]) == Counter({"sf": 1, "sf.space": 1, "sf.desert": 1})
    set_tags_of({book: ["sf.space"]}, 0.0)
    assert _kept()[1] == {"sf": 1, "sf.space": 1}
    set_tags_of({book: []}, 0.0)
    assert _kept()[1] == {}


def test_a_renamed_tag_counts_its_books_under_its_new_paths_only(library):
    first, second = add_book("Emma").id, add_book("Persuasion").id
    set_tags_of({first: ["Old.Shelf", "old"]}, 0.0)
    database.execute_sql("UPDATE tag SET name = 'New.Shelf' WHERE name = 'Old.Shelf'")
    assert _kept()[1] == {"old": 1, "new": 1, "new.shelf": 1}
    set_tags_of({second: ["new.shelf"]}, 0.0)  # the tag's links read its new paths
    assert _kept()[1] == {"old": 1, "new": 2, "new.shelf": 2}
    set_tags_of({first: ["old"]}, 0.0)
    assert _kept()[1] == {"old": 1, "new": 1, "new.shelf": 1}
    assert _kept() == _afresh()


def test_a_tag_removed_by_a_tool_without_foreign_keys_leaves_no_paths_to_the_next(library):
    """sqlite3's shell, like Python's sqlite3, enforces no foreign keys unless asked, and removes
    a tag without the app's functions: the tag's paths go with it all the same. Left behind,
    the next tag given its id (SQLite gives the highest id again) counted its books in them."""
    book = add_book("Dune").id
    set_tags_of({book: ["SF.desert"]}, 0.0)
    set_tags_of({book: ["SF.desert", "Old.Gone"]}, 0.0)  # the highest id
    other = sqlite3.connect(library.db_file)  # foreign keys off, no functions
    with other:
        other.execute("DELETE FROM tag WHERE name = 'Old.Gone'")
    other.close()
    set_tags_of({book: ["SF.desert", "New"]}, 0.0)
    assert _kept()[1] == {"sf": 1, "sf.desert": 1, "new": 1}
    assert _kept() == _afresh()
