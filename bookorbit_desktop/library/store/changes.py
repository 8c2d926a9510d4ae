"""Which books changed since a reader last looked: the `book_change` log.

Triggers (migration `_v8_change_log`) number every change to a book's row, its authors, files,
reading state or Hardcover match, whoever makes it: this app, its server's threads, the command
line or another tool. Each book keeps only its latest number, so the log never grows beyond
one row per book. A reader remembers the highest number it saw and later asks only for the
books changed after it, instead of reading and comparing the whole library.
"""

from __future__ import annotations

from typing import Any

from bookorbit_desktop.library.store.models import database


def last_change(db: Any = database) -> int:
    """The number of the latest change (0 before any)."""
    return int(db.execute_sql("SELECT IFNULL(MAX(seq), 0) FROM book_change").fetchone()[0])


def changed_since(seq: int, db: Any = database) -> set[int]:
    """The ids of the books changed (added, edited or removed) after change number `seq`."""
    rows = db.execute_sql("SELECT book_id FROM book_change WHERE seq > ?", (seq,))
    return {book_id for (book_id,) in rows}
