"""The user files authors by hand: the sort text of each ("Márquez, Gabriel García" made
"García Márquez, Gabriel"), saved as one undoable step of the change journal.

An empty text means "work it out from the name" (`author_sort`). The step's entries are the
books of the authors filed (so each book's History names the change), each holding the sort
texts of its filed authors before and after, by author id. Undo puts back the texts the step
replaced, and Redo the step's own; an author filed again since, or removed, is left as it is
and named. The library table, the catalog and `books --sort author` follow at once: the stored
sort keys are kept by triggers (`store.author_sort_schema`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.kinds import Outcome, StepKind, register
from bookorbit_desktop.library.journal.record import start_step
from bookorbit_desktop.library.metadata.author_sort import author_sort
from bookorbit_desktop.library.store.models import database

AUTHOR_SORT = "author_sort"
_FIELD = "author_sort"
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class FiledAuthor:
    id: int
    name: str
    sort_name: str
    books: int
    suggested: str  # what the rule gives for the name


def filed_authors() -> list[FiledAuthor]:
    """The authors of at least one book, in the order they are filed in."""
    rows = database.execute_sql(
        "SELECT a.id, a.name, a.sort_name, a.books FROM author a WHERE a.books > 0"
        " ORDER BY a.sort_key, a.id"  # `books` kept by triggers (store.category_tally_schema)
    )
    return [FiledAuthor(i, name, sort, books, author_sort(name)) for i, name, sort, books in rows]


def sort_text(typed: str, name: str) -> str:
    """The sort text the user typed for the author `name`, whitespace collapsed; the rule's
    (`author_sort`) when nothing is typed."""
    return _WHITESPACE.sub(" ", typed).strip() or author_sort(name)


def _authors(ids: list[int]) -> dict[int, tuple[str, str]]:
    """author id -> (name, sort text), of those still in the library."""
    marks = ", ".join("?" for _id in ids)
    rows = database.execute_sql(
        f"SELECT id, name, sort_name FROM author WHERE id IN ({marks})", ids
    ).fetchall()
    return {int(author_id): (name, sort_name) for author_id, name, sort_name in rows}


def file_authors(typed: Mapping[int, str], now: float) -> int:
    """File the authors (id -> the sort text typed, `sort_text`) as one step; authors whose
    text does not change are left out, and so is the step when none changes. Returns how
    many authors were filed anew."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        current = _authors(list(typed))
        changed = {
            author_id: (sort_name, sort_text(typed[author_id], name))
            for author_id, (name, sort_name) in current.items()
            if sort_text(typed[author_id], name) != sort_name
        }
        if not changed:
            return 0
        names = [current[author_id][0] for author_id in changed]
        label = f"File {names[0]}" if len(names) == 1 else f"File {len(names)} Authors"
        step = start_step(AUTHOR_SORT, label, now)
        books: dict[int, tuple[dict[str, str], dict[str, str]]] = {}
        marks = ", ".join("?" for _id in changed)
        credits = database.execute_sql(
            f"SELECT DISTINCT book_id, author_id FROM book_author WHERE author_id IN ({marks})",
            list(changed),
        )
        for book_id, author_id in credits:
            before, after = books.setdefault(int(book_id), ({}, {}))
            before[str(author_id)], after[str(author_id)] = changed[int(author_id)]
        steps.add_entries(
            step,
            [
                steps.Entry(book_id, {_FIELD: before}, {_FIELD: after})
                for book_id, (before, after) in sorted(books.items())
            ],
        )
        for author_id, (_old, new) in changed.items():
            database.execute_sql("UPDATE author SET sort_name = ? WHERE id = ?", (new, author_id))
        return len(changed)


def _move(step: steps.Step, *, back: bool) -> Outcome:
    wanted: dict[int, tuple[str, str]] = {}  # author id -> (text now expected, text to write)
    books: dict[int, set[int]] = {}
    for entry in step.entries:
        source, target = (entry.after, entry.before) if back else (entry.before, entry.after)
        for author_id, text in target[_FIELD].items():
            wanted[int(author_id)] = (source[_FIELD][author_id], text)
            books.setdefault(int(author_id), set()).add(entry.book_id)
    outcome = Outcome()
    current = _authors(list(wanted))
    moved: set[int] = set()
    for author_id, (expected, text) in wanted.items():
        if author_id not in current:
            outcome.skipped.append(f"An author filed as “{expected}” is no longer in the library")
            continue
        name, sort_name = current[author_id]
        if sort_name != expected:
            outcome.skipped.append(f"{name} was filed as “{sort_name}” since")
            continue
        database.execute_sql("UPDATE author SET sort_name = ? WHERE id = ?", (text, author_id))
        moved |= books[author_id]
    outcome.books = len(moved)
    return outcome


def _undo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    return _move(step, back=True)


def _redo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    return _move(step, back=False)


def _describe(entry: steps.Entry) -> str:
    return "; ".join(
        f"author filed as “{entry.after[_FIELD][author_id]}” (was “{before}”)"
        for author_id, before in entry.before[_FIELD].items()
    )


register(AUTHOR_SORT, StepKind(_undo, _redo, _describe))
