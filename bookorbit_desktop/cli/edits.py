"""`book ID [ID ...]`, `book --all-unread`, `book --where status=S[,S]`: show or edit many
books in one run.

Every value is checked once before any book changes; then each book is saved in its own
transaction, so a book that cannot take the change (it does not exist, or its dates would
conflict) is reported on its own line and the others are still saved. The books saved are one
step of the change journal: one `undo` takes the whole run back. Exit status: 0 when every book
was shown or saved, 1 when some could not be, 2 when the command itself was wrong.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from typing import Any

from peewee import JOIN

from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.errors import BookOrbitError, InvalidValueError
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.record import EDIT, finish_step, start_step
from bookorbit_desktop.library.reading.edits import UNSET, save_edit
from bookorbit_desktop.library.reading.marking import DateNeededError
from bookorbit_desktop.library.reading.values import (
    parse_date,
    parse_progress,
    parse_rating,
    parse_status,
    status_percent,
)
from bookorbit_desktop.library.store.models import Book, ReadingState
from bookorbit_desktop.library.store.queries import list_books

WHERE_FIELDS = ("status",)
_CHUNK = 500  # ids per query when the books are read back


def edits_of(args: argparse.Namespace) -> dict[str, Any]:
    """The reading-state changes asked for, as `update_reading_state` takes them."""
    return {
        "status": args.status if args.status is not None else UNSET,
        "progress": args.progress if args.progress is not None else UNSET,
        "started": args.started if args.started is not None else UNSET,
        "finished": args.finished if args.finished is not None else UNSET,
        "rating": None if args.clear_rating else args.rating if args.rating is not None else UNSET,
    }


def edits_asked(args: argparse.Namespace) -> bool:
    """Whether the options ask to change the reading state (without them, `book` only shows)."""
    return any(value is not UNSET for value in edits_of(args).values())


def save_edits(book_id: int, edits: dict[str, Any], step: int | None = None) -> None:
    """Save one book's edits (`edits.save_edit`, part of `step` when given); marking it read
    needs `--finished` when the reading history does not say when it ended."""
    try:
        save_edit(book_id, step=step, **edits)
    except DateNeededError:
        raise InvalidValueError(
            f"Book {book_id}: the reading history does not say when you finished it. Give the "
            "date with --finished YYYY-MM-DD or --finished today, or say you do not know it "
            "with --finished none."
        ) from None


def check_edits(edits: dict[str, Any], today: datetime.date) -> None:
    """Raise InvalidValueError for a value no book could take, before any book is changed."""
    checks = {
        "status": parse_status,
        "progress": parse_progress,
        "rating": parse_rating,
        "started": lambda value: parse_date(value, field="start", today=today),
        "finished": lambda value: parse_date(value, field="finish", today=today),
    }
    for key, value in edits.items():
        if value is not UNSET and value is not None:
            checks[key](value)


def parse_where(conditions: list[str]) -> dict[str, list[str]]:
    """`status=reading,on_hold` as {"status": ["reading", "on_hold"]} (values checked)."""
    wanted: dict[str, list[str]] = {}
    for condition in conditions:
        name, sep, values = condition.partition("=")
        name = name.strip().lower()
        if not sep or name not in WHERE_FIELDS or not values.strip():
            raise InvalidValueError(
                f"Cannot select books by {condition!r}. Use --where status=S, where S is a "
                "reading status or several separated by commas (status=reading,on_hold)."
            )
        wanted.setdefault(name, []).extend(
            parse_status(value) for value in values.split(",") if value.strip()
        )
    return wanted


def selected_ids(args: argparse.Namespace) -> list[int]:
    """The ids given, then the books `--all-unread` and `--where` select, each once."""
    statuses: list[str] = []
    if args.all_unread:
        statuses.append("unread")
    statuses += parse_where(args.where or []).get("status", [])
    ids = list(args.book_ids)
    if statuses:
        ids += ids_with_status(statuses)
    return list(dict.fromkeys(ids))


def ids_with_status(statuses: list[str]) -> list[int]:
    """The books with one of these reading statuses, by id."""
    # A book without a reading state yet counts as unread.
    query = Book.select(Book.id).join(
        ReadingState, join_type=JOIN.LEFT_OUTER, on=ReadingState.book == Book.id
    )
    chosen = ReadingState.status.in_(statuses)
    if "unread" in statuses:
        chosen |= ReadingState.status.is_null()
    return [row.id for row in query.where(chosen).order_by(Book.id)]


def shown_books(ids: list[int]) -> dict[int, dict[str, Any]]:
    """The books as `list_books` shows them, read a few hundred at a time."""
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        found.update((book["id"], book) for book in list_books(ids[start : start + _CHUNK]))
    return found


def run_many(ctx: CliContext, args: argparse.Namespace, show_lines: Any, dump: Any) -> int:
    """Show or edit every selected book; per-book problems do not stop the others."""
    edits = edits_of(args)
    edited = edits_asked(args)
    check_edits(edits, datetime.date.today())
    ids = selected_ids(args)
    if not ids:
        if not (args.all_unread or args.where):
            raise InvalidValueError(
                "Name the books: one or more ids, --all-unread or --where status=S."
            )
        print("No books are selected; nothing was changed.")
        return 0
    errors: dict[int, str] = {}
    undo_step = None
    if edited:  # one step of the change journal for all of them: one `undo` takes it back
        step = start_step(EDIT, "Change Reading", time.time())
        for book_id in ids:
            try:
                save_edits(book_id, edits, step)
            except BookOrbitError as error:
                errors[book_id] = error.message
        if finish_step(step, lambda count: f"Change Reading of {counted(count, 'Book')}"):
            undo_step = steps.get_step(step)
    books = shown_books([book_id for book_id in ids if book_id not in errors])
    results: list[dict[str, Any]] = []
    for book_id in ids:
        book = books.get(book_id)
        if book is None:
            message = errors.get(book_id) or f"There is no book with id {book_id}."
            results.append({"id": book_id, "ok": False, "error": message})
            if not args.json:
                what = "not changed: " if edited else ""
                print(f"book {book_id}: {what}{message}", file=sys.stderr)
            continue
        results.append({"id": book_id, "ok": True, "book": book})
        if args.json:
            continue
        if edited:
            reading = book["reading"]
            print(
                f"book {book_id}: saved ({reading['status']}, "
                f"{status_percent(reading['status'], reading['progress'])}) — {book['title']}"
            )
        else:
            for line in show_lines(book):
                print(line)
    failed = sum(1 for result in results if not result["ok"])
    if args.json:
        dump(results)
    elif edited:
        saved = len(results) - failed
        print(
            f"{saved} of {counted(len(results), 'book')} saved"
            + (f", {failed} not." if failed else ".")
        )
        if undo_step is not None:
            print(ctx.undo_hint(undo_step.label))
    return 1 if failed else 0
