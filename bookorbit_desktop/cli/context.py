"""What every command gets: the paths and a lazily opened library database (the ORM loads
with it, so a command that never opens the library never loads it).

A command that uses the library shares it (`library.store.sharing`) from before its first read
to its end, so no restore replaces the library under it; one started during a restore waits
for it a moment (saying so on stderr), then is refused."""

from __future__ import annotations

import sys

from bookorbit_desktop.cli.words import undo_hint
from bookorbit_desktop.config import Paths

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

    from bookorbit_desktop.library.store.sharing import LibraryUse


class CliContext:
    def __init__(self, paths: Paths, command: str, data_dir: str | None = None) -> None:
        self.paths = paths
        self.command = command  # as typed ("import", "books edit"): what a refusal names
        self.data_dir = data_dir  # the --data-dir typed (None: the default or the variable's)
        self._db: SqliteDatabase | None = None
        self._use: LibraryUse | None = None

    def use_library(self) -> None:
        """Share the library from now until `close` (a command reading it before it opens
        it, as `import` does, calls this first). LibraryRestoringError when a restore keeps
        it too long."""
        if self._use is None:
            from bookorbit_desktop.library.store.sharing import LibraryUse

            use = LibraryUse(self.paths.data_dir, self.command, on_wait=self._say_waiting)
            use.acquire()
            self._use = use

    def undo_hint(self, step: str | None = None) -> str:
        """How to take a change back (`words.undo_hint`), on this command's library."""
        return undo_hint(self.data_dir, step)

    def _say_waiting(self) -> None:
        print("A restore is replacing the library: waiting for it to finish…", file=sys.stderr)

    def open_library(self, *, check: bool = True) -> SqliteDatabase:
        """Open the library (migrating it if needed); only commands that need it call this.
        Without `check`, for a command that only reads, a library at the current schema opens
        without SQLite's whole-file quick check (`open_database(check_later=True)`)."""
        if self._db is None:
            self.use_library()
            from bookorbit_desktop.library.store.db import open_database

            self._db = open_database(self.paths.db_file, check_later=not check)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            from bookorbit_desktop.library.store.db import close_database

            close_database()
            self._db = None
        use, self._use = self._use, None
        if use is not None:
            use.release()
