"""New library files for the tests: each a copy of one library that `open_database` made in this
test process. Making a library runs every migration in turn (about a sixth of a second, most of
the setup of a test that needs one); copying the made file takes a millisecond, and opening the
copy is the path every later start of the app takes."""

from __future__ import annotations

import shutil
from pathlib import Path

from bookorbit_desktop.library.store.db import close_database, open_database

_made: list[Path] = []


def make_first(folder: Path) -> None:
    """Make the library the others copy, in `folder` (once per test process, before any test
    opens a library: making it binds the models to it until it is closed)."""
    path = folder / "library.sqlite3"
    open_database(path)
    close_database()
    _made[:] = [path]


def new_library(db_file: Path) -> None:
    """An empty library at `db_file`, as `open_database` makes one there; nothing is copied
    where a library, a backup or a restore's leftover already is (`open_database` decides)."""
    folder = db_file.parent
    if not _made or any(folder.glob(f"{db_file.name}*")) or any(folder.glob(".restore-*")):
        return
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_made[0], db_file)
