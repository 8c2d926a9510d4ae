"""A library at the schema before the newest migration (or another), with Émile Zola's
"Germinal" (in a series) and "Nana", for tests of what that migration builds when the app opens
it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from peewee import SqliteDatabase

from bookorbit_desktop.library.store.migrations import MIGRATIONS


def previous_schema_library(
    path: Path, before: Callable[[SqliteDatabase], None] | None = None
) -> SqliteDatabase:
    """The library at `path` (at the schema before migration `before`, when given), still open
    for the caller to add rows and close."""
    version = len(MIGRATIONS) - 1 if before is None else MIGRATIONS.index(before)
    old = SqliteDatabase(str(path))
    old.connect()
    for migration in MIGRATIONS[:version]:
        migration(old)
    old.execute_sql("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    old.execute_sql(f"INSERT INTO schema_version (version) VALUES ({version})")
    old.execute_sql("INSERT INTO author (id, name, sort_name) VALUES (1, 'Émile Zola', 'Zola')")
    for book, title, series in ((1, "Germinal", "Les Rougon-Macquart"), (2, "Nana", None)):
        old.execute_sql(
            "INSERT INTO book (id, title, sort_title, series, identifiers, added_at, updated_at)"
            " VALUES (?, ?, ?, ?, '{}', 0, 0)",
            (book, title, title.lower(), series),
        )
        old.execute_sql(
            "INSERT INTO book_author (book_id, author_id, position, role) VALUES (?, 1, 0, 'aut')",
            (book,),
        )
    return old
