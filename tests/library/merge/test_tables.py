"""Every table that names a book has a merge rule: a table added later without one fails
here, found from the migrated schema (its foreign keys to `book`, and any `book_id` column)."""

from __future__ import annotations

from bookorbit_desktop.library.merge.tables import NOT_FOLLOWED, TABLES, book_keys
from bookorbit_desktop.library.store.models import database


def test_every_table_with_a_foreign_key_to_a_book_has_a_merge_rule(library):
    keyed = set(book_keys())
    assert keyed, "the schema has tables that name a book"
    missing = keyed - set(TABLES)
    assert not missing, f"say how a merge treats {sorted(missing)} in library/merge/tables.py"


def test_every_book_id_column_is_followed_or_named_as_not_followed(library):
    tables = [name for (name,) in database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table'"
    )]  # fmt: skip
    naming = {
        table
        for table in tables
        if "book_id" in [row[1] for row in database.execute_sql(f"PRAGMA table_info({table})")]
    }
    assert naming - set(TABLES) - NOT_FOLLOWED == set()


def test_a_new_book_table_without_a_rule_is_caught(library):
    database.execute_sql(
        "CREATE TABLE book_note (id INTEGER PRIMARY KEY,"
        " book_id INTEGER REFERENCES book (id) ON DELETE CASCADE)"
    )
    assert "book_note" in set(book_keys()) - set(TABLES)
