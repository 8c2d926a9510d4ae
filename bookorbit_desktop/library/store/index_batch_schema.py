"""Schema: `index_batch`, the books whose search row (`book_search`) and sort keys
(`book_sort_key`) a bulk write refreshes once, at the end of its transaction, instead of row by
row (kept in a module of its own so `migrations` stays within the module size; frozen like every
shipped migration). `store.index_batch` opens and closes a batch.

The triggers of both (`search_index`, `sort_keys_schema`) refresh a book's rows on every write
that changes them: an import paid that for each book several times (its row, each credit, its
file), each time deleting and inserting its trigrams. While `index_batch` holds a row (a batch
is open), those triggers do nothing, and the triggers here note the books they would have
refreshed in it; closing the batch refreshes the noted books with the triggers' own statements
and empties the table. The table is empty in every committed state, so a reader never sees the
index or a sort key behind the books; a batch that never reaches its commit (an error, a killed
process) is rolled back with everything it noted.

Every trigger that writes a book's rows in either is made to stand aside: those of
`search_index` and `sort_keys_schema`, the author key from the authors' sort texts
(`author_sort_schema`) and the optional columns' keys (`column_keys_schema`), all named
`book_search_*` or `book_sort_key_*`. `_NOTED` names every write any of them refreshes a book
on (a book's columns, a credit, an author's name or sort text, a file's format or size, a
reading-progress push). `author.sort_key` (`author_sort_schema`) is not one of them: its
triggers write the author's own row once per author written, not a book's rows for each of its
credits and files, so there is nothing to gather (and writing it again at the end would log
every credited book once more in `book_change`, whose trigger follows every write of an author);
they keep it row by row in a batch too. A later trigger that writes either index is made to
stand aside by a migration of its own, with its writes added to the noted ones.

A batch is opened by its marker row, id 0, which is never a book's (were it one, its refresh is
only one more book refreshed).
"""

from __future__ import annotations

import re

from bookorbit_desktop.library.store.column_keys_schema import _BOOK_FACT_COLUMNS

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

BATCH_OPEN = "EXISTS (SELECT 1 FROM index_batch)"

# The writes that change a book's search row or sort keys, as the indexes' triggers know them:
# (name, event, a query of the ids of the books changed, an update's columns of which one must
# change). A book's columns: those of its sort keys (`column_keys_schema`), which hold the
# search's.
_CREDITED = "SELECT book_id FROM book_author WHERE author_id IN ({})"


def _ids(*books: str) -> str:
    """The query of these books' ids (a push's book may be none)."""
    return " UNION ALL ".join(f"SELECT {book} AS book_id" for book in books)


_NOTED: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("book_insert", "AFTER INSERT ON book", _ids("NEW.id"), ()),
    ("book_update", "AFTER UPDATE ON book", _ids("OLD.id", "NEW.id"), _BOOK_FACT_COLUMNS),
    ("book_delete", "AFTER DELETE ON book", _ids("OLD.id"), ()),
    (
        "author_update",
        "AFTER UPDATE ON author",
        _CREDITED.format("OLD.id, NEW.id"),
        ("id", "name", "sort_name"),
    ),
    ("author_delete", "AFTER DELETE ON author", _CREDITED.format("OLD.id"), ()),
    ("credit_insert", "AFTER INSERT ON book_author", _ids("NEW.book_id"), ()),
    ("credit_update", "AFTER UPDATE ON book_author", _ids("OLD.book_id", "NEW.book_id"), ()),
    ("credit_delete", "AFTER DELETE ON book_author", _ids("OLD.book_id"), ()),
    ("file_insert", "AFTER INSERT ON book_file", _ids("NEW.book_id"), ()),
    (
        "file_update",
        "AFTER UPDATE ON book_file",
        _ids("OLD.book_id", "NEW.book_id"),
        ("book_id", "format", "size"),
    ),
    ("file_delete", "AFTER DELETE ON book_file", _ids("OLD.book_id"), ()),
    ("push_insert", "AFTER INSERT ON progress_event", _ids("NEW.book_id"), ()),
    (
        "push_update",
        "AFTER UPDATE ON progress_event",
        _ids("OLD.book_id", "NEW.book_id"),
        ("book_id",),
    ),
    ("push_delete", "AFTER DELETE ON progress_event", _ids("OLD.book_id"), ()),
)


def _noting(name: str, event: str, books: str, changed: tuple[str, ...]) -> str:
    """The trigger noting `books` in the open batch on `event`. Each book is inserted once and
    only when not yet noted, not left to `OR IGNORE`: a trigger run by a foreign key's update
    (a removed book's pushes set to no book) takes that update's conflict rule, which fails on
    a book noted before."""
    condition = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in changed)
    when = f"{BATCH_OPEN} AND ({condition})" if condition else BATCH_OPEN
    return (
        f"CREATE TRIGGER index_batch_{name} {event} WHEN {when}"
        f" BEGIN INSERT INTO index_batch (book_id) SELECT DISTINCT book_id FROM ({books})"
        " WHERE book_id IS NOT NULL AND book_id NOT IN (SELECT book_id FROM index_batch); END"
    )


def outside_batch(sql: str) -> str:
    """A refreshing trigger's `CREATE TRIGGER` statement made to do nothing in an open batch:
    `BATCH_OPEN` negated, joined to its own condition if it has one."""
    head, body = re.split(r"\s+BEGIN\s+", sql, maxsplit=1, flags=re.IGNORECASE)
    event, *condition = re.split(r"\s+WHEN\s+", head, maxsplit=1, flags=re.IGNORECASE)
    when = f"NOT {BATCH_OPEN}" + "".join(f" AND ({own})" for own in condition)
    return f"{event} WHEN {when} BEGIN {body}"


def index_batch(db: SqliteDatabase) -> None:
    """Schema: the `index_batch` table, its noting triggers, and the indexes' triggers made to
    stand aside in a batch (every trigger named `book_search_*` or `book_sort_key_*`)."""
    db.execute_sql("CREATE TABLE index_batch (book_id INTEGER PRIMARY KEY)")
    triggers = db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        " AND (name GLOB 'book_search_*' OR name GLOB 'book_sort_key_*') ORDER BY name"
    ).fetchall()
    for name, sql in triggers:
        db.execute_sql(f"DROP TRIGGER {name}")
        db.execute_sql(outside_batch(sql))
    for noted in _NOTED:
        db.execute_sql(_noting(*noted))
