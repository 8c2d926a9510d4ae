"""Schema: the indexes the catalog's lists page through by sort key (kept in a module of its
own so `migrations` stays within the module size; frozen like every shipped migration).

Each list's order (`server.opds.queries`) is read from an index in that order, so a page deep
in the list costs what the first one does: titles and added dates already have theirs (an index
ends in the row id, the lists' last key); series names, the books of a series and of an author,
and the reading shelves get theirs here. The expressions are the lists' own, character for
character: SQLite uses an index on an expression only for that same expression.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

STATEMENTS = (
    "CREATE INDEX book_series_name_order ON book (lower(series), series)",
    "CREATE INDEX book_series_order ON book"
    " (series, (series_index IS NULL), coalesce(series_index, 0), sort_title)",
    "CREATE INDEX book_author_author_id_book_id ON book_author (author_id, book_id)",
    "CREATE INDEX reading_state_status_updated_at ON reading_state (status, updated_at)",
)


def catalog_indexes(db: SqliteDatabase) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
