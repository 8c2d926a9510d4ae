"""Schema: `book_sort_key`, every book's keys for the library table's sorts by title, authors,
series and format, stored so that a sort of any size of library is a walk of an index (kept in
a module of its own so `migrations` stays within the module size; frozen like every shipped
migration). `services.library.table_window` reads it.

One row per book, `book_id` its id, holding the texts the table sorts by, folded as the table
folds them (`bookorbit_fold`; SQLite's `lower` for an ASCII text, the same result): the sort
title (the title when there is none), the authors joined with ", " in credit order, the series
(with `series_index`, 0 for none), the distinct formats in capitals joined with ", ". An empty
key is stored as an empty BLOB, which SQLite orders after every text: a book without one comes
last in ascending order and first in descending, as the table always sorted it. `sort_title`
is the book's own, the tie-break between equal keys; each key has an index of (key,
sort_title), the book's id being the rowid, so `ORDER BY key, sort_title, book_id` either way
is read from the index, without a sort.

Triggers keep it in the same transaction as every write that changes a key (a book added,
edited or removed, a credit added, moved or removed, an author renamed or removed, a file
added, removed or of another format), so whatever writes the library (import, edits, removal,
sync, another BookOrbit process) leaves it current. Like `book_search` (`search_index`), the
triggers call `bookorbit_fold`, which every connection registers (another tool that writes
books registers `fold.fold_value` under that name, or SQLite refuses its write).
"""

from __future__ import annotations

from bookorbit_desktop.library.search.fold import SQL_FOLD, register_fold

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from collections.abc import Callable

    from peewee import SqliteDatabase


def _folded(text: str) -> str:
    """`bookorbit_fold(text)`; an ASCII text by SQLite's `lower`, without a call into Python."""
    return (
        f"(CASE WHEN length(CAST({text} AS BLOB)) = length({text}) THEN lower({text})"
        f" ELSE {SQL_FOLD}({text}) END)"
    )


def _last_if_empty(key: str) -> str:
    """`key`, or an empty BLOB (after every text) when it is empty; `key` is worked out once."""
    return f"coalesce(nullif({key}, ''), X'')"


_TITLE = _folded("(CASE WHEN coalesce(b.sort_title, '') = '' THEN b.title ELSE b.sort_title END)")
_AUTHORS = (
    f"{SQL_FOLD}(coalesce((SELECT group_concat(name, ', ') FROM (SELECT a.name FROM book_author"
    " ba JOIN author a ON a.id = ba.author_id WHERE ba.book_id = b.id ORDER BY ba.position)),"
    " ''))"
)
_FORMATS = (
    "upper(coalesce((SELECT group_concat(format, ', ') FROM (SELECT DISTINCT format"
    " FROM book_file WHERE book_id = b.id ORDER BY format)), ''))"
)
# The key rows of the books whose ids `{books}` gives (those still in `book`).
_INSERT = (
    "INSERT INTO book_sort_key (book_id, sort_title, title, authors, series, series_index,"
    f" formats) SELECT b.id, b.sort_title, {_last_if_empty(_TITLE)},"
    f" {_last_if_empty(_AUTHORS)}, {_last_if_empty(_folded('b.series'))},"
    f" coalesce(b.series_index, 0.0), {_last_if_empty(_FORMATS)}"
    " FROM book b WHERE b.id IN ({books});"
)
_DELETE = "DELETE FROM book_sort_key WHERE book_id IN ({books});"


def _refresh(books: str) -> str:
    """The statements writing the whole rows of `books` afresh."""
    return _DELETE.format(books=books) + " " + _INSERT.format(books=books)


def _key(column: str, key: str) -> Callable[[str], str]:
    """The statement writing only `column` of the rows of some books afresh: a credit or a file
    changes one key (an import adds a book's credits and files one by one)."""
    value = _last_if_empty(key.replace("b.id", "book_sort_key.book_id"))
    return lambda books: f"UPDATE book_sort_key SET {column} = {value} WHERE book_id IN ({books});"


_authors = _key("authors", _AUTHORS)
_formats = _key("formats", _FORMATS)


def _trigger(
    name: str,
    event: str,
    books: str,
    changed: tuple[str, ...] = (),
    write: Callable[[str], str] = _refresh,
) -> str:
    """A trigger writing the keys of `books` (an IN list: ids, or one query) afresh (`write`)
    on `event`, once for all of them; for an update, only when a `changed` column changed (a
    saved book rewrites every column)."""
    when = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in changed)
    condition = f" WHEN {when}" if when else ""
    return f"CREATE TRIGGER book_sort_key_{name} {event}{condition} BEGIN {write(books)} END"


_CREDITED = "SELECT book_id FROM book_author WHERE author_id IN ({})"
_BOOK_COLUMNS = ("id", "title", "sort_title", "series", "series_index")


def credit_triggers(write: Callable[[str], str], author_column: str) -> list[str]:
    """The triggers writing the author key (`write`) of the books an author or a credit
    change: an author's id or `author_column` (the text the key is made of), an author gone,
    a credit added, moved or removed."""
    return [
        _trigger(
            "author_update",
            f"AFTER UPDATE OF id, {author_column} ON author",
            _CREDITED.format("OLD.id, NEW.id"),
            changed=("id", author_column),
            write=write,
        ),
        # Credits go with their author (a cascade); without foreign keys they stay, unjoined.
        _trigger(
            "author_delete", "AFTER DELETE ON author", _CREDITED.format("OLD.id"), write=write
        ),
        _trigger("credit_insert", "AFTER INSERT ON book_author", "NEW.book_id", write=write),
        _trigger(
            "credit_update",
            "AFTER UPDATE ON book_author",
            "OLD.book_id, NEW.book_id",
            changed=("book_id", "author_id", "position"),
            write=write,
        ),
        _trigger("credit_delete", "AFTER DELETE ON book_author", "OLD.book_id", write=write),
    ]


def sort_keys(db: SqliteDatabase) -> None:
    """Schema: the `book_sort_key` table, its triggers, every book's row and the indexes."""
    register_fold(db)
    statements = [
        """CREATE TABLE book_sort_key (
            book_id INTEGER PRIMARY KEY,
            sort_title, title, authors, series, series_index, formats)""",
        _INSERT.format(books="SELECT id FROM book"),
        "CREATE INDEX book_sort_key_title ON book_sort_key (title, sort_title)",
        "CREATE INDEX book_sort_key_authors ON book_sort_key (authors, sort_title)",
        "CREATE INDEX book_sort_key_series ON book_sort_key (series, series_index, sort_title)",
        "CREATE INDEX book_sort_key_formats ON book_sort_key (formats, sort_title)",
        _trigger("book_insert", "AFTER INSERT ON book", "NEW.id"),
        _trigger(
            "book_update",
            f"AFTER UPDATE OF {', '.join(_BOOK_COLUMNS)} ON book",
            "OLD.id, NEW.id",
            changed=_BOOK_COLUMNS,
        ),
        _trigger("book_delete", "AFTER DELETE ON book", "OLD.id"),
        *credit_triggers(_authors, "name"),
        _trigger("file_insert", "AFTER INSERT ON book_file", "NEW.book_id", write=_formats),
        _trigger(
            "file_update",
            "AFTER UPDATE OF book_id, format ON book_file",
            "OLD.book_id, NEW.book_id",
            changed=("book_id", "format"),
            write=_formats,
        ),
        _trigger("file_delete", "AFTER DELETE ON book_file", "OLD.book_id", write=_formats),
    ]
    for statement in statements:
        db.execute_sql(statement)
