"""Schema: the library table's sort keys by progress and by last read, brought up to date after
a KOReader push instead of inside it (kept in a module of its own so `migrations` stays within
the module size; frozen like every shipped migration). `store.pushed_keys` brings them up to
date and says how they are read exactly meanwhile.

Every page turned on a device is a push, and every push moves its book in both orders. Kept by
the push's own transaction, the two orders cost it four more pages of the write-ahead log (an
entry moved in the reading states' progress index, the book's key row and its entry in the
last-read index): two thirds more than the rest of a push, on the path whose answer a reader
waits for. So from this schema on a push writes neither, and both are brought up to date
later, for all the books pushed meanwhile at once; and a push writes one index entry less:

- `book_sort_key.progress`: the book's reading progress (0 without a reading state), with its
  index of (progress, sort_title) like every other key, in place of the reading states' index
  by progress (`progress_index_schema`), which a push moved on every page turn;
- `book_sort_key.last_read` (`column_keys_schema`) is no longer written by a push
  (`book_sort_key_push_insert` goes; a push moved to another book or removed still writes it);
- the reading shelves' index (`reading_state_status_updated_at`, the catalog's lists of the
  books being read, wanted and read, most recently changed first: `catalog_indexes`) leaves
  out the unread books: a first push of a book moved its entry out of the unread ones, a page
  of the index far from the others a push writes, and no list is of unread books;
- `sort_key_fold`, one row: the last change (`book_change.seq`) and the last push
  (`progress_event.id`) the two keys are up to date with. The books changed or pushed after
  them are the ones to bring up to date: both logs are appended to by every write that moves a
  book's progress or last read, and neither loses a book's latest entry. A push removed may
  let SQLite give its number again, so removing one at or below the mark lowers the mark
  below it.

A key row written afresh by a trigger (a book's title edited) gets the progress 0 until the
next time the keys are brought up to date: its book is in the change log, so it is among those
brought up to date (a bulk write's rows are written whole, the progress with them). A reader
of either order reads the keys of the books behind afresh (`store.pushed_keys`).
"""

from __future__ import annotations

from bookorbit_desktop.library.store.column_keys_schema import _LAST_READ

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def pushed_keys(db: SqliteDatabase) -> None:
    """Schema: the progress key, the mark the two keys are up to date with, no key written by
    a push, the shelves' index without the unread books."""
    statements = (
        "ALTER TABLE book_sort_key ADD COLUMN progress REAL NOT NULL DEFAULT 0.0",
        "UPDATE book_sort_key SET progress = (SELECT r.progress FROM reading_state r"
        " WHERE r.book_id = book_sort_key.book_id)"
        " WHERE book_id IN (SELECT book_id FROM reading_state WHERE progress != 0.0)",
        "CREATE INDEX book_sort_key_progress ON book_sort_key (progress, sort_title)",
        "DROP INDEX reading_state_progress",
        "DROP TRIGGER book_sort_key_push_insert",
        "DROP INDEX reading_state_status_updated_at",
        "CREATE INDEX reading_state_status_updated_at ON reading_state (status, updated_at)"
        " WHERE status != 'unread'",
        "CREATE TABLE sort_key_fold (id INTEGER PRIMARY KEY CHECK (id = 1),"
        " change_seq INTEGER NOT NULL, event_id INTEGER NOT NULL)",
        "INSERT INTO sort_key_fold (id, change_seq, event_id) VALUES (1,"
        " (SELECT IFNULL(MAX(seq), 0) FROM book_change),"
        " (SELECT IFNULL(MAX(id), 0) FROM progress_event))",
        "CREATE TRIGGER sort_key_fold_push_delete AFTER DELETE ON progress_event"
        " BEGIN UPDATE sort_key_fold SET event_id = OLD.id - 1 WHERE event_id >= OLD.id; END",
    )
    for statement in statements:
        db.execute_sql(statement)


# A book's progress key: its reading progress, 0 without a reading state (the one rule, which
# `pushed_keys` and a bulk write's key rows use); the last read's is `column_keys_schema`'s,
# as a value (`READ`).
PROGRESS = (
    "coalesce((SELECT r.progress FROM reading_state r WHERE r.book_id = book_sort_key.book_id),"
    " 0.0)"
)
READ = _LAST_READ.partition(" = ")[2]
_NEWEST_PUSH = "(SELECT IFNULL(MAX(id), 0) FROM progress_event)"


def pushed_keys_mark_kept_below_reuse(db: SqliteDatabase) -> None:
    """Schema 37: the mark never stays above the newest push. SQLite numbers a new push one
    after the newest there is, so once the newest pushes were removed, a new one could take a
    number at or below the mark: counted as brought up to date, its book's last read was
    never caught up (schema 36 lowered the mark only below the one push removed). Removing a
    push now lowers the mark to the newest push left when it was above it; a push removed
    below it needs nothing, its book's last read being written by its own trigger. A library
    this already happened to gets the keys that differ from their values written once."""
    statements = (
        "DROP TRIGGER sort_key_fold_push_delete",
        "CREATE TRIGGER sort_key_fold_push_delete AFTER DELETE ON progress_event BEGIN"
        f" UPDATE sort_key_fold SET event_id = {_NEWEST_PUSH} WHERE event_id > {_NEWEST_PUSH};"
        " END",
        f"UPDATE sort_key_fold SET event_id = {_NEWEST_PUSH} WHERE event_id > {_NEWEST_PUSH}",
        f"UPDATE book_sort_key SET progress = {PROGRESS}, last_read = {READ}"
        f" WHERE progress IS NOT {PROGRESS} OR last_read IS NOT {READ}",
    )
    for statement in statements:
        db.execute_sql(statement)
