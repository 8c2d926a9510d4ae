"""A series custom column (calibre's `series` kind): "Dune [2]", a name and a book's number.
The rule in Python and in SQL agree on any text; a value typed is written as calibre writes it;
the table sorts a series' books by their numbers; a search names the series alone; the browser
lists a series once whatever its books' numbers; a rename keeps each book's number; and a
library of the previous schema gets its series' keys made again."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.categories.custom import any_category
from bookorbit_desktop.library.categories.custom_renames import rename
from bookorbit_desktop.library.custom import series, store
from bookorbit_desktop.library.custom.columns import add_column
from bookorbit_desktop.library.custom.kinds import Column, kind_name, parse
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.series_keys_schema import series_keys
from bookorbit_desktop.services.library.table_window import chosen_condition, ordered_ids
from tests.factories import add_book
from tests.library.previous_schema import previous_schema_library
from tests.sql_functions import as_the_app

SAGA = Column(1, "saga", "Saga", "series", False, ())


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Dune [2]", ("Dune", 2.0)),
        ("Dune [2.5]", ("Dune", 2.5)),
        ("Dune", ("Dune", None)),
        ("Discworld [City Watch] [3]", ("Discworld [City Watch]", 3.0)),
        ("Discworld [City Watch]", ("Discworld [City Watch]", None)),
        ("Area 51", ("Area 51", None)),
        ("Dune [1.2.3]", ("Dune [1.2.3]", None)),  # no number
        ("Dune []", ("Dune []", None)),
        ("[2]", ("[2]", None)),  # no name before it
        ("Dune [2]]", ("Dune [2]]", None)),
    ],
)
def test_a_values_name_and_number(text, parts):
    assert series.parts(text) == parts


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Dune [2]", "Dune [2]"),
        ("  Dune   [ 02,50 ] ", "Dune [2.5]"),  # as calibre writes it
        ("Dune [2.0]", "Dune [2]"),
        ("Dune", "Dune"),
        ("Discworld [City Watch]", "Discworld [City Watch]"),
    ],
)
def test_a_value_typed_is_written_as_calibre_writes_it(typed, stored):
    assert parse(SAGA, typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [("[2]", "needs the series' name"), ("Dune [1000000000]", "at most 999,999,999")],
)
def test_a_value_that_is_no_series_is_refused_saying_why(typed, says):
    with pytest.raises(InvalidValueError, match=says):
        parse(SAGA, typed)


def test_the_kind_is_named_series():
    assert kind_name("series", False) == "series"


_TEXT = st.text(alphabet="Dune [].,0123 9é", max_size=14)


@given(texts=st.lists(_TEXT, min_size=1, max_size=8))
def test_the_sql_rule_reads_any_text_as_the_python_rule_does(texts):
    connection = as_the_app(sqlite3.connect(":memory:"))
    for text in texts:
        name, number = series.parts(text)
        sql = f"SELECT {series.name_sql('?1')}, {series.key_sql('?1')}"
        found_name, key = connection.execute(sql, (text,)).fetchone()
        assert found_name == name
        folded_name = connection.execute(f"SELECT {series.name_of_key('?1')}", (key,)).fetchone()
        assert folded_name == (connection.execute("SELECT bookorbit_fold(?)", (name,)).fetchone())
        assert (number is None) == ("\x01" not in key)
    keyed = sorted(
        texts, key=lambda t: connection.execute(f"SELECT {series.key_sql('?1')}", (t,)).fetchone()
    )
    numbers = [n for t in keyed for name, n in [series.parts(t)] if n is not None]
    names = [series.parts(t)[0] for t in keyed]
    if len(set(names)) == 1:  # one series: by its books' numbers, a book without one first
        assert numbers == sorted(numbers)


@pytest.fixture
def saga(library):
    column = add_column("Saga", "series")
    ids = {}
    for title, value in (
        ("Dune Messiah", "Dune [2]"),
        ("Heretics of Dune", "Dune [10]"),
        ("Dune", "dune [1]"),
        ("Prelude", "Dune [0.5]"),
        ("Emma", "Austen"),
        ("Plain", None),
    ):
        ids[title] = add_book(title).id
        if value is not None:
            set_values([ids[title]], {column.id: value}, library)
    return column, ids


def _titles(ids) -> list[str]:
    return [Book.get_by_id(book_id).title for book_id in ids]


def test_the_table_sorts_a_series_books_by_their_numbers(saga):
    column, _ids = saga
    assert _titles(ordered_ids(column.key, False)) == [
        "Emma",  # Austen
        "Prelude",
        "Dune",
        "Dune Messiah",
        "Heretics of Dune",  # 10 after 2
        "Plain",  # no value
    ]


def test_a_search_names_the_series_alone(saga):
    def found(search: str) -> list[str]:
        condition = chosen_condition(search, date.today())
        return _titles(ordered_ids("title", False, chosen=condition))

    every = ["Dune", "Dune Messiah", "Heretics of Dune", "Prelude"]
    assert found('#saga:="Dune"') == every
    assert found('#saga:"=Dune"') == every  # calibre's form of it
    assert found("#saga:dun") == every
    assert found("#saga:~^dune$") == every  # a pattern reads the name alone
    assert found('#saga:="Dune [2]"') == []  # a name, not a book's number
    assert found('#saga:""') == ["Plain"]
    # The books' numbers, as calibre searches them.
    assert found("#saga_index:>=2") == ["Dune Messiah", "Heretics of Dune"]
    assert found("#saga_index:<1") == ["Prelude"]
    assert found("#saga_index:false") == ["Emma", "Plain"]  # no number


def test_the_browser_lists_a_series_once_whatever_its_books_numbers(saga):
    column, _ids = saga
    category = any_category(column.key)
    assert category is not None
    assert list(category.rows) == [("Austen", 1), ("Dune", 4)]
    assert category.search("Dune") == '#saga:="Dune"'


def test_a_series_renamed_keeps_each_books_number(saga, library):
    column, ids = saga
    assert rename(column, "dune", "Arrakis", library) == 4
    values = dict(
        database.execute_sql("SELECT book_id, json_extract(value, '$') FROM custom_value")
    )
    assert values[ids["Heretics of Dune"]] == "Arrakis [10]"
    assert values[ids["Prelude"]] == "Arrakis [0.5]"
    assert _titles(ordered_ids(column.key, False)) == [
        "Prelude",
        "Dune",
        "Dune Messiah",
        "Heretics of Dune",
        "Emma",  # Austen, after Arrakis
        "Plain",
    ]


def test_a_series_keeps_one_spelling_as_in_calibre(saga, library):
    column, ids = saga

    def value(title: str) -> str:
        return store.book_values([ids[title]])[ids[title]][column.id]

    assert value("Dune") == "Dune [1]"  # typed "dune [1]" after Dune Messiah's "Dune [2]"
    set_values([ids["Plain"]], {column.id: "DUNE [7]"}, library)
    assert value("Plain") == "Dune [7]"
    set_values([ids["Emma"]], {column.id: "austen [1]"}, library)
    assert value("Emma") == "austen [1]"  # no other book of it: as typed
    every = [ids[t] for t in ("Dune", "Dune Messiah", "Heretics of Dune", "Prelude", "Plain")]
    set_values(every, {column.id: "DUNE"}, library)  # every book of it: as typed
    assert {value(title) for title in ("Dune", "Prelude")} == {"DUNE"}


def test_a_series_is_renamed_by_its_name_alone(saga, library):
    column, _ids = saga
    with pytest.raises(InvalidValueError, match="renamed by its name alone"):
        rename(column, "Dune", "Arrakis [3]", library)


def test_a_library_of_the_previous_schema_sorts_its_series_by_number(tmp_path):
    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path, before=series_keys)  # Germinal (1) and Nana (2)
    old.execute_sql(
        "INSERT INTO custom_column (id, label, name, kind, multiple, choices)"
        " VALUES (1, 'saga', 'Saga', 'series', 0, '[]')"
    )
    old.execute_sql(
        "INSERT INTO custom_value (column_id, book_id, value) VALUES"
        " (1, 1, '\"Rougon-Macquart [13]\"'), (1, 2, '\"Rougon-Macquart [9]\"')"
    )
    old.close()
    open_database(path)
    try:
        keys = database.execute_sql("SELECT book_id FROM custom_value ORDER BY key").fetchall()
        assert keys == [(2,), (1,)]  # 9 before 13
    finally:
        close_database()
