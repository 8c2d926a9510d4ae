"""Schema: the index of the read books by finish date, which the catalog's Read shelf pages
through (`server.opds.queries.BY_FINISH`) instead of sorting every read book for each page
(kept in a module of its own so `migrations` stays within the module size; frozen like every
shipped migration).

It holds only the read books (the shelf's query names that status), latest finish last; books
without a finish date have the empty text, which sorts before every date. It ends in the row id
(the book's id), the shelf's last key.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def finished_index(db: SqliteDatabase) -> None:
    """Schema: the read books' index by finish date."""
    db.execute_sql(
        "CREATE INDEX reading_state_finished ON reading_state"
        " (coalesce(finished, ''), updated_at) WHERE status = 'read'"
    )
