"""Schema: the index of the books by their printed pages, which the library table's sort by
Pages walks (`services.library.table_window.SORT_KEYS`: the books without a count last, then
the library's order) instead of sorting every book (kept in a module of its own so
`migrations` stays within the module size; frozen like every shipped migration).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def pages_index(db: SqliteDatabase) -> None:
    """Schema: the books' index by printed pages, in the table's order."""
    db.execute_sql(
        "CREATE INDEX book_pages_order ON book (pages IS NULL, coalesce(pages, 0), sort_title, id)"
    )
