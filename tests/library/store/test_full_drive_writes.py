"""A bulk write of the library that fills its drive (a tag's rename on a thousand books, which
the tags' kept counts, `store.category_tally_schema`, and the change journal write with it):
the library is left as it was and opens again once there is room, and the user is told the
drive is full. SQLite rolls the transaction back itself when the drive is full; the rollback
the ORM then tries fails ("cannot rollback - no transaction is active"), and that error, not
the full drive, was what the user was shown."""

from __future__ import annotations

import logging
import shutil
import subprocess

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.tags.store import set_tags_of
from tests.factories import add_book
from tests.library.store.test_backup_file import small_drive  # noqa: F401
from tests.logging_support import restore_root_logger  # noqa: F401

BOOKS = 1500
ROOM = 128 * 1024  # bytes free beside the library: enough to open it, not to rename the tag


def test_a_tag_rename_that_fills_the_drive_says_so_and_changes_nothing(
    small_drive,  # noqa: F811
    tmp_path,
    capsys,
):
    made = tmp_path / "library.sqlite3"
    open_database(made)
    books = [add_book(f"Book {n}").id for n in range(BOOKS)]
    set_tags_of({book: ["Shelf.Big"] for book in books}, 0.0)
    close_database()
    size = made.stat().st_size + ROOM
    subprocess.run(["mount", "-o", f"remount,size={size}", str(small_drive)], check=True)
    (small_drive / "logs").mkdir()
    shutil.copy(made, small_drive / made.name)
    handlers = list(logging.getLogger().handlers)
    try:
        status = main(["--data-dir", str(small_drive), "tags", "rename", "Shelf.Big", "Other"])
    finally:  # the log file the command opened on the drive, closed before it is unmounted
        for handler in logging.getLogger().handlers[len(handlers) :]:
            logging.getLogger().removeHandler(handler)
            handler.close()
    err = capsys.readouterr().err
    assert status == 2
    assert "cannot rollback" not in err
    assert "full" in err.split("\n")[0]
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_drive)], check=True)
    open_database(small_drive / made.name)
    try:
        tagged = database.execute_sql(
            "SELECT count(*) FROM book_tag bt JOIN tag t ON t.id = bt.tag_id"
            " WHERE t.name = 'Shelf.Big'"
        )
        assert tagged.fetchone() == (BOOKS,)
        kept = database.execute_sql("SELECT path, books FROM tag_path ORDER BY path")
        assert kept.fetchall() == [("shelf", BOOKS), ("shelf.big", BOOKS)]
        check = database.execute_sql("PRAGMA integrity_check")
        assert check.fetchone() == ("ok",)
    finally:
        close_database()
