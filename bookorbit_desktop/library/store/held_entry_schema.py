"""Schema 41: a copy that joins a Hardcover entry the user held back is held too.

A Cancel holds the books its review showed, with every copy linked to the same Hardcover book
(`hardcover.sync.declined`): one entry, one word. A copy linked to that book afterwards (a
second format imported and matched, a Pick, another process) would otherwise bring the
entry's change out with it, since the sync sends an entry made of all its copies. These
triggers hold such a copy, with the hold's reason, in the statement that links it, whoever
writes the link. Frozen like every shipped migration.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

# The hold of another copy linked to the same Hardcover book, if any.
_HELD_COPY = (
    "SELECT o.held FROM sync_outbox o JOIN hardcover_match c ON c.book_id = o.book_id"
    " WHERE c.hc_book_id = NEW.hc_book_id AND c.state = 'linked'"
    " AND c.book_id != NEW.book_id AND o.held IS NOT NULL LIMIT 1"
)
_BODY = (
    " WHEN NEW.state = 'linked' AND NEW.hc_book_id IS NOT NULL"
    f" AND EXISTS ({_HELD_COPY}) BEGIN"
    " INSERT OR IGNORE INTO sync_outbox (book_id, kinds, queued_at, attempts, version)"
    " VALUES (NEW.book_id, '{}', (julianday('now') - 2440587.5) * 86400.0, 0, 1);"
    f" UPDATE sync_outbox SET held = ({_HELD_COPY})"
    " WHERE book_id = NEW.book_id AND held IS NULL; END"
)


def held_entry(db: SqliteDatabase) -> None:
    """Schema: the triggers that hold a copy joining a held entry."""
    for name, event in (
        ("insert", "INSERT"),
        ("update", "UPDATE OF state, hc_book_id"),
    ):
        db.execute_sql(
            f"CREATE TRIGGER hardcover_match_joins_held_{name} AFTER {event}"
            f" ON hardcover_match FOR EACH ROW{_BODY}"
        )
