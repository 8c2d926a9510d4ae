"""The schema that sorts authors by their sort text: a library of the previous schema has its
guessed sort texts worked out again by the author sort rule (a book's own `file-as` kept), each
author's folded key, and the table's author keys made of the sort texts."""

from __future__ import annotations

from bookorbit_desktop.library.store.author_sort_schema import author_sort_keys
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Author, database
from tests.factories import add_book
from tests.library.previous_schema import previous_schema_library


def _authors() -> dict[str, tuple[str, str]]:
    rows = database.execute_sql("SELECT name, sort_name, sort_key FROM author")
    return {name: (sort_name, sort_key) for name, sort_name, sort_key in rows}


def test_a_library_of_the_previous_schema_files_its_authors_by_the_rule(tmp_path):
    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path, before=author_sort_keys)  # Émile Zola, filed as "Zola"
    for author_id, name, guess in (
        (2, "Ursula K. Le Guin", "Guin, Ursula K. Le"),  # the earlier guess
        (3, "Martin Luther King Jr.", "King, Martin Luther, Jr."),  # the earlier guess
        (4, "Homer", "Homer"),
        (5, "L. van Beethoven", "Beethoven, Ludwig van"),  # from the book: kept
    ):
        old.execute_sql(
            "INSERT INTO author (id, name, sort_name) VALUES (?, ?, ?)", (author_id, name, guess)
        )
    old.execute_sql(
        "INSERT INTO book_author (book_id, author_id, position, role) VALUES (2, 2, 1, 'aut')"
    )
    old.close()
    open_database(path)
    try:
        assert _authors() == {
            "Émile Zola": ("Zola", "zola"),
            "Ursula K. Le Guin": ("Le Guin, Ursula K.", "le guin, ursula k."),
            "Martin Luther King Jr.": ("King, Martin Luther Jr.", "king, martin luther jr."),
            "Homer": ("Homer", "homer"),
            "L. van Beethoven": ("Beethoven, Ludwig van", "beethoven, ludwig van"),
        }
        keys = dict(database.execute_sql("SELECT book_id, authors FROM book_sort_key"))
        assert keys == {1: "zola", 2: "zola & le guin, ursula k."}
    finally:
        close_database()


def test_an_author_added_or_filed_anew_gets_its_key_and_moves_the_books(library):
    book = add_book("Dune", ["Frank Herbert"])
    assert _authors()["Frank Herbert"] == ("Frank Herbert", "frank herbert")
    Author.update(sort_name="Herbert, Frank").where(Author.name == "Frank Herbert").execute()
    assert _authors()["Frank Herbert"] == ("Herbert, Frank", "herbert, frank")
    keys = dict(database.execute_sql("SELECT book_id, authors FROM book_sort_key"))
    assert keys == {book.id: "herbert, frank"}
