"""What every command gets: the paths and a lazily opened library database (the ORM loads
with it, so a command that never opens the library never loads it)."""

from __future__ import annotations

from bookorbit_desktop.config import Paths

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


class CliContext:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self._db: SqliteDatabase | None = None

    def open_library(self, *, check: bool = True) -> SqliteDatabase:
        """Open the library (migrating it if needed); only commands that need it call this.
        Without `check`, for a command that only reads, a library at the current schema opens
        without SQLite's whole-file quick check (`open_database(check_later=True)`)."""
        if self._db is None:
            from bookorbit_desktop.library.store.db import open_database

            self._db = open_database(self.paths.db_file, check_later=not check)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            from bookorbit_desktop.library.store.db import close_database

            close_database()
            self._db = None
