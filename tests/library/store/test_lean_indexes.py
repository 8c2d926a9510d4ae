"""No index of the library repeats the first columns of another index on its table (schema 32
dropped the three that did: each was written on every insert and answered no query the longer
one does not), and the lookups they served still walk an index."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database


@pytest.fixture
def library(paths):
    open_database(paths.db_file)
    yield database
    close_database()


def _indexes(table: str) -> dict[str, tuple[str, ...]]:
    """The table's plain indexes (not unique, not partial) by name, with their columns (an
    expression as "<expr>"), and its unique ones under a "unique:" name."""
    found = {}
    for _, name, unique, _, partial in database.execute_sql(f"PRAGMA index_list('{table}')"):
        columns = tuple(
            column if column is not None else "<expr>"
            for _, _, column, *_ in database.execute_sql(f"PRAGMA index_info('{name}')")
        )
        if not partial:
            found[f"unique:{name}" if unique else name] = columns
    return found


def test_no_index_repeats_the_first_columns_of_another(library):
    tables = [
        name
        for (name,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'"
        )
    ]
    repeated = []
    for table in tables:
        indexes = _indexes(table)
        for name, columns in indexes.items():
            if name.startswith("unique:") or "<expr>" in columns:
                continue
            repeated += [
                (table, name, other)
                for other, longer in indexes.items()
                if len(longer) > len(columns) and longer[: len(columns)] == columns
            ]
    assert repeated == []


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (
            "SELECT book_id FROM book_author WHERE author_id = 1",
            "book_author_author_id_book_id",
        ),
        ("SELECT id FROM book_file WHERE book_id = 1", "book_file_present"),
        (
            "SELECT book_id FROM document_alias WHERE document = 'abc'",
            "document_alias_document_book_id_kind",
        ),
    ],
)
def test_the_lookups_of_the_dropped_indexes_walk_the_longer_one(library, query, index):
    plan = " ".join(row[-1] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {query}"))
    assert f"INDEX {index} (" in plan, plan
