"""Schema: the library browser's largest counts kept by triggers (schema 51; frozen like every
shipped migration), so that opening a category reads its values' counts instead of grouping
every link of the library (a quarter of a million credits, half a million tag links):

    author.books   how many books credit the author (a book once, whatever its roles)
    tag_path       each tag path (`categories.paths`, keyed by case alone) with how many books
                   carry a tag at it or below it: "fiction" counts a book tagged
                   "fiction.fantasy" and "fiction.horror" once
    custom_path    the same for each tag-like custom column's values (keyed as its values are
                   compared, case and accents aside)

Triggers keep them in the same transaction as every write of a credit, a tag link, a tag's
name or a value (whoever makes it; a book's removal takes its links, whose triggers count it
out). A row added counts its book in each of its paths no other row of the book is at or below;
a row removed counts it out of each no row left is; a row moved is one removed then one added.
A tag renamed moves its books from its old paths to its new ones in one statement a path. A
tag removed takes its links first, while its name tells their paths. A count that drops to
nothing takes its row away. The Inbox's books are counted here too: the browser takes them
away, as it does for every count (`categories.counts`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.library.categories.paths import (
    SQL_TAG_PATHS,
    SQL_VALUE_PATHS,
    register_paths,
)

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


@dataclass(frozen=True)
class _Tree:
    """A source of paths: `rows`, each row of a book (alias `o`); `covers` the condition that
    `o` is at or below the path {path}; `scope` the columns the counts are kept apart by (none,
    or the custom column)."""

    tally: str
    rows: str
    covers: str
    scope: tuple[str, ...]
    book_of: str  # the condition on `o` naming the book {book} (within the scope {column_id})
    same_row: str  # the condition that `o` is the row {row} (NEW)


_TAGS = _Tree(
    tally="tag_path",
    rows="book_tag o CROSS JOIN tag_path_of q ON q.tag_id = o.tag_id",
    covers="q.path = {path}",
    scope=(),
    book_of="o.book_id = {book}",
    same_row="(o.book_id = {row}.book_id AND o.tag_id = {row}.tag_id)",
)
# A value's paths are worked out (in Python) only for a value whose folded text is the path or
# begins with it and a dot, which each of its paths does (folding goes letter by letter).
_VALUES = _Tree(
    tally="custom_path",
    rows="custom_item o",
    covers=(
        "(o.key = {path} OR substr(o.key, 1, length({path}) + 1) = {path} || '.')"
        f" AND {{path}} IN (SELECT value FROM json_each({SQL_VALUE_PATHS}(o.value)))"
    ),
    scope=("column_id",),
    book_of="o.column_id = {column_id} AND o.book_id = {book}",
    same_row=(
        "(o.column_id = {row}.column_id AND o.book_id = {row}.book_id AND o.key = {row}.key)"
    ),
)


def _in_scope(tree: _Tree, row: str, alias: str = "") -> str:
    """The counts of `row`'s scope (OLD, NEW), of the table or of its alias."""
    prefix = f"{alias}." if alias else ""
    return " AND ".join(f"{prefix}{column} = {row}.{column}" for column in tree.scope) or "1"


def _covered(tree: _Tree, row: str, path: str, but: str) -> str:
    """Whether a row of `row`'s book other than the one `but` names is at or below `path`."""
    book = tree.book_of.format(book=f"{row}.book_id", column_id=f"{row}.column_id")
    covers = tree.covers.format(path=path)
    return f"EXISTS (SELECT 1 FROM {tree.rows} WHERE {book} AND NOT {but} AND {covers})"


def _counted(tree: _Tree, row: str, paths: str, step: str, but: str) -> str:
    """`row`'s book counted in (`step` +1) or out of (-1) each of `paths` (a query of `value`)
    no other of its rows (but `but`) is at or below."""
    alone = f"SELECT p.value FROM ({paths}) p WHERE NOT {_covered(tree, row, 'p.value', but)}"
    scope = _in_scope(tree, row)
    statements = [
        f"UPDATE {tree.tally} SET books = books {step} 1 WHERE {scope} AND path IN ({alone})"
    ]
    if step == "+":
        columns = "".join(f"{column}, " for column in tree.scope)
        values = "".join(f"{row}.{column}, " for column in tree.scope)
        statements.append(
            f"INSERT INTO {tree.tally} ({columns}path, books) SELECT {values}p.value, 1"
            f" FROM ({paths}) p WHERE NOT EXISTS (SELECT 1 FROM {tree.tally} c"
            f" WHERE {_in_scope(tree, row, 'c')} AND c.path = p.value)"
        )
    else:
        statements.append(
            f"DELETE FROM {tree.tally} WHERE {scope} AND books <= 0"
            f" AND path IN (SELECT value FROM ({paths}))"
        )
    return "; ".join(statements) + ";"


def _row_triggers(tree: _Tree, table: str, paths_of: str, moved: str) -> list[str]:
    """The triggers of `table`'s rows: `paths_of` the paths of a row (`{row}`) as a query of
    `value`, `moved` the columns whose change moves it."""
    new, old = paths_of.format(row="NEW"), paths_of.format(row="OLD")
    this = tree.same_row.format(row="NEW")
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in moved.split(", "))
    name = f"{tree.tally}_{table}"
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN"
        f" {_counted(tree, 'NEW', new, '+', this)} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN"
        f" {_counted(tree, 'OLD', old, '-', '0')} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {moved} ON {table} WHEN {changed} BEGIN"
        f" {_counted(tree, 'OLD', old, '-', this)} {_counted(tree, 'NEW', new, '+', this)} END",
    ]


def _renamed_tag() -> str:
    """A tag's books moved from the paths of its old name to those of its new one."""
    alone = _covered(_TAGS, "bt", "tag_path.path", "o.tag_id = NEW.id")
    books = f"(SELECT count(*) FROM book_tag bt WHERE bt.tag_id = NEW.id AND NOT {alone})"
    old, new = f"{SQL_TAG_PATHS}(OLD.name)", f"{SQL_TAG_PATHS}(NEW.name)"
    return (
        f"CREATE TRIGGER tag_path_tag_rename AFTER UPDATE OF name ON tag WHEN {old} IS NOT {new}"
        f" BEGIN UPDATE tag_path SET books = books - {books}"
        f" WHERE path IN (SELECT value FROM json_each({old}));"
        f" UPDATE tag_path SET books = books + {books}"
        f" WHERE path IN (SELECT value FROM json_each({new}));"
        " INSERT INTO tag_path (path, books) SELECT p.value, (SELECT count(*) FROM book_tag"
        f" WHERE tag_id = NEW.id) FROM json_each({new}) p WHERE NOT EXISTS (SELECT 1"
        " FROM tag_path c WHERE c.path = p.value)"
        " AND EXISTS (SELECT 1 FROM book_tag WHERE tag_id = NEW.id);"
        f" DELETE FROM tag_path WHERE books <= 0 AND path IN (SELECT value FROM json_each({old}));"
        " DELETE FROM tag_path_of WHERE tag_id = NEW.id;"
        f" INSERT INTO tag_path_of (tag_id, path) SELECT NEW.id, value FROM json_each({new}); END"
    )


def category_tallies(db: SqliteDatabase) -> None:
    """Schema: `author.books`, `tag_path` and `custom_path`, filled from the library as it is,
    and the triggers that keep them."""
    register_paths(db)
    statements = [
        "ALTER TABLE author ADD COLUMN books INTEGER NOT NULL DEFAULT 0",
        "UPDATE author SET books = (SELECT count(DISTINCT ba.book_id) FROM book_author ba"
        " WHERE ba.author_id = author.id)",
        "CREATE TRIGGER author_books_insert AFTER INSERT ON book_author BEGIN"
        " UPDATE author SET books = books + 1 WHERE id = NEW.author_id AND NOT EXISTS (SELECT 1"
        " FROM book_author o WHERE o.author_id = NEW.author_id AND o.book_id = NEW.book_id"
        " AND o.id != NEW.id); END",
        "CREATE TRIGGER author_books_delete AFTER DELETE ON book_author BEGIN"
        " UPDATE author SET books = books - 1 WHERE id = OLD.author_id AND NOT EXISTS (SELECT 1"
        " FROM book_author o WHERE o.author_id = OLD.author_id AND o.book_id = OLD.book_id); END",
        "CREATE TRIGGER author_books_update AFTER UPDATE OF book_id, author_id ON book_author"
        " WHEN OLD.book_id IS NOT NEW.book_id OR OLD.author_id IS NOT NEW.author_id BEGIN"
        " UPDATE author SET books = books - 1 WHERE id = OLD.author_id AND NOT EXISTS (SELECT 1"
        " FROM book_author o WHERE o.author_id = OLD.author_id AND o.book_id = OLD.book_id);"
        " UPDATE author SET books = books + 1 WHERE id = NEW.author_id AND NOT EXISTS (SELECT 1"
        " FROM book_author o WHERE o.author_id = NEW.author_id AND o.book_id = NEW.book_id"
        " AND o.id != NEW.id); END",
        # Each tag's paths, worked out once a name (its links' triggers read them).
        "CREATE TABLE tag_path_of (tag_id INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,"
        " path TEXT NOT NULL, PRIMARY KEY (tag_id, path)) WITHOUT ROWID",
        "INSERT INTO tag_path_of (tag_id, path) SELECT t.id, p.value FROM tag t"
        f" CROSS JOIN json_each({SQL_TAG_PATHS}(t.name)) p",
        "CREATE TRIGGER tag_path_of_insert AFTER INSERT ON tag BEGIN INSERT INTO tag_path_of"
        f" (tag_id, path) SELECT NEW.id, value FROM json_each({SQL_TAG_PATHS}(NEW.name)); END",
        "CREATE TABLE tag_path (path TEXT NOT NULL PRIMARY KEY, books INTEGER NOT NULL)"
        " WITHOUT ROWID",
        "INSERT INTO tag_path (path, books) SELECT p.path, count(DISTINCT bt.book_id)"
        " FROM book_tag bt CROSS JOIN tag_path_of p ON p.tag_id = bt.tag_id GROUP BY p.path",
        *_row_triggers(
            _TAGS,
            "book_tag",
            "SELECT path AS value FROM tag_path_of WHERE tag_id = {row}.tag_id",
            "book_id, tag_id",
        ),
        _renamed_tag(),
        # A tag's links go before it, while its name says which paths they count in.
        "CREATE TRIGGER tag_path_tag_delete BEFORE DELETE ON tag BEGIN"
        " DELETE FROM book_tag WHERE tag_id = OLD.id; END",
        # And its paths after it, foreign keys on or not (sqlite3's shell has them off): left,
        # the next tag given its id would count its books in them too.
        "CREATE TRIGGER tag_path_of_tag_delete AFTER DELETE ON tag BEGIN"
        " DELETE FROM tag_path_of WHERE tag_id = OLD.id; END",
        "CREATE TABLE custom_path (column_id INTEGER NOT NULL REFERENCES custom_column (id)"
        " ON DELETE CASCADE, path TEXT NOT NULL, books INTEGER NOT NULL,"
        " PRIMARY KEY (column_id, path)) WITHOUT ROWID",
        "INSERT INTO custom_path (column_id, path, books) SELECT ci.column_id, p.value,"
        f" count(DISTINCT ci.book_id) FROM custom_item ci"
        f" CROSS JOIN json_each({SQL_VALUE_PATHS}(ci.value)) p GROUP BY ci.column_id, p.value",
        *_row_triggers(
            _VALUES,
            "custom_item",
            f"SELECT value FROM json_each({SQL_VALUE_PATHS}({{row}}.value))",
            "column_id, key, book_id, value",
        ),
    ]
    for statement in statements:
        db.execute_sql(statement)
