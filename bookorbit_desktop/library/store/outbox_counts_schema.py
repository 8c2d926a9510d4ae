"""Schema 35: the Hardcover counts keep a book's outbox facts only when it has a match, and a
book that starts being read enters its count in one statement (frozen like every shipped
migration; `hardcover_tally_schema` is the schema it changes).

An outbox entry decides a count only for a book with a match row: a book never looked up on
Hardcover is "not matched" and has nothing to send whatever waits for it
(`dashboard_rows.state_of`, `waiting.work`). Its queued, blocked and held facts (`FLAGS`) are
therefore kept only for a book with a match, and the outbox's triggers run only for such a book
(a match added or removed works the book's facts out again from the view, outbox included).
Most books of a library are never matched (all of them for someone who never links Hardcover):
their KOReader pushes, and every book queued by any writer, then move no count at all, and the
first push of such a book moves it once (its reading state) instead of twice.

A reading state that stops being unread puts its book in a count, and so does an outbox entry
of a book with a match: their triggers write the book's facts as they are, without weighing
them against those of a book in no count first (working the flags out once instead of twice),
and the reading state's removes nothing (nothing can be left to remove, and the row did not
move to another book).
"""

from __future__ import annotations

from bookorbit_desktop.library.store import hardcover_tally_schema as counted

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

_MATCHED = "m.book_id IS NOT NULL"
# The facts of `hardcover_tally_schema.FLAGS` (same names, same bits), the outbox's only for a
# book with a match.
FLAGS = tuple(
    (name, f"{_MATCHED} AND {sql}" if name in ("queued", "blocked", "held") else sql)
    for name, sql in counted.FLAGS
)
SENDABLE = counted.SENDABLE


def _has_match(book: str) -> str:
    return f"EXISTS (SELECT 1 FROM hardcover_match m WHERE m.book_id = {book})"


def _outbox_triggers() -> list[str]:
    """The outbox's triggers, for a book with a match (a row moved to another book always)."""
    write, moved = counted._trigger, counted._changed("book_id")
    lifted = (
        "(coalesce(OLD.blocked, '') != '') IS NOT (coalesce(NEW.blocked, '') != '')"
        " OR (OLD.held IS NULL) IS NOT (NEW.held IS NULL)"
    )
    return [
        counted.queued_trigger(_has_match("NEW.book_id"), sure=True),
        write(
            "sync_outbox_update",
            "UPDATE OF book_id, blocked, held",
            "sync_outbox",
            f"{moved} OR (({lifted}) AND {_has_match('NEW.book_id')})",
            counted=True,
        ),
        write("sync_outbox_delete", "DELETE", "sync_outbox", _has_match("OLD.book_id")),
    ]


def _reading_triggers() -> list[str]:
    """The reading state's update, split: stopping being unread (a book counted from then on,
    written once), and the rest (back to unread, moved to another book) as before."""
    read, write = counted._read, counted._trigger
    moved = counted._changed("book_id")
    return [
        write(
            "reading_state_read",
            "UPDATE OF book_id, status",
            "reading_state",
            f"NOT ({moved}) AND NOT {read('OLD')} AND {read('NEW')}",
            counted=True,
            sure=True,
        ),
        write(
            "reading_state_update",
            "UPDATE OF book_id, status",
            "reading_state",
            f"{moved} OR ({read('OLD')} AND NOT {read('NEW')})",
        ),
    ]


# The books whose kept facts the new rule changes: queued, with no match.
_QUEUED_UNMATCHED = (
    "SELECT o.book_id FROM sync_outbox o WHERE NOT EXISTS"
    " (SELECT 1 FROM hardcover_match m WHERE m.book_id = o.book_id)"
)


def outbox_counts(db: SqliteDatabase) -> None:
    """Schema: the view and the outbox's and reading state's triggers of the rule above; the
    facts of the books it changes worked out again (their counts moved by the facts' own
    triggers)."""
    columns = "book_id, match_state, sync_state, flags, hc_book_id"
    statements = [
        "DROP VIEW hardcover_facts_now",
        counted.facts_view(FLAGS),
        *(
            f"DROP TRIGGER hardcover_facts_{name}"
            for name in (
                "sync_outbox_insert",
                "sync_outbox_update",
                "sync_outbox_delete",
                "reading_state_update",
            )
        ),
        *_outbox_triggers(),
        *_reading_triggers(),
        f"DELETE FROM hardcover_facts WHERE book_id IN ({_QUEUED_UNMATCHED})",
        f"INSERT INTO hardcover_facts ({columns}) SELECT {columns} FROM hardcover_facts_now"
        f" WHERE book_id IN ({_QUEUED_UNMATCHED}) AND flags != {counted.NOTHING}",
    ]
    for statement in statements:
        db.execute_sql(statement)
