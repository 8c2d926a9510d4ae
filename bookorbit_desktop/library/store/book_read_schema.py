"""Schema: every read of a book (`book_read`), one row a time through it (kept in a module of
its own so `migrations` stays within the module size; frozen like every shipped migration).

A read has a start, a finish (or none), a state (`done`, `open` or `abandoned`), the pages
read or the progress when known, the device KOReader named, its source (`library`: this
library; `koreader`: a KOReader device's statistics; `hardcover`: hardcover.app) and, once
known, the Hardcover read it is (`hardcover_read_id`, one library read per Hardcover read).
A read deleted by the user that was a Hardcover read is kept in `book_read_gone` (its dates as
they were) until the sync has deleted that read on Hardcover too, or found it changed there;
`book_read_synced` holds each Hardcover read's dates as last in step with the library (the base
that tells an edit here from one on hardcover.app) and whether the user edited the read since.
Each book's reading state as it stood becomes its first read: read or skimmed a done read,
reading, rereading or on hold an open one, abandoned an abandoned one, any other status with a
date an open one.

From then on the reading state is the latest read (`LATEST_FIRST`: the open one, else the one
begun last) (one rule, kept by triggers, so that every path that records reading, a KOReader
push, Mark Read, an edit, the pull, keeps it):

| the reading state changes to                 | the book's latest read                       |
|----------------------------------------------|----------------------------------------------|
| reading, rereading or on hold, the latest    | a new open read begins (a re-read)           |
| read done (or with no read yet)              |                                              |
| any other active status (or dates)           | takes its start, finish, state and progress  |
| unread or want to read, with no dates        | an open read is dropped (reading undone);    |
|                                              | a done or abandoned one stays                |
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def book_reads(db: SqliteDatabase) -> None:
    """Schema: the reads table, each book's reading state moved into its first read."""
    for statement in (
        """CREATE TABLE book_read (
            id INTEGER PRIMARY KEY,
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            started TEXT,
            finished TEXT,
            state TEXT NOT NULL CHECK (state IN ('done', 'open', 'abandoned')),
            pages INTEGER,
            progress REAL,
            device TEXT,
            source TEXT NOT NULL CHECK (source IN ('library', 'koreader', 'hardcover')),
            hardcover_read_id INTEGER UNIQUE,
            created_at REAL NOT NULL)""",
        "CREATE INDEX book_read_book ON book_read (book_id, id)",
        """CREATE TABLE book_read_gone (
            hardcover_read_id INTEGER PRIMARY KEY,
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            started TEXT,
            finished TEXT,
            gone_at REAL NOT NULL)""",
        "CREATE INDEX book_read_gone_book ON book_read_gone (book_id)",
        """CREATE TABLE book_read_synced (
            hardcover_read_id INTEGER PRIMARY KEY,
            started TEXT,
            finished TEXT,
            edited INTEGER NOT NULL DEFAULT 0)""",
        """INSERT INTO book_read (book_id, started, finished, state, progress, source,
                                  created_at)
           SELECT book_id, started,
                  CASE WHEN status IN ('read', 'skimmed', 'abandoned') THEN finished END,
                  CASE WHEN status IN ('read', 'skimmed') THEN 'done'
                       WHEN status = 'abandoned' THEN 'abandoned' ELSE 'open' END,
                  CASE WHEN status IN ('read', 'skimmed') THEN 1.0 ELSE progress END,
                  'library', updated_at
           FROM reading_state
           WHERE status IN ('read', 'skimmed', 'reading', 'rereading', 'on_hold', 'abandoned')
              OR started IS NOT NULL OR finished IS NOT NULL
           ORDER BY book_id""",
        _follow("INSERT"),
        _follow("UPDATE OF status, started, finished, progress"),
        _PROGRESS_ONLY,
        _DEVICE,
    ):
        db.execute_sql(statement)


_ACTIVE = (
    "(NEW.status IN ('read', 'skimmed', 'reading', 'rereading', 'on_hold', 'abandoned') "
    "OR NEW.started IS NOT NULL OR NEW.finished IS NOT NULL)"
)
# A book's latest read: its open one, else the one that began (or ended) last, else the last
# written. The reads list and its edits name it by this same order.
LATEST_FIRST = "state = 'open' DESC, coalesce(started, finished) DESC, id DESC"
_LATEST = f"(SELECT id FROM book_read WHERE book_id = NEW.book_id ORDER BY {LATEST_FIRST} LIMIT 1)"
_STATE = (
    "CASE WHEN NEW.status IN ('read', 'skimmed') THEN 'done' "
    "WHEN NEW.status = 'abandoned' THEN 'abandoned' ELSE 'open' END"
)
_FINISHED = "CASE WHEN NEW.status IN ('read', 'skimmed', 'abandoned') THEN NEW.finished END"
_PROGRESS = "CASE WHEN NEW.status IN ('read', 'skimmed') THEN 1.0 ELSE NEW.progress END"


# A change of the reading state's progress alone (every KOReader push after the first): the
# latest read only takes it, as the general trigger's last statement would (its others do
# nothing then), without the general trigger's other two lookups on the push's hot path.
_SAME_READ = (
    "(NEW.status IS OLD.status AND NEW.started IS OLD.started AND NEW.finished IS OLD.finished)"
)
_KEEP_LATEST = f"""UPDATE book_read SET started = NEW.started, finished = {_FINISHED},
                state = {_STATE}, progress = {_PROGRESS}
            WHERE id = {_LATEST} AND {_ACTIVE};"""
_PROGRESS_ONLY = f"""CREATE TRIGGER book_read_follows_progress AFTER UPDATE OF progress
        ON reading_state WHEN {_SAME_READ}
        BEGIN
            {_KEEP_LATEST}
        END"""


# The device a KOReader push names is the latest read's (the last one, read on two devices);
# not a position the library served again (a Restore, or an undone one: `rows.served_again`).
_DEVICE = f"""CREATE TRIGGER book_read_device AFTER INSERT ON progress_event
        WHEN NEW.book_id IS NOT NULL
             AND (NEW.device_id IS NULL OR NEW.device_id NOT LIKE 'bookorbit-restore%')
        BEGIN
            UPDATE book_read SET device = NEW.device
            WHERE id = {_LATEST} AND state != 'abandoned' AND device IS NOT NEW.device;
        END"""


def _follow(event: str) -> str:
    """The trigger keeping a book's latest read the reading state, on `event` (a new row only
    when it says the book was begun: an import's unread books cost nothing)."""
    name = "book_read_follows_state_" + event.split()[0].lower()
    when = f" WHEN {_ACTIVE}" if event == "INSERT" else f" WHEN NOT {_SAME_READ}"
    return f"""CREATE TRIGGER {name} AFTER {event} ON reading_state{when}
        BEGIN
            DELETE FROM book_read WHERE id = {_LATEST} AND state = 'open' AND NOT {_ACTIVE};
            INSERT INTO book_read (book_id, started, finished, state, progress, source,
                                   created_at)
            SELECT NEW.book_id, NEW.started, {_FINISHED}, {_STATE}, {_PROGRESS}, 'library',
                   NEW.updated_at
            WHERE {_ACTIVE} AND coalesce(
                (SELECT state = 'done' AND NEW.status IN ('reading', 'rereading', 'on_hold')
                 FROM book_read WHERE id = {_LATEST}), 1);
            {_KEEP_LATEST}
        END"""
