"""Renaming an author, a series or a publisher for every book that has it, as one undoable
step of the change journal: an edit of those books (`editing.apply.edit_books`, so the field is
marked as the user's and the table, the catalog and Hardcover matching follow). A new name that
another value already has (case and accents aside) merges the two into that one, spelled as the
library spells it; the same name in another case respells it. The books are those the browser
counts: not the ones waiting in the Inbox. Tags rename through `tags.changes`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.values import BookChanges, parse_authors
from bookorbit_desktop.library.journal.record import EDIT, finish_step, recording, start_step
from bookorbit_desktop.library.search.fold import SQL_FOLD, fold
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import in_list, outside_inbox

NOUNS = {"authors": "Author", "series": "Series", "publishers": "Publisher"}
_COLUMNS = {"series": "series", "publishers": "publisher"}
# The books of a value, by its folded key's index (`store.column_keys_schema`).
_BOOKS = (
    "SELECT k.book_id FROM book_sort_key k WHERE k.{column} = {fold}(?)"
    f" AND {outside_inbox('k.book_id')} ORDER BY k.book_id"
)
_AUTHOR_BOOKS = (
    "SELECT DISTINCT ba.book_id FROM author a CROSS JOIN book_author ba ON ba.author_id = a.id"
    f" WHERE a.name = ? AND {outside_inbox('ba.book_id')} ORDER BY ba.book_id"
)
# The credited author a name stands for, case and accents aside (the exact name first).
_AUTHOR = (
    f"SELECT a.name FROM author a WHERE a.fold = {SQL_FOLD}(?)"
    " AND EXISTS (SELECT 1 FROM book_author ba WHERE ba.author_id = a.id)"
    " ORDER BY a.name != ? LIMIT 1"
)
_SPELLING = (
    "SELECT b.{column} FROM book_sort_key k CROSS JOIN book b ON b.id = k.book_id"
    f" WHERE k.{{column}} = {SQL_FOLD}(?) AND {outside_inbox('k.book_id')} LIMIT 1"
)


def checked(kind: str, text: str) -> str:
    """The name `text` stands for (white space made single); InvalidValueError when none."""
    name = " ".join(text.split())
    noun = NOUNS[kind].lower()
    if not name:
        raise InvalidValueError(f"A {noun} needs a name. Type one.")
    if kind == "authors" and parse_authors(name) != [name]:
        raise InvalidValueError(f"“{name}” names several authors (“&” and “;” separate them).")
    return name


def books_of(kind: str, name: str) -> list[int]:
    """The books that have the value `name`."""
    if kind == "authors":
        query, params = _AUTHOR_BOOKS, [name]
    else:
        query, params = _BOOKS.format(column=_COLUMNS[kind], fold=SQL_FOLD), [name]
    return [book_id for (book_id,) in database.execute_sql(query, params)]


def existing(kind: str, name: str) -> str | None:
    """The value `name` stands for as the library spells it (None: no book has it)."""
    if kind == "authors":
        row = database.execute_sql(_AUTHOR, (name, name)).fetchone()
    else:
        column = _COLUMNS[kind]
        row = database.execute_sql(_SPELLING.format(column=column), (name,)).fetchone()
    return None if row is None else str(row[0])


def merges_into(kind: str, old: str, new: str) -> str | None:
    """The other value that renaming `old` to `new` merges it into (None: a plain rename);
    InvalidValueError when `new` is no name."""
    found = existing(kind, checked(kind, new))
    same = found == old if kind == "authors" else found is not None and fold(found) == fold(old)
    return None if found is None or same else found  # None: `old` itself, in another case


def _authors(book_ids: list[int]) -> dict[int, list[str]]:
    cursor = database.execute_sql(
        "SELECT ba.book_id, a.name FROM book_author ba JOIN author a ON a.id = ba.author_id"
        f" WHERE {in_list('ba.book_id', book_ids)} ORDER BY ba.book_id, ba.position",
        book_ids,
    )
    found: dict[int, list[str]] = {}
    for book_id, name in cursor:
        found.setdefault(book_id, []).append(name)
    return found


def renaming(
    noun: str,
    old: str,
    book_ids: list[int],
    merged: Callable[[], str | None],
    checked_new: Callable[[], str],
) -> tuple[str, str] | None:
    """What renaming the `noun`'s value `old` of `book_ids` does: the value they get (the one
    `merged` names, which it merges into, else the new one `checked_new` gives) and the step's
    label; None when it is `old` itself. NotFoundError when no book has `old`."""
    if not book_ids:
        raise NotFoundError(f"No book has the {noun.lower()} “{old}” any more.")
    into = merged()
    target = into or checked_new()
    if target == old:
        return None
    verb = "Merge" if into else "Rename"
    return target, f"{verb} {noun} “{old}” {'into' if into else 'to'} “{target}”"


def rename(
    kind: str, old: str, new: str, paths: Paths, *, clock: Callable[[], float] = time.time
) -> int:
    """Give every book of `old` the value `new` instead (the existing one it merges into, if
    any) as one step; the number of books changed. NotFoundError when no book has `old`."""
    book_ids = books_of(kind, old)
    plan = renaming(
        NOUNS[kind], old, book_ids, lambda: merges_into(kind, old, new), lambda: checked(kind, new)
    )
    if plan is None:
        return 0
    target, label = plan
    with database.atomic("IMMEDIATE"):
        step = start_step(EDIT, label, clock(), paths)
        with recording(label, book_ids, paths=paths, covers=False, step=step, clock=clock):
            if kind != "authors":
                changes = BookChanges(**{_COLUMNS[kind]: target})
                edit_books(book_ids, changes, paths, clock=clock, step=step)
            else:
                for book_id, names in _authors(book_ids).items():
                    renamed = [target if name == old else name for name in names]
                    changes = BookChanges(authors=list(dict.fromkeys(renamed)))
                    edit_books([book_id], changes, paths, clock=clock, step=step)
        return finish_step(step, lambda _count: label)
