"""Schema: the reading journal's retry state (kept in a module of its own so `migrations` stays
within the module size; frozen like every shipped migration).

A journal entry Hardcover refused, or whose answer could not be checked, waits before it is
tried again, longer after each failure, instead of going out on every pass of the worker:
`attempts` counts the failures in a row, `next_attempt_at` is when it may go again (None: at
once), and `refused` keeps Hardcover's reason for the window and the command line.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def journal_backoff(db: SqliteDatabase) -> None:
    for column in (
        "attempts INTEGER NOT NULL DEFAULT 0",
        "next_attempt_at REAL",
        "refused TEXT",
    ):
        db.execute_sql(f"ALTER TABLE journal_entry ADD COLUMN {column}")
