"""How every table that names a book follows a merge, and the row moves themselves.

Each table with a foreign key to `book` has a rule here (a test fails when a table is added
without one):

- `MOVE`: the other copy's rows go to the kept book (its files, KOReader's document ids and
  pushed positions, highlights, devices' books, the sync log, shelves, tags). A row the kept
  book already has under the same key (the same shelf, the same document) stays with the other
  copy and goes with it.
- `VALUES`: the rows are the book's values (authors, languages, "edited by the user" marks,
  the reading state): the merged values are written to the kept book, the other copy's rows go
  with it.
- `LINK`: the Hardcover link and what the sync knows of it go together: the linked copy's rows
  stay (re-pointed to the kept book when it is the other copy), the unlinked copy's go.
- `OWN`: rows about that copy alone (metadata fetched for its values, its place in the Inbox)
  go with it.

Tables naming a book without a foreign key are kept up by triggers or belong to the journal
(`NOT_FOLLOWED`). Whatever goes with the other copy is kept in the merge's step
(`journal.removed.keep_book`), so that undo puts it back.
"""

from __future__ import annotations

from typing import Any

from peewee import IntegrityError

from bookorbit_desktop.library.store.models import database

MOVE, VALUES, LINK, OWN = "move", "values", "link", "own"

TABLES = {
    "book_file": MOVE,
    "document_alias": MOVE,
    "highlight": MOVE,
    "progress_event": MOVE,
    "device_book": MOVE,
    "device_queue": MOVE,
    "sync_log": MOVE,
    "reading_proposal": MOVE,
    "shelf_joined": MOVE,
    "book_tag": MOVE,  # the tags' table, where the library has it
    "book_read": MOVE,  # both copies' reads are the kept book's
    "book_read_gone": MOVE,  # and the Hardcover reads deleted from either
    "calibre_link": MOVE,  # the calibre books either copy came from: a re-run finds the kept one
    "custom_value": MOVE,  # a column's value, the kept book's own where both have one
    "book_author": VALUES,
    "book_language": VALUES,
    "book_edit": VALUES,
    "reading_state": VALUES,
    "hardcover_match": LINK,
    "hardcover_sync": LINK,
    "sync_outbox": LINK,
    "hardcover_conflict": LINK,
    "hardcover_followed": LINK,
    "metadata_fetch": OWN,
    "metadata_candidate": OWN,
    "book_inbox": OWN,
}
# Tables with a `book_id` but no foreign key to `book`: the change log, the sort keys, the
# Hardcover counts' facts and a tag-like custom column's values one by one (kept by triggers),
# the journal's entries and a removal's pending trash moves (the journal's own), and an import
# batch's books to index (empty in every committed state).
NOT_FOLLOWED = frozenset(
    {
        "book_change",
        "book_sort_key",
        "hardcover_facts",
        "custom_item",
        "change_entry",
        "trash_intent",
        "index_batch",
    }
)


def book_keys() -> dict[str, list[str]]:
    """Every table with a foreign key to `book`, and its columns that hold one."""
    found: dict[str, list[str]] = {}
    tables = database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
    for (table,) in tables.fetchall():
        for key in database.execute_sql(f"PRAGMA foreign_key_list({table})"):
            if key[2] == "book":
                found.setdefault(table, []).append(key[3])
    return found


def _rowid_is(table: str, column: str) -> bool:
    """Whether the table's rowid is the book column itself (one row per book)."""
    info = database.execute_sql(f"PRAGMA table_info({table})").fetchall()
    keys = [row for row in info if row[5]]
    return len(keys) == 1 and keys[0][1] == column and keys[0][2].upper() == "INTEGER"


def _rows(table: str, column: str, book_id: int) -> list[dict[str, Any]]:
    cursor = database.execute_sql(f"SELECT * FROM {table} WHERE {column} = ?", (book_id,))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def linked_to(book_id: int) -> tuple[int | None, bool]:
    """The Hardcover book `book_id` is linked to (None: not linked), and whether it leads."""
    row = database.execute_sql(
        "SELECT hc_book_id, lead FROM hardcover_match WHERE book_id = ? AND state = 'linked'",
        (book_id,),
    ).fetchone()
    return (None, False) if row is None else (row[0], bool(row[1]))


def link_goes_with_other(keep: int, other: int) -> bool:
    """Whether the other copy's Hardcover rows win: it is linked and the kept book is not, or
    both are linked to the same book and the other copy is the one that speaks for it."""
    (mine, my_lead), (theirs, their_lead) = linked_to(keep), linked_to(other)
    if theirs is None:
        return False
    return mine is None or (mine == theirs and their_lead and not my_lead)


def move_rows(keep: int, other: int) -> tuple[dict[str, list[int]], dict[str, list[Any]]]:
    """Re-point the other copy's rows to the kept book by the tables' rules; return the rows
    moved ("table.column" -> their rowids now) and the kept book's rows dropped to make room
    for the other copy's Hardcover rows (table -> rows)."""
    moved: dict[str, list[int]] = {}
    dropped: dict[str, list[Any]] = {}
    other_link = link_goes_with_other(keep, other)
    for table, columns in book_keys().items():
        rule = TABLES[table]
        if rule not in (MOVE, LINK) or (rule == LINK and not other_link):
            continue
        for column in columns:
            if rule == LINK:
                rows = _rows(table, column, keep)
                if rows:
                    dropped[table] = rows
                database.execute_sql(f"DELETE FROM {table} WHERE {column} = ?", (keep,))
            done = _move(table, column, keep, other)
            if done:
                moved[f"{table}.{column}"] = done
    return moved, dropped


def _move(table: str, column: str, keep: int, other: int) -> list[int]:
    one_per_book = _rowid_is(table, column)
    sql = f"SELECT rowid FROM {table} WHERE {column} = ? ORDER BY rowid"
    done = []
    for (rowid,) in database.execute_sql(sql, (other,)).fetchall():
        try:
            with database.atomic():
                database.execute_sql(
                    f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (keep, rowid)
                )
        except IntegrityError:  # the kept book has this row already: it stays behind
            continue
        done.append(keep if one_per_book else rowid)
    return done


def move_back(moved: dict[str, list[int]], keep: int, other: int) -> int:
    """Give the other copy back the rows a merge moved (those still on the kept book); how many
    are no longer there. A row the other copy was given meanwhile under the same key (the
    Hardcover queue that bringing it back starts) gives way to its own."""
    lost = 0
    for link, rowids in moved.items():
        table, column = link.split(".")
        for rowid in rowids:
            cursor = database.execute_sql(
                f"UPDATE OR REPLACE {table} SET {column} = ? WHERE rowid = ? AND {column} = ?",
                (other, rowid, keep),
            )
            lost += cursor.rowcount != 1
    return lost


def put_back(dropped: dict[str, list[Any]]) -> list[str]:
    """Insert the kept book's dropped rows again; the tables where one could not be."""
    failed = []
    for table, rows in dropped.items():
        for row in rows:
            names = list(row)
            sql = (
                f"INSERT OR IGNORE INTO {table} ({', '.join(names)})"
                f" VALUES ({', '.join('?' for _ in names)})"
            )
            try:
                put = database.execute_sql(sql, [row[n] for n in names]).rowcount == 1
            except IntegrityError:  # its book is no longer there
                put = False
            if not put:
                failed.append(table)
    return failed
