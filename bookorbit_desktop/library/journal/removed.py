"""The `remove` kind: a removed book kept whole, so that Undo brings it back.

Before a book's rows go, every row that names it is kept (`keep_book`): its own row, and the
rows of every table whose foreign key deletes with it (authors' credits, files, document
aliases, reading state, Hardcover link and sync records, marks, ...), found from the schema so
that a table added later is kept too. The rows that only lose the link (KOReader pushes, the
sync log, devices' books) keep their ids, and highlights their waiting titles. The cover image
is kept by its hash (`steps.keep_cover`) until the step is dropped.

Undo inserts the rows again, with their old ids where they are free (else new ones, the links
between them followed), links back what still points nowhere, drops the files from the
removed-files memory and queues the reading state for Hardcover as an edit would. A file that
another book holds now stays with that book; a file that was moved to the trash is put back
(`editing.trash.restore_from_trash`), or named with where it is when it cannot be. Redo removes
the book again (its files stay where they are); the removal itself, and this kind's
registration, are `editing.removal`'s.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.editing import trash_back
from bookorbit_desktop.library.editing.trash import (
    NotTheFileError,
    Trashed,
    restore_from_trash,
    settle,
    waiting,
)
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.book_values import cover_hash
from bookorbit_desktop.library.journal.kinds import Outcome
from bookorbit_desktop.library.metadata.covers import (
    cover_file,
    cover_relative_path,
    write_atomically,
)
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.removed_files import forget

REMOVE = "remove"
_OWN = ("highlight",)  # tables whose rows of the book are kept by hand (they outlive it)


def _columns(table: str) -> list[str]:
    return [row[1] for row in database.execute_sql(f"PRAGMA table_info({table})")]


def _links() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(table, column) of every foreign key to `book`: those deleted with it, those cleared."""
    cascade: list[tuple[str, str]] = []
    cleared: list[tuple[str, str]] = []
    tables = database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
    for (table,) in tables.fetchall():
        for key in database.execute_sql(f"PRAGMA foreign_key_list({table})"):
            if key[2] == "book" and table not in _OWN:
                (cascade if key[6] == "CASCADE" else cleared).append((table, key[3]))
    return cascade, cleared


def _rows(table: str, where: str, value: Any) -> list[dict[str, Any]]:
    names = _columns(table)
    cursor = database.execute_sql(f"SELECT * FROM {table} WHERE {where} = ?", (value,))
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def keep_book(book_id: int, paths: Paths) -> dict[str, Any]:
    """Everything the removal of `book_id` takes away (call before its rows go)."""
    [book] = _rows("book", "id", book_id)
    cascade, cleared = _links()
    kept: dict[str, Any] = {"book": book, "rows": {}, "links": {}, "trashed": []}
    for table, column in cascade:
        rows = _rows(table, column, book_id)
        if rows:
            kept["rows"][table] = rows
    for table, column in cleared:
        sql = f"SELECT rowid FROM {table} WHERE {column} = ?"
        ids = [rowid for (rowid,) in database.execute_sql(sql, (book_id,))]
        if ids:
            kept["links"][f"{table}.{column}"] = ids
    kept["highlights"] = [
        list(row)
        for row in database.execute_sql(
            "SELECT id, pending_title, pending_authors FROM highlight WHERE book_id = ?",
            (book_id,),
        )
    ]
    names = database.execute_sql(
        "SELECT a.id, a.name FROM author a JOIN book_author c ON c.author_id = a.id"
        " WHERE c.book_id = ?",
        (book_id,),
    )
    kept["authors"] = {str(author_id): name for author_id, name in names}
    tags = database.execute_sql(
        "SELECT t.id, t.name FROM tag t JOIN book_tag bt ON bt.tag_id = t.id WHERE bt.book_id = ?",
        (book_id,),
    )
    kept["tags"] = {str(tag_id): name for tag_id, name in tags}
    kept["cover"] = [book["cover_path"], None]
    if book["cover_path"]:
        try:
            data = cover_file(paths, book["cover_path"]).read_bytes()
        except OSError:
            data = None
        if data is not None:
            kept["cover"][1] = cover_hash(data)
            steps.keep_cover(paths, kept["cover"][1], data)
    kept["title"] = book["title"]
    return kept


def note_trashed(step_id: int, book_id: int, moved: list[Trashed]) -> None:
    """Keep where the book's files went in the trash: (original, in the trash, size, SHA-256)."""
    row = database.execute_sql(
        "SELECT before FROM change_entry WHERE step_id = ? AND book_id = ?", (step_id, book_id)
    ).fetchone()
    if row is None:
        return
    before = json.loads(row[0])
    before["trashed"] = [list(file) for file in moved]
    database.execute_sql(
        "UPDATE change_entry SET before = ? WHERE step_id = ? AND book_id = ?",
        (json.dumps(before, ensure_ascii=False, sort_keys=True), step_id, book_id),
    )


def _free(table: str, key: str, value: Any) -> bool:
    sql = f"SELECT 1 FROM {table} WHERE {key} = ?"
    return database.execute_sql(sql, (value,)).fetchone() is None


def _insert(table: str, row: dict[str, Any]) -> int:
    names = list(row)
    marks = ", ".join("?" for _ in names)
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"
    cursor = database.execute_sql(sql, [row[n] for n in names])
    return int(cursor.lastrowid)


def _author(name: str) -> int:
    row = database.execute_sql("SELECT id FROM author WHERE name = ?", (name,)).fetchone()
    if row is not None:
        return int(row[0])
    from bookorbit_desktop.library.metadata.author_sort import author_sort

    return _insert("author", {"name": name, "sort_name": author_sort(name)})


def _tag(name: str) -> int:
    row = database.execute_sql("SELECT id FROM tag WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row is not None else _insert("tag", {"name": name})


def restore_book(kept: dict[str, Any], paths: Paths, now: float) -> tuple[int, Outcome]:
    """Insert the kept book again; its id (the old one when free) and what to tell the user."""
    outcome = Outcome()
    book = dict(kept["book"])
    title = book["title"]
    if not _free("book", "id", book["id"]):
        del book["id"]
    cover_path, digest = kept["cover"]
    book["cover_path"] = None
    book_id = _insert("book", book)
    if "book_language" in kept["rows"]:  # they follow, the first one the row's trigger wrote too
        database.execute_sql("DELETE FROM book_language WHERE book_id = ?", (book_id,))
    if cover_path and digest:
        data = steps.kept_cover(paths, digest)
        if data is not None:
            relative = cover_relative_path(book_id)
            write_atomically(cover_file(paths, relative), data)
            database.execute_sql("UPDATE book SET cover_path = ? WHERE id = ?", (relative, book_id))
    away: set[str] = set()  # trashed files still in the trash: what is at their place is not
    for original, trashed, *recorded in kept["trashed"]:  # before the rows say what exists
        note, back = _from_trash(title, original, trashed, recorded)
        outcome.notes.append(note)
        if not back:
            away.add(original)
    files: dict[Any, Any] = {}  # old file id -> new one (None: the file stays elsewhere)
    for table, rows in kept["rows"].items():
        for row in rows:
            row = dict(row)
            if "book_id" in row:
                row["book_id"] = book_id
            if table == "book_author":
                row["author_id"] = _author(kept["authors"][str(row["author_id"])])
            if table == "book_tag":  # the tag may have gone, or been renamed, since
                row["tag_id"] = _tag(kept["tags"][str(row["tag_id"])])
            if table == "book_file":
                holder = database.execute_sql(
                    "SELECT book_id FROM book_file WHERE path = ?", (row["path"],)
                ).fetchone()
                if holder is not None:
                    files[row["id"]] = None
                    outcome.skipped.append(
                        f"“{title}”: its file {row['path']} is in the library again (book "
                        f"{holder[0]}) and stays there"
                    )
                    continue
                row["missing"] = int(row["path"] in away or not Path(row["path"]).exists())
                forget(row["path"])
            if table == "document_alias" and row.get("book_file_id") is not None:
                row["book_file_id"] = files.get(row["book_file_id"], row["book_file_id"])
            old_id = row.get("id")
            if "id" in row and not _free(table, "id", old_id):
                del row["id"]
            new_id = _insert(table, row)
            if table == "book_file":
                files[old_id] = new_id
    for link, ids in kept["links"].items():
        table, column = link.split(".")
        marks = ", ".join("?" for _ in ids)
        database.execute_sql(
            f"UPDATE {table} SET {column} = ? WHERE rowid IN ({marks}) AND {column} IS NULL",
            [book_id, *ids],
        )
    for highlight_id, pending_title, pending_authors in kept["highlights"]:
        database.execute_sql(
            "UPDATE highlight SET book_id = ?, pending_title = ?, pending_authors = ?"
            " WHERE id = ? AND book_id IS NULL",
            (book_id, pending_title, pending_authors, highlight_id),
        )
    outbox.note_change(book_id, [outbox.STATUS, outbox.PROGRESS, outbox.RATING], now=now)
    return book_id, outcome


def _from_trash(
    title: str, original: str, trashed: str | None, recorded: list[Any]
) -> tuple[str, bool]:
    """Put a trashed file of the book back where it was (`trash.restore_from_trash`), checked
    against the size and SHA-256 `recorded` as it went in (none for a removal of an older
    version); what to tell the user, and whether the file is back."""
    if trashed is None:  # the system's trash does not say where it keeps the file
        return f"“{title}”: its file is in the system's trash; put it back at {original}", False
    size, sha256 = [*recorded, None, None][:2]
    check = None if size is None or sha256 is None else (int(size), str(sha256))
    temp = trash_back.temp_of(trashed, original)
    trash_back.taken(trashed, original)  # in this transaction: gone once it commits
    try:
        restore_from_trash(Path(trashed), Path(original), check, temp)
    except NotTheFileError:
        return (
            f"“{title}”: the file at {trashed} in the trash is not the one removed with it "
            f"(its size or checksum differs), so it stays there; its file belonged at {original}"
        ), False
    except OSError as error:
        why = error.strerror or str(error)
        return (
            f"“{title}”: its file could not be taken out of the trash ({why}); it is at "
            f"{trashed} and belongs at {original}"
        ), False
    return f"“{title}”: its file is back from the trash at {original}", True


def set_kept(step_id: int, old: int, new: int, before: dict[str, Any]) -> None:
    """The step's entry of book `old` now names book `new` with what is kept of it."""
    database.execute_sql(
        "UPDATE change_entry SET book_id = ?, before = ? WHERE step_id = ? AND book_id = ?",
        (new, json.dumps(before, ensure_ascii=False, sort_keys=True), step_id, old),
    )


def expect_files(step_id: int, book_id: int, before: dict[str, Any]) -> None:
    """Journal, before the transaction that brings the book back, the files it will take out
    of the trash (`trash_back`): those its step noted and those a stopped removal moved."""
    files = [(file[0], file[1]) for file in before.get("trashed", [])]
    trash_back.expect(files + waiting(step_id, book_id))


def prepare_undo(step: steps.Step) -> None:
    """What `run` does before the transaction of this step's undo (`expect_files`)."""
    for entry in step.entries:
        expect_files(step.id, entry.book_id, entry.before)


def undo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    outcome = Outcome()
    for entry in step.entries:
        before = entry.before
        waiting = settle(step.id, entry.book_id)  # a removal stopped before its trash moves
        if waiting:
            before = {**before, "trashed": [*before.get("trashed", []), *map(list, waiting)]}
        book_id, done = restore_book(before, paths, now)
        set_kept(step.id, entry.book_id, book_id, entry.before)
        outcome.books += 1
        outcome.skipped += done.skipped
        outcome.notes += done.notes
    return outcome


def describe(entry: steps.Entry) -> str:
    return f"removed “{entry.before.get('title', entry.book_id)}”"
