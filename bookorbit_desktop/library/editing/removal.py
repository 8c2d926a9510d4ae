"""Removing books from the library, and, only when asked, moving their files to the trash.

What goes: the book's record (title, authors, files, reading state, Hardcover link) and its
cover. What stays: KOReader's progress pushes and reading history (their document ids become
unlinked documents the user can link again or leave), and its highlights, which wait for a book
under the removed book's title and authors as highlights of an unknown book do. The book's files
are remembered (`store.removed_files`), so importing their folder again leaves them out until a
file changes. Files are moved to the trash after the library has committed: a file that cannot
be moved is named in the result and stays where it was.

A removal is one step of the change journal: before its rows go, the book is kept whole
(`journal.removed`), so that Undo brings it back; Redo removes it again, by the same rule.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.editing.file_write import settle_writes
from bookorbit_desktop.library.editing.trash import carry_out, check_trash, intend
from bookorbit_desktop.library.editing.trash_back import roll_back
from bookorbit_desktop.library.files.moves import recover
from bookorbit_desktop.library.journal import removed, steps
from bookorbit_desktop.library.journal.kinds import Outcome, StepKind, register
from bookorbit_desktop.library.journal.record import start_step
from bookorbit_desktop.library.journal.rules import books_label
from bookorbit_desktop.library.metadata.covers import delete_cover
from bookorbit_desktop.library.store.channel_tables import Highlight
from bookorbit_desktop.library.store.found import check_found
from bookorbit_desktop.library.store.models import Book, BookFile, database
from bookorbit_desktop.library.store.removed_files import remember

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RemovalPlan:
    """What removing one book takes away and what stays, for the confirmation."""

    book_id: int
    title: str
    files: tuple[str, ...]  # the book's files that exist on disk
    highlights: int  # kept, waiting for a book


@dataclass
class RemovalResult:
    removed: list[int] = field(default_factory=list)
    trashed: list[str] = field(default_factory=list)  # files now in the trash
    not_trashed: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def plan_removal(book_ids: Sequence[int]) -> list[RemovalPlan]:
    """What removing these books means; NotFoundError naming any that does not exist."""
    ids = list(dict.fromkeys(book_ids))
    books = {book.id: book for book in Book.select().where(Book.id.in_(ids))}
    check_found(ids, books)
    plans = []
    for book_id in ids:
        files = BookFile.select().where(BookFile.book == book_id).order_by(BookFile.id)
        kept = Highlight.select().where(Highlight.book == book_id).count()
        present = tuple(f.path for f in files if not f.missing and Path(f.path).is_file())
        plans.append(RemovalPlan(book_id, books[book_id].title, present, kept))
    return plans


def remove_books(
    book_ids: Sequence[int],
    paths: Paths,
    *,
    trash_files: bool = False,
    trash: Path | None = None,
    clock: Callable[[], float] = time.time,
) -> RemovalResult:
    """Remove the books (see the module docstring); with `trash_files`, move their files to the
    trash (`trash`: the trash folder, the user's by default). NotFoundError or
    TrashUnavailableError before anything changes."""
    if trash_files:
        recover()  # a file a stopped tidy moved is trashed where it is now
        finish_trashing()  # what a stopped removal had yet to move
    plans = plan_removal(book_ids)
    if trash_files:
        check_trash()
    now = clock()
    result = RemovalResult()
    covers = []
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        step = start_step(
            removed.REMOVE, books_label("Remove", [p.title for p in plans]), now, paths
        )
        for plan in plans:
            kept = removed.keep_book(plan.book_id, paths)
            steps.add_entries(step, [steps.Entry(plan.book_id, kept, {})])
            covers.append(_take_away(plan.book_id, now))
            result.removed.append(plan.book_id)
            for file in plan.files if trash_files else ():
                intend(file, trash, step, plan.book_id)
    for cover in covers:
        try:
            delete_cover(paths, cover)
        except OSError as error:
            log.warning("Cover %s of a removed book not deleted: %s", cover, error)
    if trash_files:
        moved, result.not_trashed = carry_out(removed.note_trashed)
        result.trashed = [path for path, _where in moved]
    log.info("Removed books %s; %d files moved to the trash", result.removed, len(result.trashed))
    return result


def finish_trashing() -> int:
    """Move to the trash what a stopped removal had yet to move (the window calls it as it
    starts); how many files."""
    moved, failed = carry_out(removed.note_trashed)
    for path, why in failed:
        log.warning("A removed book's file %s was not moved to the trash: %s", path, why)
    return len(moved)


def repair_files() -> int:
    """Finish or roll back the file work a stopped process left (tidy moves, copies, metadata
    writes, files an undo took out of the trash without committing, files a removal had yet
    to move to the trash), before anything else touches the
    files: the window calls it as it starts, the command line before a command that writes.
    How many files it finished."""
    return recover() + settle_writes() + roll_back() + finish_trashing()


def _take_away(book_id: int, now: float) -> str | None:
    """Delete the book's rows (highlights wait under its title and authors, its files are
    remembered); return its cover's path, to delete once the removal has committed."""
    book = Book.get_by_id(book_id)
    authors = "\n".join(book.author_names())
    # Highlights outlive the book: they wait under its title and authors.
    Highlight.update(book=None, pending_title=book.title, pending_authors=authors).where(
        Highlight.book == book.id
    ).execute()
    remember(list(BookFile.select().where(BookFile.book == book.id)), now)
    cover: str | None = book.cover_path
    book.delete_instance()  # files, aliases, reading state, Hardcover link go with it
    return cover


def _redo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    """Remove the step's books again (their files stay where they are)."""
    outcome = Outcome()
    for entry in step.entries:
        if Book.get_or_none(Book.id == entry.book_id) is None:
            outcome.skipped.append(f"Book {entry.book_id} is no longer in the library")
            continue
        kept = removed.keep_book(entry.book_id, paths)
        kept["trashed"] = []  # the undo took its files out of the trash; this removal keeps them
        removed.set_kept(step.id, entry.book_id, entry.book_id, kept)
        delete_cover(paths, _take_away(entry.book_id, now))
        outcome.books += 1
    return outcome


register(
    removed.REMOVE,
    StepKind(removed.undo, _redo, removed.describe, prepare_undo=removed.prepare_undo),
)
