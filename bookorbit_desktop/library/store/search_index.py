"""Schema: `book_search`, the search index of every book's title, series and authors (kept in a
module of its own so `migrations` stays within the module size; frozen like every shipped
migration). `library.search.query` reads it.

One row per book, its rowid the book's id, its text the folded title, series and author names
separated by spaces. Triggers keep it in the same transaction as every write that changes those
(a book added, renamed or removed, an author renamed or removed, a credit added or removed), so
whatever writes the library (import, edits, removal, sync, another BookOrbit process) leaves it
current and nothing is ever rebuilt. The trigram tokenizer lets a query find any part of a word.
Folding runs in Python (`bookorbit_fold`), which every connection registers (another tool that
writes books registers `fold.fold_value` under that name, or SQLite refuses its write).
"""

from __future__ import annotations

from bookorbit_desktop.library.search.fold import SQL_FOLD, register_fold

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

# The indexed rows of the books whose ids `{books}` gives (those still in `book`).
_INSERT = (
    "INSERT INTO book_search (rowid, text) SELECT b.id, "
    f"{SQL_FOLD}(b.title) || ' ' || {SQL_FOLD}(b.series) || ' ' || IFNULL(("
    f"SELECT group_concat({SQL_FOLD}(a.name), ' ') FROM book_author ba"
    " JOIN author a ON a.id = ba.author_id WHERE ba.book_id = b.id), '')"
    " FROM book b WHERE b.id IN ({books});"
)
_DELETE = "DELETE FROM book_search WHERE rowid IN ({books});"


def _refresh(books: str) -> str:
    return _DELETE.format(books=books) + " " + _INSERT.format(books=books)


def _trigger(name: str, event: str, *books: str, changed: tuple[str, ...] = ()) -> str:
    """A trigger refreshing `books` on `event`; for an update, only when a `changed` column
    changed (a saved book rewrites every column)."""
    when = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in changed)
    condition = f" WHEN {when}" if when else ""
    body = " ".join(_refresh(book) for book in books)
    return f"CREATE TRIGGER book_search_{name} {event}{condition} BEGIN {body} END"


_CREDITED = "SELECT book_id FROM book_author WHERE author_id = {}"


def search_index(db: SqliteDatabase) -> None:
    """Schema: the `book_search` table, its triggers, and every book's row."""
    register_fold(db)
    statements = [
        "CREATE VIRTUAL TABLE book_search USING fts5(text, tokenize = 'trigram case_sensitive 1')",
        _trigger("book_insert", "AFTER INSERT ON book", "NEW.id"),
        _trigger(
            "book_update",
            "AFTER UPDATE OF id, title, series ON book",
            "OLD.id",
            "NEW.id",
            changed=("id", "title", "series"),
        ),
        _trigger("book_delete", "AFTER DELETE ON book", "OLD.id"),
        _trigger(
            "author_update",
            "AFTER UPDATE OF id, name ON author",
            _CREDITED.format("OLD.id"),
            _CREDITED.format("NEW.id"),
            changed=("id", "name"),
        ),
        # Credits go with their author (a cascade); without foreign keys they stay, unjoined.
        _trigger("author_delete", "AFTER DELETE ON author", _CREDITED.format("OLD.id")),
        _trigger("credit_insert", "AFTER INSERT ON book_author", "NEW.book_id"),
        _trigger("credit_update", "AFTER UPDATE ON book_author", "OLD.book_id", "NEW.book_id"),
        _trigger("credit_delete", "AFTER DELETE ON book_author", "OLD.book_id"),
        _INSERT.format(books="SELECT id FROM book"),
    ]
    for statement in statements:
        db.execute_sql(statement)
