"""Schema: every language of a book, in order, `book_language` (kept in a module of its own so
`migrations` stays within the module size, and free of the ORM; frozen like every shipped
migration). `library.store.languages` reads and writes it.

A book's languages are its rows by `position` (0 first), each `code` a normalised tag
(`metadata.languages`) once; `key` is the code folded as the search compares it
(`bookorbit_fold`). `book.language` stays the first language (the one the sort, the sort title,
the file names and Hardcover matching go by). A write of `book.language` alone (an import, an
edit of one language, an undo of an edit from before this schema) makes the list that language
alone, by trigger, unless it is already the first; `store.languages.set_languages_of` writes the
rows first and then `book.language`, which the trigger then leaves alone. Removing a book
removes its rows. The index by key answers `language:=fr` and counts each language's books
without reading a book's row; the index of second languages finds the few books with several
(the table shows theirs whole) without reading every book's.
"""

from __future__ import annotations

from bookorbit_desktop.library.store.sort_keys_schema import _folded

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

# The row of the book `NEW` with its one language, when it has one.
_ONE = (
    "INSERT INTO book_language (book_id, position, code, key)"
    f" SELECT NEW.id, 0, NEW.language, {_folded('NEW.language')} WHERE NEW.language != ''"
)


def book_languages(db: SqliteDatabase) -> None:
    """Schema: `book_language`, its index and triggers, with each book's language."""
    for statement in (
        """CREATE TABLE book_language (
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            code TEXT NOT NULL,
            key TEXT NOT NULL,
            PRIMARY KEY (book_id, position)) WITHOUT ROWID""",
        "CREATE INDEX book_language_key ON book_language (key, book_id)",
        "CREATE INDEX book_language_second ON book_language (book_id) WHERE position = 1",
        "INSERT INTO book_language (book_id, position, code, key)"
        f" SELECT id, 0, language, {_folded('language')} FROM book WHERE language != ''",
        "CREATE TRIGGER book_language_new AFTER INSERT ON book"
        f" WHEN NEW.language != '' BEGIN {_ONE}; END",
        "CREATE TRIGGER book_language_one AFTER UPDATE OF language ON book"
        " WHEN NEW.language IS NOT (SELECT code FROM book_language"
        " WHERE book_id = NEW.id AND position = 0)"
        f" BEGIN DELETE FROM book_language WHERE book_id = NEW.id; {_ONE}; END",
    ):
        db.execute_sql(statement)
