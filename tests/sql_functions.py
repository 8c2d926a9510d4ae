"""The SQL functions the library's triggers call, registered on a plain `sqlite3` connection as
another tool writing the library would (the app's own connections have them from
`store.db.open_database`)."""

from __future__ import annotations

import sqlite3

from bookorbit_desktop.library.categories.paths import path_functions
from bookorbit_desktop.library.search.fold import SQL_FOLD, fold_value


def as_the_app(connection: sqlite3.Connection) -> sqlite3.Connection:
    """`connection`, able to write what the app writes (its triggers' functions)."""
    connection.create_function(SQL_FOLD, 1, fold_value, deterministic=True)
    for name, function in path_functions().items():
        connection.create_function(name, 1, function, deterministic=True)
    return connection
