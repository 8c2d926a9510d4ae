"""`progress history BOOK [--json]` and `progress restore BOOK EVENT`: every position KOReader
devices synced for a book, and an earlier one made the book's current position again."""

from __future__ import annotations

import argparse
import json
import time

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.services.library import position_history as service

_BOOK = "the book's id (see `bookorbit-desktop books`)"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `history` and `restore` under `progress`."""
    history = add_command(sub, "history", _history, reads=True)
    history.add_argument("book_id", type=int, help=_BOOK)
    history.add_argument("--json", action="store_true", help="print JSON")
    restore = add_command(sub, "restore", _restore)
    restore.add_argument("book_id", type=int, help=_BOOK)
    restore.add_argument("event_id", type=int, help="the position's id (as `history` lists it)")


def book_title(book_id: int) -> str:
    """The book's title; NotFoundError when there is no such book."""
    book = Book.get_or_none(Book.id == book_id)
    if book is None:
        raise NotFoundError(
            f"There is no book with id {book_id}. List the library's books with "
            "`bookorbit-desktop books` and use the id shown there."
        )
    return str(book.title or "untitled book")


def _history(ctx: CliContext, args: argparse.Namespace) -> int:
    """every position KOReader devices synced for a book, newest first

    Each line: the position's id (for `progress restore`), the percentage, where KOReader's
    position names a page or a part of the book, the device and when. A push the jump-back
    guard kept out of the book's progress says so, and a copy whose served position jumped
    back is named at the end with the command that restores the furthest position."""
    title = book_title(args.book_id)
    rows = service.history_rows(args.book_id)
    notices = service.notices(args.book_id)
    if args.json:
        print(json.dumps([_json(row) for row in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print(f"No device has synced “{title}” yet.")
        return 0
    print(f"Book {args.book_id}: {title}")
    for row in rows:
        where = f", {row.where}" if row.where else ""
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(row.timestamp))
        jumped = (
            f" — jumped back from {service.percent(row.jumped_from)}, progress kept"
            if row.jumped_from is not None
            else ""
        )
        print(
            f"  [{row.event_id}] {service.percent(row.percentage)}{where}, {row.device},"
            f" {row.what} {when}{jumped}"
        )
    for notice in notices:
        print(
            f"{notice.text()} `bookorbit-desktop progress restore {args.book_id}"
            f" {notice.restore_event_id}`"
        )
    return 0


def _json(row: service.HistoryRow) -> dict[str, object]:
    return {
        "event_id": row.event_id,
        "percentage": row.percentage,
        "where": row.where,
        "device": row.device,
        "device_id": row.device_id,
        "document": row.document,
        "timestamp": row.timestamp,
        "what": row.what,
        "jumped_back_from": row.jumped_from,
    }


def _restore(ctx: CliContext, args: argparse.Namespace) -> int:
    """make an earlier position the book's current one

    Every device reading that copy of the book is offered it on its next sync: KOReader asks
    "Sync to latest location …% from device 'BookOrbit Desktop'?" (or jumps without asking,
    as its "Sync to a newer state" setting says). The book's progress becomes that position,
    and Hardcover follows. `bookorbit-desktop undo` takes it back."""
    title = book_title(args.book_id)
    restored = service.restore(ctx.paths, args.book_id, args.event_id)
    print(
        f"Restored {service.percent(restored.percentage)} of “{title}”: the next sync of a device"
        f" reading this copy offers it. {ctx.undo_hint()}"
    )
    return 0
