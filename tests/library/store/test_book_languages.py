"""Schema 50: every language of a book, in order (`book_language`): a library of the previous
schema keeps each book's language as its only one, without a change logged; the one write path
keeps `book.language` the first; a write of `book.language` alone makes it the only one; and
removing a book removes its languages."""

from __future__ import annotations

from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.language_schema import book_languages
from bookorbit_desktop.library.store.languages import languages_of, set_languages_of
from bookorbit_desktop.library.store.models import Book, database
from tests.factories import add_book
from tests.library.previous_schema import previous_schema_library


def _rows() -> list[tuple[int, int, str, str]]:
    return database.execute_sql(
        "SELECT book_id, position, code, key FROM book_language ORDER BY book_id, position"
    ).fetchall()


def test_a_library_of_the_previous_schema_keeps_each_books_language(tmp_path):
    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path, before=book_languages)  # Germinal (1) and Nana (2)
    old.execute_sql("UPDATE book SET language = 'fr' WHERE id = 1")
    old.execute_sql("UPDATE book SET language = '' WHERE id = 2")  # none, as another tool wrote
    old.execute_sql(
        "INSERT INTO book (id, title, sort_title, language, identifiers, added_at, updated_at)"
        " VALUES (3, 'Fado', 'fado', 'pt-BR', '{}', 0, 0)"
    )
    (changes,) = old.execute_sql("SELECT count(*) FROM book_change").fetchone()
    old.close()
    open_database(path)
    try:
        assert _rows() == [(1, 0, "fr", "fr"), (3, 0, "pt-BR", "pt-br")]
        assert languages_of([1, 2, 3]) == {1: ["fr"], 2: [], 3: ["pt-BR"]}
        # Filling the table changed no book: nothing for the window or the catalog to follow.
        assert database.execute_sql("SELECT count(*) FROM book_change").fetchone() == (changes,)
    finally:
        close_database()


def test_the_write_path_keeps_the_first_language_in_the_book_row(library):
    book = add_book("Le Petit Prince", ["Antoine de Saint-Exupéry"], language="fr")
    assert languages_of([book.id]) == {book.id: ["fr"]}  # the new row's, by its trigger
    with database.atomic():
        set_languages_of({book.id: ["en", "fr", "en"]})  # each once
    assert (languages_of([book.id])[book.id], Book.get_by_id(book.id).language) == (
        ["en", "fr"],
        "en",
    )
    # A write of the first language alone (an import, an older undo) keeps the others.
    Book.update(language="en").where(Book.id == book.id).execute()
    assert languages_of([book.id])[book.id] == ["en", "fr"]
    # Another one alone is the book's only language; none is none.
    Book.update(language="de").where(Book.id == book.id).execute()
    assert _rows() == [(book.id, 0, "de", "de")]
    Book.update(language=None).where(Book.id == book.id).execute()
    assert _rows() == []
    with database.atomic():
        set_languages_of({book.id: ["zh-Hant", "fr"]})
    assert Book.get_by_id(book.id).language == "zh-Hant"
    with database.atomic():
        set_languages_of({book.id: []})
    assert (_rows(), Book.get_by_id(book.id).language) == ([], None)


def test_removing_a_book_removes_its_languages(library):
    kept = add_book("Emma", ["Jane Austen"], language="en")
    gone = add_book("Parallel", ["Anon"], language="fr")
    with database.atomic():
        set_languages_of({gone.id: ["fr", "en"]})
    Book.delete().where(Book.id == gone.id).execute()
    assert _rows() == [(kept.id, 0, "en", "en")]


def test_the_books_of_several_languages_are_found_without_reading_every_book(library):
    """The table asks for the books with a second language through their own index, not a
    walk of every book's languages."""
    plan = database.execute_sql(
        "EXPLAIN QUERY PLAN SELECT book_id FROM book_language WHERE position = 1"
    ).fetchall()
    assert "book_language_second" in " ".join(str(row[-1]) for row in plan)
