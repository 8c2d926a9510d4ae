"""Schema: the index of the reading states by progress, which the library table's sort by
progress walks (`services.library.progress_order`) instead of sorting every book (kept in a
module of its own so `migrations` stays within the module size; frozen like every shipped
migration).

A KOReader push that moves a book's progress moves its entry in this index too: one index
entry written a push, in the same statement as the reading state itself.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def progress_index(db: SqliteDatabase) -> None:
    """Schema: the reading states' index by progress."""
    db.execute_sql("CREATE INDEX reading_state_progress ON reading_state (progress)")
