"""A removed book found again by its files, and brought back out of turn.

Importing a folder leaves out the files of books the user removed (`store.removed_files`).
`removed_books` finds, among the journal's removal steps not undone, the books whose files lie
under the paths being imported; `restore_removed` brings one back as Undo would
(`removed.restore_book`) and takes it out of its step, so that Undo and Redo go on with the
rest. A book whose step the journal no longer keeps cannot be restored; its file comes back as
a new book once it changes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.kinds import Outcome
from bookorbit_desktop.library.journal.removed import REMOVE, expect_files, restore_book
from bookorbit_desktop.library.journal.rules import books_label
from bookorbit_desktop.library.store.files import inside
from bookorbit_desktop.library.store.models import database


@dataclass(frozen=True)
class RemovedBook:
    step_id: int
    book_id: int  # its id when it was removed
    title: str
    removed_at: float
    files: tuple[str, ...]


def removed_books(sources: Iterable[str]) -> list[RemovedBook]:
    """The removed books (latest removal first) with a file at or under one of `sources`."""
    wanted = [os.path.abspath(source) for source in sources]
    rows = database.execute_sql(
        "SELECT s.id, e.book_id, s.created_at, e.before FROM change_entry e"
        " JOIN change_step s ON s.id = e.step_id"
        " WHERE s.kind = ? AND s.undone_at IS NULL ORDER BY s.id DESC, e.id",
        (REMOVE,),
    )
    found = []
    for step_id, book_id, removed_at, before in rows.fetchall():
        kept = json.loads(before)
        files = tuple(row["path"] for row in kept["rows"].get("book_file", []))
        if any(inside(path, wanted) for path in files):
            found.append(RemovedBook(step_id, book_id, kept["title"], removed_at, files))
    return found


def _kept(step_id: int, book_id: int) -> tuple[str] | None:
    """What the removal step not undone keeps of the book (its entry's `before`), or None."""
    return database.execute_sql(
        "SELECT e.before FROM change_entry e JOIN change_step s ON s.id = e.step_id"
        " WHERE e.step_id = ? AND e.book_id = ? AND s.kind = ? AND s.undone_at IS NULL",
        (step_id, book_id, REMOVE),
    ).fetchone()


def restore_removed(paths: Paths, step_id: int, book_id: int, now: float) -> Outcome:
    """Bring back the book `book_id` that step `step_id` removed; NotFoundError when the
    journal no longer holds it. The files it takes out of the trash are journaled first, in
    a transaction of their own (`removed.expect_files`)."""
    with database.atomic("IMMEDIATE"):
        row = _kept(step_id, book_id)
        if row is not None:
            expect_files(step_id, book_id, json.loads(row[0]))
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        row = _kept(step_id, book_id)
        if row is None:
            raise NotFoundError("That removed book is no longer kept, so it cannot be restored.")
        _, outcome = restore_book(json.loads(row[0]), paths, now)
        database.execute_sql(
            "DELETE FROM change_entry WHERE step_id = ? AND book_id = ?", (step_id, book_id)
        )
        titles = [
            json.loads(before)["title"]
            for (before,) in database.execute_sql(
                "SELECT before FROM change_entry WHERE step_id = ? ORDER BY id", (step_id,)
            ).fetchall()
        ]
        if titles:  # the step names the books it still holds
            steps.rename_step(step_id, books_label("Remove", titles))
        else:
            database.execute_sql("DELETE FROM change_step WHERE id = ?", (step_id,))
    outcome.books = 1
    return outcome
