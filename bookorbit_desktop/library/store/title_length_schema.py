"""Schema 40: the search index keeps the length of each book's folded title
(`book_search.title_length`), so `title:` is answered from the index's own rows.

The index's text is the folded title, a space, the folded series and the folded authors'
names (`search_index`, schema 16). `title:garden` asked the index for the books whose text
holds "garden", then read each one's row in `book` and folded its title again: a call into
Python (`bookorbit_fold`) for every title that is not plain ASCII, and a row read for every
candidate, most of which hold the word in their series or authors only. With the folded
title's length kept beside the text, the title is the text's first `title_length` characters:
the check reads nothing else and calls nothing (`search.query.title_query`).

FTS5 adds no column to a table it holds, so the index is made again, with the same text and
tokenizer. Its rows are written by schema 16's statements with the new column added
(`rewritten`): its triggers, rewritten in place (each one's event, condition and the batch's
test, `index_batch_schema`, kept as they are), and the batch's refresh (`store.index_batch`).
At 250,000 books the index is filled again in about 6 seconds, once.
Frozen like every shipped migration.
"""

from __future__ import annotations

from bookorbit_desktop.library.search.fold import SQL_FOLD, register_fold
from bookorbit_desktop.library.store import search_index

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

# The schema-16 insert's parts this one changes: the columns named, and the last value added.
_OLD_HEAD = "INSERT INTO book_search (rowid, text) SELECT b.id, "
_OLD_TAIL = "), '') FROM book b WHERE b.id IN ("
_NEW_HEAD = "INSERT INTO book_search (rowid, text, title_length) SELECT b.id, "
_NEW_TAIL = f"), ''), length({SQL_FOLD}(b.title)) FROM book b WHERE b.id IN ("


def rewritten(sql: str) -> str:
    """Schema-16 statements writing the index's rows (a trigger's, or its insert and delete)
    writing the folded title's length too."""
    inserts = sql.count(_OLD_HEAD)
    if inserts != sql.count(_OLD_TAIL):
        raise ValueError(f"not a search index statement this migration knows: {sql[:80]}")
    return sql.replace(_OLD_HEAD, _NEW_HEAD).replace(_OLD_TAIL, _NEW_TAIL)


def refresh(books: str) -> str:
    """The statements writing the index's rows of the books `books` (a query of ids) whole."""
    return rewritten(search_index._refresh(books))


def title_lengths(db: SqliteDatabase) -> None:
    """Schema 40: `book_search` made again with `title_length`, its triggers writing it."""
    register_fold(db)
    db.execute_sql("DROP TABLE book_search")  # its triggers, on other tables, stay
    db.execute_sql(
        "CREATE VIRTUAL TABLE book_search USING"
        " fts5(text, title_length UNINDEXED, tokenize = 'trigram case_sensitive 1')"
    )
    for name, sql in db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB 'book_search_*'"
    ).fetchall():
        db.execute_sql(f"DROP TRIGGER {name}")
        db.execute_sql(rewritten(sql))
    db.execute_sql(rewritten(search_index._INSERT.format(books="SELECT id FROM book")))
