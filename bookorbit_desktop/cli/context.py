"""What every command gets: the paths and a lazily opened library database."""

from __future__ import annotations

from peewee import SqliteDatabase

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.store.db import close_database, open_database


class CliContext:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self._db: SqliteDatabase | None = None

    def open_library(self) -> SqliteDatabase:
        """Open the library (migrating it if needed); only commands that need it call this."""
        if self._db is None:
            self._db = open_database(self.paths.db_file)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            close_database()
            self._db = None
