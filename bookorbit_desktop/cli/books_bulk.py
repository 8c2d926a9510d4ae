"""`books edit` for several books, or with a status, rating or series numbers: the window's bulk
edit (`services.library.bulk_edits`) from the command line.

The books are the ids given, in that order, then those `--where status=S` or `--all` selects
(by id); `--number-from N` numbers the series in that order. Each book goes through the rules
a one-book edit follows; a book a rule refuses is left as it was and named on its own line,
the others are saved, and all of it is one step of the change journal.
"""

from __future__ import annotations

import argparse
import sys

from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.selection import add_selection, selected_books, selects_many
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.errors import InvalidValueError

LISTED = 20  # the ids a save names; `history` has them all

# Options only the bulk edit takes (with one book too), by the request's names.
BULK_OPTIONS = ("status", "rating", "finished", "number_from")


def add_options(edit: argparse.ArgumentParser) -> None:
    edit.add_argument("--publisher", help="the publisher ('' removes it)")
    edit.add_argument(
        "--status",
        metavar="S",
        help="unread, want_to_read, reading, rereading, on_hold, read, skimmed or abandoned",
    )
    edit.add_argument("--rating", metavar="R", help="0.5 to 5 in half steps ('none' clears)")
    edit.add_argument(
        "--finished",
        metavar="DATE",
        help="with --status read or skimmed: the finish date (YYYY-MM-DD, 'today', or 'none' "
        "for no date) of the books whose reading history has none; the others keep theirs",
    )
    edit.add_argument(
        "--number-from",
        metavar="N",
        help="number the series from N, step 1, in the order of the books",
    )
    add_selection(edit)


def is_bulk(args: argparse.Namespace) -> bool:
    """Whether the edit is the bulk edit: not exactly one id, or a bulk-only option."""
    return selects_many(args) or any(getattr(args, name) is not None for name in BULK_OPTIONS)


def run_bulk(ctx: CliContext, args: argparse.Namespace, typed: dict[str, str]) -> int:
    """Save `typed` (the text options given) and the bulk options to the books selected."""
    # Loaded here: `books` and the rest of the command line start without the readers' stack.
    from bookorbit_desktop.library.editing.bulk import NUMBER_FROM
    from bookorbit_desktop.services.library.bulk_edits import NO_FINISH, BulkEditService

    typed = dict(typed)
    for name in BULK_OPTIONS:
        if getattr(args, name) is not None:
            typed[NUMBER_FROM if name == "number_from" else name] = getattr(args, name)
    ids = selected_books(args)
    if not ids:
        if not (args.all or args.where):
            raise InvalidValueError("Name the books: one or more ids, --all or --where status=S.")
        print("No books are selected; nothing was changed.")
        return 0
    outcome = BulkEditService(ctx.paths).apply(ids, typed)
    for refusal in outcome.refused:
        print(f"book {refusal.book_id}: not changed: {refusal.text()}", file=sys.stderr)
    undated = [str(refusal.book_id) for refusal in outcome.refused if refusal.reason == NO_FINISH]
    if undated:  # the date the bulk edit cannot guess, given once for all of them
        print(
            "Give the date you finished them (or none if you do not know it): "
            f"bookorbit-desktop books edit {' '.join(undated)} --status {args.status} "
            "--finished YYYY-MM-DD",
            file=sys.stderr,
        )
    saved = len(outcome.changed)
    if saved:
        numbers = ", ".join(str(book_id) for book_id in outcome.changed[:LISTED])
        if saved > LISTED:  # `history` lists every book of the step
            numbers += f" and {saved - LISTED:,} more"
        print(f"Saved the {outcome.fields_text()} of {counted(saved, 'book')}: {numbers}.")
    if outcome.unchanged:
        print(f"{counted(len(outcome.unchanged), 'book')} had these values already.")
    if outcome.label:
        print(ctx.undo_hint(outcome.label))
    return 1 if outcome.refused else 0
