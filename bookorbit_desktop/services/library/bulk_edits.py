"""A bulk edit of several books, for the Edit dialog, Add to Want to Read and `books edit`.

The request is checked whole first (`library.editing.bulk.request_from_text`), then planned per
book in the order the books are given (series numbers from N follow it). Each book is saved in
its own savepoint through the operations a one-book edit runs: its metadata through
`editing.apply.edit_books`, its status and rating through `reading.edits.save_edit` (a new
status brings its dates from the evidence, a read the history does not date takes the finish
date given for such books, and it is queued for Hardcover in the sync outbox),
Want to Read through `shelves.want` (which also settles a status held in conflict with
Hardcover). A book that a rule refuses is left whole as it was and listed with the reason; the
others are saved. All of it is one step of the change journal: one Undo takes it back.

`preview` runs the same edit and rolls it back, so the count the user confirms ("Apply to 12
Books") and the books refused are exactly what the save will do.

A new kind of field joins by planning its share in `BookPlan` and adding its writer to
`_WRITERS`.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.custom.kinds import field_of
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.bulk import FINISHED as FINISHED
from bookorbit_desktop.library.editing.bulk import NUMBER_FROM_MAX as NUMBER_FROM_MAX
from bookorbit_desktop.library.editing.bulk import (
    BookPlan,
    BulkRequest,
    Refusal,
    Shown,
    plan,
    request_from_text,
)
from bookorbit_desktop.library.editing.values import LABELS
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.record import EDIT, finish_step, recording, start_step
from bookorbit_desktop.library.journal.rules import books_label, field_label
from bookorbit_desktop.library.reading.edits import save_edit
from bookorbit_desktop.library.reading.marking import NO_DATE, DateNeededError
from bookorbit_desktop.library.store.models import Book, ReadingState, database
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.tags.changes import change_tags
from bookorbit_desktop.services.shelves import service as shelves
from bookorbit_desktop.wording import in_words

WANT = "want_to_read"
NO_FINISH = (
    "the reading history does not say when you finished it, and no finish date was given for "
    "the books without one"
)
# A typed id the library never had reads as a wrong id, one removed meanwhile as gone.
NO_BOOK = "the library has no book with this id (a wrong id, or removed meanwhile)"
_READING_LABELS = {"status": "status", "rating": "rating"}
LISTED = 10  # refused books named in the summary (the command line names every one)
_CHUNK = 500  # books recorded at once (their values read before and after together)


@dataclass(frozen=True)
class BulkOutcome:
    """What a bulk edit did (or, previewed, would do)."""

    fields: tuple[str, ...]  # what it changes, in the user's words
    changed: tuple[int, ...]  # the books it changed
    unchanged: tuple[int, ...]  # those that had every value already
    refused: tuple[Refusal, ...]  # those left as they were, with why
    replaced: tuple[str, ...] = ()  # titles whose other status Want to Read replaces
    label: str = ""  # the journal step's name ("Edit 12 Books"), empty when nothing changed
    dated: tuple[int, ...] = ()  # changed books whose history has no finish date
    finished: str | None = None  # the date they were given (or `NO_DATE`)

    def fields_text(self) -> str:
        """The fields in words: "series, status and rating"."""
        return in_words(self.fields)

    def summary(self) -> str:
        """The lines the user reads before confirming (and after saving)."""
        count = len(self.changed)
        books = "1 book" if count == 1 else f"{count} books"
        fields = self.fields_text()
        lines = [
            f"This changes the {fields} of {books}." if count else f"No book takes the {fields}."
        ]
        if self.dated:
            when = "no date" if self.finished == NO_DATE else self.finished
            lines.append(
                f"Books whose reading history has no finish date ({len(self.dated)}) are "
                f"finished on: {when}."
            )
        if self.unchanged:
            lines.append(f"{len(self.unchanged)} already have these values.")
        if self.replaced:
            lines.append(
                "Want to Read replaces the status (here or on Hardcover) of "
                + ", ".join(f"“{title}”" for title in self.replaced)
                + "."
            )
        if self.refused:
            lines.append(f"Left as they are ({len(self.refused)}):")
            lines += [f"• {refusal.text()}" for refusal in self.refused[:LISTED]]
            if len(self.refused) > LISTED:
                lines.append(f"• and {len(self.refused) - LISTED} more")
        return "\n".join(lines)


def _fields(request: BulkRequest) -> tuple[str, ...]:
    names = [LABELS[name] for name in request.changes.changed()]
    if request.number_from is not None:
        names.append(f"series numbers (from {request.number_from:g})")
    names += [_READING_LABELS[name] for name in request.reading]
    if request.add_tags or request.remove_tags:
        names.append("tags")
    names += [field_label(field_of(column_id)) for column_id in request.custom]
    return tuple(names)


def _shown(book_ids: Sequence[int]) -> tuple[list[Shown], list[Refusal]]:
    """The books in the order given (each once), and those no longer in the library."""
    ids = list(dict.fromkeys(book_ids))
    books = {b.id: b for b in Book.select().where(Book.id.in_(ids))}
    states = {s.book_id: s for s in ReadingState.select().where(ReadingState.book.in_(ids))}
    shown, gone = [], []
    for book_id in ids:
        book = books.get(book_id)
        if book is None:
            gone.append(Refusal(book_id, f"Book {book_id}", NO_BOOK))
            continue
        state = states.get(book_id)
        status, rating = (state.status, state.rating) if state else ("unread", None)
        shown.append(Shown(book_id, book.title, book.series, status, rating))
    return shown, gone


@dataclass
class _Writing:
    """What each writer writes into, and the books given the request's finish date."""

    step: int
    paths: Paths
    clock: Callable[[], float]
    dated: set[int] = field(default_factory=set)


def _metadata(book: BookPlan, run: _Writing) -> None:
    if book.changes.changed():
        edit_books([book.book_id], book.changes, run.paths, clock=run.clock, step=run.step)


def _reading(book: BookPlan, run: _Writing) -> None:
    reading = dict(book.reading)
    if reading.get("status") == WANT:  # the one rule for Want to Read, as the book's action
        del reading["status"]
        with recording(
            f"Want to Read “{book.title}”", [book.book_id], step=run.step, clock=run.clock
        ):
            shelves.want(book.book_id, confirmed=True)
    if not reading:
        return
    try:
        save_edit(book.book_id, step=run.step, **reading)
    except DateNeededError:  # the history has no date: the one given for such books, if any
        if book.finished is None:
            raise DateNeededError(NO_FINISH) from None
        save_edit(book.book_id, step=run.step, **reading, finished=book.finished)
        run.dated.add(book.book_id)


def _tags(book: BookPlan, run: _Writing) -> None:
    if book.tagged():
        add, remove = book.add_tags, book.remove_tags
        change_tags(
            [book.book_id], run.paths, add=add, remove=remove, clock=run.clock, step=run.step
        )


def _custom(book: BookPlan, run: _Writing) -> None:
    if book.custom:
        set_values([book.book_id], book.custom, run.paths, clock=run.clock, step=run.step)


# Each writes its share of one book's plan into the step; a BookOrbitError refuses the book.
_WRITERS = (_metadata, _reading, _tags, _custom)


class BulkEditService:
    def __init__(self, paths: Paths, clock: Callable[[], float] = time.time) -> None:
        self.paths = paths
        self.clock = clock

    def preview(self, book_ids: Sequence[int], typed: Mapping[str, str]) -> BulkOutcome:
        """What `apply` would do, nothing kept; InvalidValueError for a wrong value."""
        request = request_from_text(typed, self._today())
        with database.atomic("IMMEDIATE") as transaction:  # it reads, then writes
            outcome = self._run(book_ids, request, previewing=True)
            transaction.rollback()
        return outcome

    def apply(self, book_ids: Sequence[int], typed: Mapping[str, str]) -> BulkOutcome:
        """Save the edit to every book that takes it, as one journal step."""
        return self._run(book_ids, request_from_text(typed, self._today()), previewing=False)

    def _today(self) -> datetime.date:
        return datetime.date.fromtimestamp(self.clock())

    async def preview_async(self, book_ids: Sequence[int], typed: Mapping[str, str]) -> BulkOutcome:
        return await off_loop(self.preview, book_ids, typed)

    async def apply_async(self, book_ids: Sequence[int], typed: Mapping[str, str]) -> BulkOutcome:
        return await off_loop(self.apply, book_ids, typed)

    def _run(
        self, book_ids: Sequence[int], request: BulkRequest, *, previewing: bool
    ) -> BulkOutcome:
        with database.atomic("IMMEDIATE"):  # it reads, then writes
            shown, gone = _shown(book_ids)
            replaced = []
            if previewing and request.reading.get("status") == WANT:
                replaced = [b.title for b in shown if shelves.want_question(b.book_id)]
            # Opened without the data folder when previewing: no kept image is touched.
            step = start_step(EDIT, "Edit Books", self.clock(), None if previewing else self.paths)
            run = _Writing(step, self.paths, self.clock)
            refused = self._write(shown, request, run)
            held = steps.get_step(step)
            changed_ids = {entry.book_id for entry in held.entries} if held else set()
            changed = [book for book in shown if book.book_id in changed_ids]
            label = books_label("Edit", [book.title for book in changed]) if changed else ""
            finish_step(step, lambda _count: label)
        refused_ids = {refusal.book_id for refusal in refused}
        return BulkOutcome(
            fields=_fields(request),
            changed=tuple(book.book_id for book in changed),
            unchanged=tuple(b.book_id for b in shown if b.book_id not in changed_ids | refused_ids),
            refused=tuple(gone + refused),
            replaced=tuple(replaced),
            label=label,
            dated=tuple(book.book_id for book in changed if book.book_id in run.dated),
            finished=request.finished,
        )

    def _write_chunk(self, plans: list[BookPlan], run: _Writing) -> list[Refusal]:
        """Write these books' plans, recorded together (each book's own edits add nothing
        more to read); return the books refused."""
        refused = []
        ids = [book.book_id for book in plans if not book.empty()]
        with recording("Edit Books", ids, step=run.step, clock=self.clock):
            for book in plans:
                if book.empty():
                    continue
                try:
                    with database.atomic():
                        for write in _WRITERS:
                            write(book, run)
                except BookOrbitError as error:
                    refused.append(Refusal(book.book_id, book.title, error.message))
        return refused

    def _write(self, shown: list[Shown], request: BulkRequest, run: _Writing) -> list[Refusal]:
        """Write each book's plan into the step; return the books refused. When the rules
        refuse a book of a numbered run, the run is written again without it, so that the
        numbers the others get follow on without a gap."""
        by_rules: list[Refusal] = []
        while True:
            plans, refused = plan(shown, request)
            found = []
            with database.atomic() as attempt:
                for start in range(0, len(plans), _CHUNK):
                    found += self._write_chunk(plans[start : start + _CHUNK], run)
                by_rules += found
                if not found or request.number_from is None:
                    return refused + by_rules
                attempt.rollback()
            left_out = {refusal.book_id for refusal in found}
            shown = [book for book in shown if book.book_id not in left_out]
