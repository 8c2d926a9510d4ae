"""A library of one book, `emma.epub`, on a drive that is also the tidy folder (its pattern
`{title}` names the file `Emma.epub`: only the case changes). Run inside the test's own mount
namespace, where the drive is mounted (tests/library/files/test_kill_sweep.py).

    python -m tests.library.files.fat_setup DB_FILE DRIVE
"""

from __future__ import annotations

import sys
from pathlib import Path

from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book, make_epub


def main(db_file: str, drive: str) -> None:
    open_database(Path(db_file))
    add_book("Emma", ["Jane Austen"], file=make_epub(Path(drive) / "emma.epub", "Emma"))
    set_setting("library.tidy_folder", drive)
    set_setting("library.tidy_pattern", "{title}")
    close_database()


if __name__ == "__main__":
    main(*sys.argv[1:])
