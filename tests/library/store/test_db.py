"""The library database: migrations from an older schema (with a backup first), refusing a
newer one, WAL and foreign keys, and models that agree with the migrated schema."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from peewee import ForeignKeyField, IntegrityError, SqliteDatabase

from bookorbit_desktop.errors import DatabaseTooNewError
from bookorbit_desktop.library.search.fold import register_fold
from bookorbit_desktop.library.store.channel_tables import ALL_MODELS
from bookorbit_desktop.library.store.db import (
    PRAGMAS,
    LibraryDamagedError,
    LibraryOpenError,
    close_database,
    migrate,
    open_database,
    schema_version,
)
from bookorbit_desktop.library.store.migrations import MIGRATIONS, SCHEMA_VERSION
from bookorbit_desktop.library.store.models import Book, BookFile, ReadingState
from tests.factories import add_book
from tests.library.previous_schema import previous_schema_library
from tests.library.store.test_backup_file import small_drive  # noqa: F401
from tests.library.store.test_sharing import fill


def build_v1_library(path):
    """A library as the first release wrote it: schema 1 and some data."""
    db = SqliteDatabase(str(path))
    db.connect()
    MIGRATIONS[0](db)
    db.execute_sql("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute_sql("INSERT INTO schema_version (version) VALUES (1)")
    statements = [
        "INSERT INTO book (id, title, sort_title, identifiers, added_at, updated_at, isbn13)"
        " VALUES (1, 'Dune', 'dune', '{\"isbn\": \"9780441013593\"}', 1.0, 2.0, '9780441013593')",
        "INSERT INTO author (id, name, sort_name) VALUES (1, 'Frank Herbert', 'Herbert, Frank')",
        "INSERT INTO book_author (book_id, author_id, position, role) VALUES (1, 1, 0, 'aut')",
        "INSERT INTO book_file (id, book_id, path, format, size, mtime, partial_md5, missing,"
        " added_at) VALUES (1, 1, '/books/dune.epub', 'epub', 10, 3.0, 'abc', 0, 1.0)",
        "INSERT INTO document_alias (document, kind, book_id, book_file_id, created_at)"
        " VALUES ('abc', 'content', 1, 1, 1.0)",
        "INSERT INTO reading_state (book_id, status, progress, started, rating, updated_at)"
        " VALUES (1, 'reading', 0.25, '2024-01-02', 4.5, 5.0)",
        "INSERT INTO progress_event (document, book_id, device, percentage, progress, timestamp)"
        " VALUES ('abc', 1, 'Kobo', 0.25, '/body/DocFragment[3]', 1700000000)",
        "INSERT INTO setting (key, value) VALUES ('server.port', '9000')",
    ]
    for statement in statements:
        db.execute_sql(statement)
    db.close()


def test_migrating_a_v1_library_keeps_the_data_and_backs_it_up(tmp_path):
    path = tmp_path / "library.sqlite3"
    build_v1_library(path)
    db = open_database(path)
    try:
        assert schema_version(db) == SCHEMA_VERSION
        book = Book.get_by_id(1)
        assert (book.title, book.identifiers, book.author_names()) == (
            "Dune",
            {"isbn": "9780441013593"},
            ["Frank Herbert"],
        )
        assert BookFile.get().path == "/books/dune.epub"
        state = ReadingState.get()
        assert (state.status, state.progress, state.started, state.rating) == (
            "reading",
            0.25,
            "2024-01-02",
            4.5,
        )
        tables = {
            row[0] for row in db.execute_sql("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert "hardcover_match" in tables
    finally:
        close_database()
    [backup] = list(tmp_path.glob("library.sqlite3.v1-*.bak"))
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT version FROM schema_version").fetchone() == (1,)
        assert copy.execute("SELECT title FROM book").fetchall() == [("Dune",)]
        names = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        assert "hardcover_match" not in names


def test_a_migration_another_program_made_meanwhile_is_not_made_again(tmp_path):
    """Two programs open an older library at once (the window and a command): the one whose
    migration waited for the other's finds it made and goes on, instead of failing to make it
    a second time."""
    path = tmp_path / "library.sqlite3"
    previous_schema_library(path).close()
    mine, other = (SqliteDatabase(str(path), pragmas=PRAGMAS) for _ in range(2))
    for db in (mine, other):
        register_fold(db)
        db.connect()
    made_first: list[str] = []

    def on_statement(sql: str) -> None:
        if sql.startswith("BEGIN") and not made_first:
            made_first.append(sql)
            migrate(other, path)  # the other program takes the write lock first

    mine.connection().set_trace_callback(on_statement)
    try:
        migrate(mine, path)
        assert made_first == ["BEGIN IMMEDIATE"]
        assert schema_version(mine) == SCHEMA_VERSION
    finally:
        mine.close()
        other.close()


def test_opening_a_current_library_neither_migrates_nor_backs_up(tmp_path):
    path = tmp_path / "library.sqlite3"
    open_database(path)
    close_database()
    open_database(path)
    close_database()
    assert list(tmp_path.glob("*.bak")) == []


def test_a_library_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "library.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        raw.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION + 1,))
    with pytest.raises(DatabaseTooNewError) as caught:
        open_database(path)
    error = caught.value
    assert error.title == "Library written by a newer version"
    assert f"schema {SCHEMA_VERSION + 1}" in error.message
    assert "--data-dir" in error.message
    with sqlite3.connect(path) as raw:  # untouched
        assert raw.execute("SELECT version FROM schema_version").fetchall() == [
            (SCHEMA_VERSION + 1,)
        ]


def test_a_damaged_library_file_is_refused_with_a_clear_error_and_left_alone(tmp_path):
    path = tmp_path / "library.sqlite3"
    garbage = b"this is not a database, just some bytes " * 100
    path.write_bytes(garbage)
    with pytest.raises(LibraryOpenError) as caught:
        open_database(path)
    error = caught.value
    assert error.title == "Cannot open the library"
    assert str(path) in error.message and "--data-dir" in error.message
    assert path.read_bytes() == garbage
    assert list(tmp_path.glob("*.bak")) == []
    # What to do comes in plain words first; SQLite's own words only at the end.
    advice, said, detail = error.message.partition(" SQLite reported: ")
    assert advice.startswith(f"The library file {path} cannot be read, so BookOrbit will not")
    assert "`bookorbit-desktop restore BACKUP.zip`" in advice
    assert said and detail == "file is not a database."


def test_wal_and_foreign_keys_are_on(library):
    from bookorbit_desktop.library.store.models import database

    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(IntegrityError):
        BookFile.create(
            book=999, path="/x", format="epub", size=1, mtime=1, partial_md5="x", added_at=1
        )
    book = add_book("Cascade")
    book.delete_instance()
    assert ReadingState.select().count() == 0


def _schema(db, table):
    columns = {
        row[1]: {"notnull": bool(row[3]), "pk": bool(row[5])}
        for row in db.execute_sql(f"PRAGMA table_info({table})")
    }
    foreign = {
        row[3]: (row[2], row[6]) for row in db.execute_sql(f"PRAGMA foreign_key_list({table})")
    }
    unique = set()
    for index in db.execute_sql(f"PRAGMA index_list({table})").fetchall():
        if index[2]:
            cols = tuple(r[2] for r in db.execute_sql(f"PRAGMA index_info({index[1]})"))
            unique.add(cols)
    return columns, foreign, unique


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_models_agree_with_the_migrated_schema(library, model):
    from bookorbit_desktop.library.store.models import database

    table = model._meta.table_name
    columns, foreign, unique = _schema(database, table)
    fields = model._meta.sorted_fields
    assert [f.column_name for f in fields] == list(columns), f"column order or names of {table}"
    for field in fields:
        column = columns[field.column_name]
        if not field.primary_key:
            assert column["notnull"] == (not field.null), f"{table}.{field.column_name} NOT NULL"
        else:
            assert column["pk"], f"{table}.{field.column_name} is the primary key"
        if isinstance(field, ForeignKeyField):
            target, on_delete = foreign[field.column_name]
            assert target == field.rel_model._meta.table_name
            assert on_delete == (field.on_delete or "NO ACTION"), f"{table}.{field.column_name}"
        if field.unique:
            assert (field.column_name,) in unique, f"{table}.{field.column_name} UNIQUE"
    for fields_of_index, is_unique in model._meta.indexes:
        if is_unique:
            names = tuple(model._meta.fields[name].column_name for name in fields_of_index)
            assert names in unique, f"unique index {names} on {table}"


# Tables read and written in SQL only, with no model: the search index, the table's sort keys
# (`library.store.sort_keys_schema`, read by `services.library.table_window`), and the pull from
# Hardcover (`library.store.pull_schema`, read by `hardcover.pull.store`), the change
# journal (`library.store.journal_schema`, read by `library.journal.steps`), and the shelf
# feeds' join times (`library.store.shelf_joined_schema`, kept by `library.store.shelves`), and
# the books of a bulk write whose index rows wait for its end (`library.store.index_batch`), and
# the Hardcover counts kept by triggers (`library.store.hardcover_tally_schema`), and every
# language of a book (`library.store.languages`).
SQL_ONLY = {
    "change_step",
    "change_entry",
    "book_sort_key",
    "hardcover_pulled",
    "hardcover_pulled_list",
    "hardcover_pull_state",
    "hardcover_followed",
    "hardcover_conflict",
    "file_copy",
    "trash_intent",
    "shelf_joined",
    "index_batch",
    "sort_key_fold",
    "hardcover_facts",
    "hardcover_tally",
    "jumped_back",
    "book_read",
    "book_read_gone",
    "book_read_synced",
    "calibre_link",
    "custom_column",
    "custom_value",
    "custom_item",
    "reading_goal",
    "book_language",
    "tag_path",
    "tag_path_of",
    "custom_path",
}


def test_every_table_has_a_model(library):
    from bookorbit_desktop.library.store.models import database

    tables = {
        row[0]
        for row in database.execute_sql("SELECT name FROM sqlite_master WHERE type='table'")
        if not row[0].startswith("book_search")  # the search index, read in SQL only
    }
    models = {model._meta.table_name for model in ALL_MODELS}
    assert tables - SQL_ONLY == models | {"schema_version"}
    assert tables >= SQL_ONLY


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        (None, "no answer"),
        (("row 3 missing from index x",), "row 3 missing from index x"),
        (
            (
                "*** in database main ***\nOn tree page 6 cell 0: invalid page number 7\n"
                "On tree page 6 cell 1: Offset 0 out of range",
            ),
            "On tree page 6 cell 0: invalid page number 7, and 1 more problem",
        ),
        (
            ("*** in database main ***\n" + "\n".join(f"On page {n}: bad" for n in range(300)),),
            "On page 0: bad, and 299 more problems",
        ),
    ],
)
def test_a_damaged_library_is_named_by_its_first_problem(answer, shown):
    from bookorbit_desktop.library.store.db import _first_problem

    assert _first_problem(answer) == shown


def test_a_library_on_a_full_drive_is_not_called_damaged(small_drive, tmp_path):  # noqa: F811
    """SQLite cannot make its shared-memory file on a full drive and says "disk I/O error":
    the refusal says the drive is full, never that the library cannot be read (nor to copy an
    older copy over it), and the file is left as it was."""
    made = tmp_path / "library.sqlite3"
    open_database(made)
    add_book("Dune")
    close_database()
    path = small_drive / made.name
    shutil.copy(made, path)
    before = path.read_bytes()
    filler = fill(small_drive)
    with pytest.raises(LibraryOpenError) as refused:
        open_database(path)
    assert not isinstance(refused.value, LibraryDamagedError)
    assert refused.value.message.startswith(f"The drive of {path} is full: SQLite could not")
    assert refused.value.message.endswith(
        "Nothing was changed. Free some space on it, then start again."
    )
    assert path.read_bytes() == before
    filler.unlink()


def test_a_new_library_on_a_drive_that_fills_up_is_not_called_damaged(small_drive):  # noqa: F811
    """The drive fills while the new library's tables are made (the migration is rolled back):
    the drive is said to be full, not the library unreadable."""
    with pytest.raises(LibraryOpenError) as refused:
        open_database(small_drive / "library.sqlite3")
    assert not isinstance(refused.value, LibraryDamagedError)
    assert refused.value.message.startswith(f"The drive of {small_drive / 'library.sqlite3'} is")
