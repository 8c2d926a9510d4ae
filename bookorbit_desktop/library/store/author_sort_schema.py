"""Schema: authors are sorted by their sort text ("Camus, Albert"), in the library table and the
catalog (kept in a module of its own so `migrations` stays within the module size; frozen like
every shipped migration).

- `author.sort_name`, which every author has, is worked out again by `author_sort` for the
  authors whose sort text was the earlier guess (last word first, particles and titles not
  recognised); a sort text a book gave (`file-as`) is kept.
- `author.sort_key`, the folded sort text (`bookorbit_fold`), kept by triggers on every write
  of an author, with an index of (sort_key, id): the catalog's Authors list walks it.
- `book_sort_key.authors`, the table's author key, is now the folded sort texts of the book's
  authors in credit order, joined with " & " (was: their names): the triggers of
  `sort_keys_schema` that write it are replaced by the same ones reading the sort texts, and
  an author's new sort text writes it too; a book's row written afresh gets it the same way.
"""

from __future__ import annotations

import re

from bookorbit_desktop.library.metadata.author_sort import author_sort
from bookorbit_desktop.library.search.fold import SQL_FOLD, register_fold
from bookorbit_desktop.library.store.sort_keys_schema import (
    _BOOK_COLUMNS,
    _key,
    _refresh,
    _trigger,
    credit_triggers,
)

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

_AUTHORS = (
    f"{SQL_FOLD}(coalesce((SELECT group_concat(sort_name, ' & ') FROM (SELECT a.sort_name"
    " FROM book_author ba JOIN author a ON a.id = ba.author_id WHERE ba.book_id = b.id"
    " ORDER BY ba.position)), ''))"
)
_authors = _key("authors", _AUTHORS)
_CREDITED = "SELECT book_id FROM book_author WHERE author_id IN ({})"
_WHITESPACE = re.compile(r"\s+")
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md"})
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _earlier_guess(name: str) -> str:
    """The sort text the library guessed for an author before this schema (frozen here, to
    tell a guess from a sort text a book gave)."""
    text = _WHITESPACE.sub(" ", name).strip()
    if "," in text or " " not in text or _CJK.search(text):
        return text
    words = text.split(" ")
    suffix: list[str] = []
    while len(words) > 2 and words[-1].casefold() in _SUFFIXES:
        suffix.insert(0, words.pop())
    surname = words.pop()
    guess = f"{surname}, {' '.join(words)}"
    return f"{guess}, {' '.join(suffix)}" if suffix else guess


def _book_refresh(books: str) -> str:
    """The statements writing the whole rows of `books` afresh, the author key as it is now."""
    return f"{_refresh(books)} {_authors(books)}"


def _sort_key_trigger(name: str, event: str) -> str:
    return (
        f"CREATE TRIGGER author_sort_key_{name} {event} BEGIN UPDATE author"
        f" SET sort_key = {SQL_FOLD}(NEW.sort_name) WHERE id = NEW.id; END"
    )


def author_sort_keys(db: SqliteDatabase) -> None:
    """Schema: authors' sort texts by `author_sort`, `author.sort_key` and the table's author
    key from the sort texts."""
    register_fold(db)
    rows = db.execute_sql("SELECT id, name, sort_name FROM author").fetchall()
    for author_id, name, sort_name in rows:
        if sort_name == _earlier_guess(name) and author_sort(name) != sort_name:
            db.execute_sql(
                "UPDATE author SET sort_name = ? WHERE id = ?", (author_sort(name), author_id)
            )
    replaced = (
        *("book_insert", "book_update", "author_update", "author_delete"),
        *("credit_insert", "credit_update", "credit_delete"),
    )
    for trigger in replaced:
        db.execute_sql(f"DROP TRIGGER book_sort_key_{trigger}")
    db.execute_sql("ALTER TABLE author ADD COLUMN sort_key TEXT")
    # Filling the new column changes no book: the change log's trigger is set aside meanwhile.
    (logged,) = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE name = 'book_change_author_update'"
    ).fetchone()
    db.execute_sql("DROP TRIGGER book_change_author_update")
    db.execute_sql(f"UPDATE author SET sort_key = {SQL_FOLD}(sort_name)")
    db.execute_sql(logged)
    statements = [
        "CREATE INDEX author_sort_key_order ON author (sort_key, id)",
        _sort_key_trigger("insert", "AFTER INSERT ON author"),
        _sort_key_trigger(
            "update", "AFTER UPDATE OF sort_name ON author WHEN OLD.sort_name IS NOT NEW.sort_name"
        ),
        _authors("SELECT book_id FROM book_sort_key"),
        _trigger("book_insert", "AFTER INSERT ON book", "NEW.id", write=_book_refresh),
        _trigger(
            "book_update",
            f"AFTER UPDATE OF {', '.join(_BOOK_COLUMNS)} ON book",
            "OLD.id, NEW.id",
            changed=_BOOK_COLUMNS,
            write=_book_refresh,
        ),
        *credit_triggers(_authors, "sort_name"),
    ]
    for statement in statements:
        db.execute_sql(statement)
