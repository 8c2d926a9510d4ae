"""Schema: a read the user added or edited here, not yet one of Hardcover's, is to be sent
there as its own read (`book_read.to_send`; the sync's `gone_reads` inserts it). Frozen like
every shipped migration."""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def reads_to_send(db: SqliteDatabase) -> None:
    """Schema: the reads to send to Hardcover as reads of their own."""
    db.execute_sql("ALTER TABLE book_read ADD COLUMN to_send INTEGER NOT NULL DEFAULT 0")
