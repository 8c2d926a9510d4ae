"""Schema: the `metadata_fetch` and `metadata_candidate` tables, what each metadata source last
answered for a book (kept in a module of its own so `migrations` stays within its size, and
free of the ORM so the schema version is read without loading it; frozen once shipped).
`fetched_metadata` reads and writes them.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def metadata_tables(db: SqliteDatabase) -> None:
    """Schema: one fetch state per book and source, and the candidates it found."""
    db.execute_sql(
        """CREATE TABLE metadata_fetch (
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            source VARCHAR(255) NOT NULL,
            status VARCHAR(255) NOT NULL,
            message TEXT NOT NULL DEFAULT '',
            fetched_at REAL NOT NULL,
            PRIMARY KEY (book_id, source))"""
    )
    db.execute_sql("CREATE INDEX metadata_fetch_status ON metadata_fetch (status)")
    db.execute_sql(
        """CREATE TABLE metadata_candidate (
            id INTEGER PRIMARY KEY,
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            source VARCHAR(255) NOT NULL,
            position INTEGER NOT NULL,
            data TEXT NOT NULL)"""
    )
    db.execute_sql(
        "CREATE UNIQUE INDEX metadata_candidate_book ON metadata_candidate "
        "(book_id, source, position)"
    )
