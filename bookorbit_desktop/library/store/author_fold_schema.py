"""Schema 38: every author's name kept folded (`author.fold`), as searches compare it.

`author:` looks for its folded value in each author's folded name. Folding a name that is not
plain ASCII is a call into Python (`bookorbit_fold`), so each such search folded every one of
those names again: at 250,000 books about 50,000 authors, half the time of the search. The
folded name is now kept with the name, by triggers that replace the ones keeping the folded
sort text (`author.sort_key`, schema 27): one write keeps both, and a write that leaves either
stale (a whole row saved with the values it was read with) has it written again.

The change log follows an author's name and sort text only (it followed every write of the
row, so each write of a derived key logged the author's books a second time).
Frozen like every shipped migration.
"""

from __future__ import annotations

from bookorbit_desktop.library.search.fold import SQL_FOLD, fold_column, register_fold

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

_SORT_KEY = f"{SQL_FOLD}(NEW.sort_name)"
_FOLD = fold_column("NEW.name")
_KEYS = f"UPDATE author SET sort_key = {_SORT_KEY}, fold = {_FOLD} WHERE id = NEW.id;"


def author_folds(db: SqliteDatabase) -> None:
    """Schema 38: `author.fold`, kept with `author.sort_key` on every write of an author."""
    register_fold(db)
    for trigger in (
        "author_sort_key_insert",
        "author_sort_key_update",
        "book_change_author_update",
    ):
        db.execute_sql(f"DROP TRIGGER {trigger}")
    statements = (
        "CREATE TRIGGER book_change_author_update AFTER UPDATE OF id, name, sort_name ON author"
        " BEGIN INSERT INTO book_change (book_id)"
        " SELECT book_id FROM book_author WHERE author_id = NEW.id; END",
        "ALTER TABLE author ADD COLUMN fold TEXT NOT NULL DEFAULT ''",
        f"UPDATE author SET fold = {fold_column('name')}",
        f"CREATE TRIGGER author_keys_insert AFTER INSERT ON author BEGIN {_KEYS} END",
        "CREATE TRIGGER author_keys_update AFTER UPDATE OF name, sort_name, sort_key, fold"
        f" ON author WHEN NEW.sort_key IS NOT {_SORT_KEY} OR NEW.fold IS NOT {_FOLD}"
        f" BEGIN {_KEYS} END",
    )
    for statement in statements:
        db.execute_sql(statement)
