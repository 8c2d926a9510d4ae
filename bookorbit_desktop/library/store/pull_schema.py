"""Schema: what the pull from Hardcover keeps (kept in a module of its own so `migrations` stays
within the module size, and free of the ORM; frozen like every shipped migration).

- `hardcover_pulled`: the user's entries on Hardcover as last read, one row per entry, with
  the book's title, authors, ISBNs and slug (entries whose book is not in the library are the
  wishlist) and when a change on hardcover.app was last noticed.
- `hardcover_pulled_list`: the user's lists and the Hardcover book ids on each.
- `hardcover_pull_state`: the pull's high-water mark and a full pass's progress.
- `hardcover_followed`: a library value that followed Hardcover, with its date ("from
  Hardcover" in the book panel).
- `hardcover_conflict`: a field changed on both sides since the last sync, not pushed until the
  user picks a side.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def hardcover_pull_tables(db: SqliteDatabase) -> None:
    """Schema: the pull's tables."""
    for statement in (
        """CREATE TABLE hardcover_pulled (
            user_book_id INTEGER PRIMARY KEY,
            hc_book_id INTEGER NOT NULL,
            entry TEXT NOT NULL,
            remote_updated_at TEXT,
            changed_at REAL,
            changed_fields TEXT,
            title TEXT,
            authors TEXT,
            isbns TEXT,
            slug TEXT,
            seen_pass INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX hardcover_pulled_hc_book ON hardcover_pulled (hc_book_id)",
        """CREATE TABLE hardcover_pulled_list (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            slug TEXT,
            remote_updated_at TEXT,
            book_ids TEXT NOT NULL,
            seen_pass INTEGER NOT NULL DEFAULT 0)""",
        "CREATE TABLE hardcover_pull_state (key TEXT PRIMARY KEY, value TEXT)",
        """CREATE TABLE hardcover_followed (
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            value TEXT,
            followed_at REAL NOT NULL,
            PRIMARY KEY (book_id, field))""",
        """CREATE TABLE hardcover_conflict (
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            local_value TEXT,
            remote_value TEXT,
            noticed_at REAL NOT NULL,
            PRIMARY KEY (book_id, field))""",
    ):
        db.execute_sql(statement)
