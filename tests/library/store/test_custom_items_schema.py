"""Schema 49: a tag-like custom column's values one by one (`custom_item`), folded as the
search folds them: a library of the previous schema gets the rows of the values it holds (a
book's value once, as first spelled; none for a column of one value), and every later write
of a value, its deletion and its column's keep them."""

from __future__ import annotations

from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.search.fold import register_fold
from bookorbit_desktop.library.store.custom_items_schema import custom_items
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database
from tests.library.previous_schema import previous_schema_library


def items() -> list[tuple[int, str, int, str]]:
    rows = database.execute_sql(
        "SELECT column_id, key, book_id, value FROM custom_item ORDER BY column_id, book_id, key"
    )
    return [tuple(row) for row in rows]


def test_a_library_of_the_previous_schema_gets_its_tag_like_values_one_by_one(tmp_path):
    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path, before=custom_items)
    register_fold(old)
    old.execute_sql(
        "INSERT INTO custom_column (id, label, name, kind, multiple) VALUES"
        " (1, 'genre', 'Genre', 'text', 1), (2, 'place', 'Place', 'text', 0)"
    )
    old.execute_sql(
        "INSERT INTO custom_value (column_id, book_id, value) VALUES"
        """ (1, 1, '["Élan", "sf.space", "ÉLAN", ""]'), (1, 2, '["Drama"]'), (2, 1, '"Paris"')"""
    )
    old.close()
    open_database(path)
    try:
        assert items() == [
            (1, "elan", 1, "Élan"), (1, "sf.space", 1, "sf.space"), (1, "drama", 2, "Drama"),
        ]  # fmt: skip
    finally:
        close_database()


def test_every_write_keeps_the_values_one_by_one(library):
    from bookorbit_desktop.library.custom.columns import add_column, delete_column
    from tests.factories import add_book

    genre = add_column("Genre", "tags")
    book = add_book("Dune").id
    store.write(book, genre.id, ["SF", "sf", "Space"])
    assert items() == [(genre.id, "sf", book, "SF"), (genre.id, "space", book, "Space")]
    store.write(book, genre.id, ["Space opera"])  # an update: the old values go
    assert items() == [(genre.id, "space opera", book, "Space opera")]
    store.write(book, genre.id, None)
    assert items() == []
    store.write(book, genre.id, ["Epic"])
    delete_column(genre.id)  # its values go with it
    assert items() == []
