"""Schema: the index the Hardcover page reads the copies of one Hardcover book by (kept in a
module of its own so `migrations` stays within the module size; frozen like every shipped
migration).

The page puts linked books that share a Hardcover book under one row, and its Use This Copy
button asks for the other copies of the selected book: both look linked matches up by
Hardcover book, which without this index meant reading every match.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

STATEMENTS = (
    "CREATE INDEX hardcover_match_hc_book_id_state ON hardcover_match (hc_book_id, state)",
)


def dashboard_indexes(db: SqliteDatabase) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
