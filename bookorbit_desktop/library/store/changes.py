"""Which books changed since a reader last looked: the `book_change` log.

Triggers (migrations `_v8_change_log` and `_v9_change_log_appends`) append a numbered entry
for every change to a book's row, its authors, files, reading state or Hardcover match, whoever
makes it: this app, its server's threads, the command line or another tool. A reader remembers
the highest number it saw and later asks only for the books changed after it, instead of
reading and comparing the whole library.

Appending is what keeps a KOReader push cheap; `compact_steps` keeps the log short. It removes
only entries that a later entry of the same book supersedes, so every book keeps its latest
number and `changed_since` answers the same before and after, for any number a reader holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from bookorbit_desktop.library.store.models import database

# The log is compacted once it holds this many entries more than the books it names (the
# books removed keep their last entry, so a reader learns they went).
SLACK_ENTRIES = 20_000
# Entries removed by one step (one transaction) of `compact_steps`: about a millisecond of
# holding the library's write lock, so a writer waiting for it is hardly held up.
COMPACT_STEP = 1_000


def last_change(db: Any = database) -> int:
    """The number of the latest change (0 before any)."""
    return int(db.execute_sql("SELECT IFNULL(MAX(seq), 0) FROM book_change").fetchone()[0])


def changed_since(seq: int, db: Any = database) -> set[int]:
    """The ids of the books changed (added, edited or removed) after change number `seq`."""
    rows = db.execute_sql("SELECT book_id FROM book_change WHERE seq > ?", (seq,))
    return {book_id for (book_id,) in rows}


def compact_steps(
    db: Any = database,
    *,
    slack: int | None = None,
    step: int = COMPACT_STEP,
    gate: AbstractContextManager[Any] | None = None,
) -> Iterator[int]:
    """When the log holds more than `slack` (`SLACK_ENTRIES`) entries beyond one per book it
    names, remove every entry but each book's latest, `step` entries per transaction (each
    inside `gate`, when given), oldest first; yield how many each step removed.

    One statement removing them all held the write lock for as long as it ran (0.1 to 0.3 s
    for 40,000 entries, while a KOReader push waited for it). The entries to remove are
    found first by a read, which holds no lock a writer waits for; an entry superseded then
    stays superseded (entries are only ever added after it), so the steps may run while others
    write, and a caller that stops between steps leaves the rest for the next time."""
    slack = SLACK_ENTRIES if slack is None else slack
    entries, books = db.execute_sql(
        "SELECT COUNT(*), COUNT(DISTINCT book_id) FROM book_change"
    ).fetchone()
    if entries <= books + slack:
        return
    superseded = [
        seq
        for (seq,) in db.execute_sql(
            "SELECT seq FROM book_change WHERE seq NOT IN"
            " (SELECT MAX(seq) FROM book_change GROUP BY book_id) ORDER BY seq"
        )
    ]
    for start in range(0, len(superseded), step):
        chunk = superseded[start : start + step]
        numbers = json.dumps(chunk)  # one statement inside the gate, not one per entry
        with gate or nullcontext(), db.atomic():
            db.execute_sql(
                "DELETE FROM book_change WHERE seq IN (SELECT value FROM json_each(?))", (numbers,)
            )
        yield len(chunk)
