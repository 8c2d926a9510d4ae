"""Schema: `hardcover_match.hc_rating`, the average rating Hardcover's readers give the book a
library book is linked to (`hardcover.matching.catalog.average_rating`), NULL when it is not
linked or nobody rated the book; written with the link (kept in a module of its own so
`migrations` stays within the module size; frozen like every shipped migration).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def match_rating(db: SqliteDatabase) -> None:
    """Schema: the linked Hardcover book's average rating beside its link."""
    db.execute_sql("ALTER TABLE hardcover_match ADD COLUMN hc_rating REAL")
