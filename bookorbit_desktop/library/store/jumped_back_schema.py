"""Schema: the pushes the jump-back guard kept out of their book's reading state
(`library.reading.jump_back`), each with the furthest position it jumped back from, which the
window offers to restore (kept in a module of its own so `migrations` stays within the module
size; frozen like every shipped migration). A push removed takes its mark with it: SQLite may
give its number to the next push.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def jumped_back(db: SqliteDatabase) -> None:
    """Schema: the jumped-back pushes and the positions they jumped back from."""
    for statement in (
        "CREATE TABLE jumped_back (event_id INTEGER PRIMARY KEY,"
        " from_event_id INTEGER NOT NULL, from_percentage REAL NOT NULL)",
        "CREATE TRIGGER jumped_back_push_delete AFTER DELETE ON progress_event"
        " BEGIN DELETE FROM jumped_back WHERE event_id = OLD.id; END",
    ):
        db.execute_sql(statement)
