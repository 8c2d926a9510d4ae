"""Schema: the Hardcover counts kept by triggers, `hardcover_facts` and `hardcover_tally` (kept
in a module of its own so `migrations` stays within the module size; frozen like every shipped
migration). `library.store.hardcover_tally` reads them.

The Hardcover page's counts per state, the sync's waiting work and the books whose match waits
for the user's pick are all sums over the books of a few facts each: its match state, its sync
state and yes/no facts (`FLAGS`, the bits of one number). `hardcover_facts_now` works them out
for any book from the tables they come from; `hardcover_facts` keeps each book's (with the
Hardcover book it is linked to, so the Hardcover books a sync would publish for the first time
are counted from an index of the linked books not unread), and `hardcover_tally` how many books
have each combination, a few dozen rows whatever the size of the library, so a count reads no
book at all.

Triggers keep both in the same transaction as every write that changes a book's facts (whoever
makes it: this app, its server, the command line, another BookOrbit process): the book's facts
are worked out again and, when they differ from those kept, moved from one combination to the
other. A book that is unread with nothing else (no match, no sync state, nothing queued, no
conflict) is in no count and has no row; a new book is such a book until rows of it are added
to the other tables (their foreign keys come after it), so adding a book runs no trigger, and a
book in a count has rows there that go with it when it is removed (the foreign keys' cascade),
whose own triggers take its row away. An edit of a book runs its trigger only when the book has
a match (its date is weighed against the match's). A KOReader push rewrites the reading state's
status with its progress: its trigger runs only when the book moves between unread and the
other statuses, and the outbox's only when a book is queued afresh or its block or hold changes.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

# The yes/no facts of a book, bit 0 first: those `hardcover.sync.waiting.BookFacts` reads (in
# its order), then whether a Cancel holds it, whether a field is in conflict with hardcover.app,
# and whether it has a match row and a sync row at all.
FLAGS = (
    ("unread", "coalesce(r.status, 'unread') = 'unread'"),
    ("pinned", "m.pinned"),
    ("edited", "m.updated_at < b.updated_at"),  # the metadata changed after the match
    ("on_profile", "m.user_book_id IS NOT NULL"),
    ("linked", "m.hc_book_id IS NOT NULL"),
    (
        "confirmed",
        "s.updated_at IS NOT NULL AND json_valid(s.snapshot)"
        " AND json_extract(s.snapshot, '$.hc_book_id') = m.hc_book_id",
    ),
    ("queued", "o.book_id IS NOT NULL"),
    ("blocked", "coalesce(o.blocked, '') != ''"),
    ("held", "o.held IS NOT NULL"),
    ("conflict", "EXISTS (SELECT 1 FROM hardcover_conflict c WHERE c.book_id = b.id)"),
    ("matched", "m.book_id IS NOT NULL"),
    ("synced", "s.book_id IS NOT NULL"),
)
UNREAD = 1 << 0
# The facts of a book in no count: unread, and no other bit.
NOTHING = UNREAD
# A kept book linked and not unread (its `hc_book_id` is the linked Hardcover book's).
SENDABLE = f"match_state = 'linked' AND flags & {UNREAD} = 0"


def facts_view(flags: tuple[tuple[str, str], ...]) -> str:
    """The view `hardcover_facts_now` with the yes/no facts `flags` (`FLAGS` or a later
    schema's)."""
    return (
        "CREATE VIEW hardcover_facts_now AS SELECT b.id AS book_id,"
        " coalesce(m.state, '') AS match_state, coalesce(s.state, '') AS sync_state, "
        + " + ".join(f"(coalesce(({sql}) != 0, 0) << {bit})" for bit, (_, sql) in enumerate(flags))
        + " AS flags, m.hc_book_id AS hc_book_id"
        " FROM book b LEFT JOIN reading_state r ON r.book_id = b.id"
        " LEFT JOIN hardcover_match m ON m.book_id = b.id"
        " LEFT JOIN hardcover_sync s ON s.book_id = b.id"
        " LEFT JOIN sync_outbox o ON o.book_id = b.id"
    )


_FACTS_NOW = facts_view(FLAGS)
_KEY = ("match_state", "sync_state", "flags")
_COLUMNS = ("book_id", *_KEY, "hc_book_id")


def _refresh(book: str, only: str = "", counted: bool = False, sure: bool = False) -> str:
    """The statements that keep the facts of the book `book` (an expression) as they are now
    (when `only` holds): its row goes when it is in no count (or gone), else is written when it
    differs. A book `counted` has a row in a table that puts it in a count (a match, a sync
    state, an outbox entry, a conflict, a reading state not unread): its row stays. A book the
    caller is `sure` of is in a count: its facts are written without weighing them first."""
    where = f"book_id = {book}" + (f" AND {only}" if only else "")
    counts = "" if sure else f" AND flags != {NOTHING}"
    gone = (
        f"DELETE FROM hardcover_facts WHERE {where} AND NOT EXISTS (SELECT 1"
        f" FROM hardcover_facts_now n WHERE n.book_id = {book} AND n.flags != {NOTHING}); "
    )
    return (
        ("" if counted else gone) + f"INSERT INTO hardcover_facts ({', '.join(_COLUMNS)})"
        f" SELECT {', '.join(_COLUMNS)} FROM hardcover_facts_now"
        f" WHERE {where}{counts} ON CONFLICT (book_id) DO UPDATE SET "
        + ", ".join(f"{column} = excluded.{column}" for column in _COLUMNS[1:])
        + " WHERE "
        + " OR ".join(
            f"hardcover_facts.{column} IS NOT excluded.{column}" for column in _COLUMNS[1:]
        )
        + ";"
    )


def _trigger(
    name: str,
    event: str,
    table: str,
    when: str = "",
    key: str = "book_id",
    counted: bool = False,
    sure: bool = False,
) -> str:
    """A trigger keeping the facts of the book a row of `table` names (its `key`) on `event`
    (INSERT, DELETE, UPDATE OF ...), when `when` holds: after an update, of both books when the
    row moved to another. `counted`: the row (NEW) puts its book in a count; `sure`: its facts
    then are never those of a book in no count (`_refresh`)."""
    new, old = f"NEW.{key}", f"OLD.{key}"
    mine = _refresh(new, counted=counted, sure=sure)
    if event == "INSERT":
        body = mine
    elif event == "DELETE":
        body = _refresh(old)
    else:
        body = f"{mine} {_refresh(old, only=f'{old} IS NOT {new}')}"
    condition = f" WHEN {when}" if when else ""
    trigger = f"CREATE TRIGGER hardcover_facts_{name} AFTER {event} ON {table}"
    return f"{trigger}{condition} BEGIN {body} END"


def _changed(*columns: str) -> str:
    return " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in columns)


def _row_triggers(table: str, columns: tuple[str, ...], changed: str = "") -> list[str]:
    """A row of `table` (which puts its book in a count) added, removed, or moved to another
    book or changed in `columns` (or, with `changed`, when that holds)."""
    return [
        _trigger(f"{table}_insert", "INSERT", table, counted=True),
        _trigger(
            f"{table}_update",
            f"UPDATE OF {', '.join(('book_id', *columns))}",
            table,
            changed or _changed("book_id", *columns),
            counted=True,
        ),
        _trigger(f"{table}_delete", "DELETE", table),
    ]


_ALIAS = re.compile(r"\b([a-z])\.")  # the tables a fact's SQL reads, by their aliases
_OUTBOX = re.compile(r"\bo\.")


def queued_trigger(when: str = "", sure: bool = False) -> str:
    """The trigger of a book queued afresh (an outbox row added: the first change of a book
    after its sync, a KOReader push's): the bits only the outbox row decides (the `FLAGS` that
    read nothing but it) are set from the row itself on a kept book, one lookup instead of
    reading every table of the book; a book not kept yet is written whole. Run only when
    `when` holds, if given; `sure`: the book is then in a count (`_refresh`)."""
    own = [
        (bit, _OUTBOX.sub("NEW.", sql))
        for bit, (_name, sql) in enumerate(FLAGS)
        if set(_ALIAS.findall(sql)) == {"o"}
    ]
    mask = sum(1 << bit for bit, _sql in own)
    bits = " + ".join(f"(coalesce(({sql}) != 0, 0) << {bit})" for bit, sql in own)
    kept = "EXISTS (SELECT 1 FROM hardcover_facts f WHERE f.book_id = NEW.book_id)"
    condition = f" WHEN {when}" if when else ""
    whole = _refresh("NEW.book_id", f"NOT {kept}", counted=True, sure=sure)
    return (
        f"CREATE TRIGGER hardcover_facts_sync_outbox_insert AFTER INSERT ON sync_outbox{condition}"
        f" BEGIN UPDATE hardcover_facts SET flags = (flags & ~{mask}) | ({bits})"
        f" WHERE book_id = NEW.book_id; {whole} END"
    )


def _read(row: str) -> str:
    """The reading state `row` (OLD or NEW) is not unread."""
    return f"(coalesce({row}.status, 'unread') != 'unread')"


def _source_triggers() -> list[str]:
    """The triggers on the tables the facts come from."""
    return [
        # Of a book's own row only its last edit counts, against its match's date. (Its id
        # changes only while no other row names it, the foreign keys', so while in no count.)
        _trigger(
            "book_update",
            "UPDATE OF updated_at",
            "book",
            f"{_changed('updated_at')} AND EXISTS (SELECT 1 FROM hardcover_match m"
            " WHERE m.book_id = NEW.id)",
            key="id",
            counted=True,
        ),
        # A reading state counts by being unread or not (an unread book's row is as no row).
        _trigger("reading_state_insert", "INSERT", "reading_state", _read("NEW"), counted=True),
        _trigger(
            "reading_state_update",
            "UPDATE OF book_id, status",
            "reading_state",
            f"{_changed('book_id')} OR {_read('OLD')} IS NOT {_read('NEW')}",
        ),
        _trigger("reading_state_delete", "DELETE", "reading_state", _read("OLD")),
        *_row_triggers(
            "hardcover_match", ("state", "pinned", "updated_at", "user_book_id", "hc_book_id")
        ),
        *_row_triggers("hardcover_sync", ("state", "updated_at", "snapshot")),
        *_row_triggers("hardcover_conflict", ()),
        # A queued book queued again (every change of it) counts only when a block or a hold
        # is lifted.
        queued_trigger(),
        *_row_triggers(
            "sync_outbox",
            ("blocked", "held"),
            f"{_changed('book_id')} OR (coalesce(OLD.blocked, '') != '')"
            " IS NOT (coalesce(NEW.blocked, '') != '') OR (OLD.held IS NULL)"
            " IS NOT (NEW.held IS NULL)",
        )[1:],
    ]


def _tally_triggers() -> list[str]:
    """A book's kept facts moved: the combination it left has one book less, the new one more."""
    key = ", ".join(_KEY)
    add = (
        f"INSERT INTO hardcover_tally ({key}, books) VALUES"
        " (NEW.match_state, NEW.sync_state, NEW.flags, 1)"
        f" ON CONFLICT ({key}) DO UPDATE SET books = books + 1;"
    )
    remove = (
        "UPDATE hardcover_tally SET books = books - 1 WHERE "
        + " AND ".join(f"{column} = OLD.{column}" for column in _KEY)
        + ";"
    )
    moved = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in _KEY)
    return [
        f"CREATE TRIGGER hardcover_tally_insert AFTER INSERT ON hardcover_facts BEGIN {add} END",
        f"CREATE TRIGGER hardcover_tally_update AFTER UPDATE OF {key} ON hardcover_facts"
        f" WHEN {moved} BEGIN {remove} {add} END",
        f"CREATE TRIGGER hardcover_tally_delete AFTER DELETE ON hardcover_facts BEGIN {remove} END",
    ]


def hardcover_tally(db: SqliteDatabase) -> None:
    """Schema: the kept facts and their tally, filled from the library as it is, and their
    triggers."""
    statements = [
        _FACTS_NOW,
        # No foreign key: the row goes with the book by the book's own trigger.
        """CREATE TABLE hardcover_facts (
            book_id INTEGER NOT NULL PRIMARY KEY,
            match_state TEXT NOT NULL,
            sync_state TEXT NOT NULL,
            flags INTEGER NOT NULL,
            hc_book_id INTEGER)""",
        # The Hardcover books of the linked books not unread: those never sent are counted.
        f"CREATE INDEX hardcover_facts_sendable ON hardcover_facts (hc_book_id) WHERE {SENDABLE}",
        """CREATE TABLE hardcover_tally (
            match_state TEXT NOT NULL,
            sync_state TEXT NOT NULL,
            flags INTEGER NOT NULL,
            books INTEGER NOT NULL,
            PRIMARY KEY (match_state, sync_state, flags)) WITHOUT ROWID""",
        f"INSERT INTO hardcover_facts ({', '.join(_COLUMNS)})"
        f" SELECT {', '.join(_COLUMNS)} FROM hardcover_facts_now WHERE flags != {NOTHING}",
        "INSERT INTO hardcover_tally (match_state, sync_state, flags, books)"
        " SELECT match_state, sync_state, flags, count(*) FROM hardcover_facts GROUP BY 1, 2, 3",
        *_tally_triggers(),
        *_source_triggers(),
    ]
    for statement in statements:
        db.execute_sql(statement)
