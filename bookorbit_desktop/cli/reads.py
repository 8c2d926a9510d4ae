"""`book reads`: a book's reads, and adding, editing and deleting one.

  book reads ID [--json]              every read of the book, oldest first: its start, its
                                      finish ("no date", or open), progress, device, source
  book reads add ID [--started D] [--finished D] [--state S]
                                      a new read of the book (finished unless --state says
                                      open or abandoned)
  book reads edit READ [--started D] [--finished D] [--state S]
                                      change a read (READ: its id in the list)
  book reads delete READ              delete a read
  book reads delete ID --hardcover-read N
                                      delete a read of book ID that is only on hardcover.app
                                      (the list names its Hardcover read id); the next sync
                                      deletes it there

Each change is one step `undo` takes back. The book's status and dates are its latest read's.
Reads on hardcover.app that are none of the library's are listed with no id of their own.
"""

from __future__ import annotations

import argparse
import json
import sys

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.errors import InvalidValueError

NAME = "book-reads"  # typed as `book reads` (`cli.joined_words`)
ACTIONS = ("add", "edit", "delete")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `book reads` to the parser."""
    parser = add_command(
        commands,
        NAME,
        run_reads,
        reads=lambda args: (args.words or [None])[0] not in ACTIONS,
        page=__doc__,
        prog="bookorbit-desktop book reads",
    )
    # The list of commands names it as it is typed, not by the name it is registered under.
    commands._choices_actions[-1].metavar = "book reads"
    parser.add_argument("words", nargs="+", metavar="[ACTION] ID", help="see above")
    parser.add_argument("--started", metavar="DATE", help="YYYY-MM-DD, 'today' or 'none'")
    parser.add_argument("--finished", metavar="DATE", help="YYYY-MM-DD, 'today' or 'none'")
    parser.add_argument("--state", choices=("done", "open", "abandoned"), help="the read's state")
    parser.add_argument("--json", action="store_true", help="print the reads as JSON")
    parser.add_argument(
        "--hardcover-read", type=int, metavar="N", help="with delete: a read only on hardcover.app"
    )


def _id(word: str, what: str) -> int:
    try:
        return int(word)
    except ValueError:
        raise InvalidValueError(f"{what} {word!r} is not a number.") from None


def run_reads(ctx: CliContext, args: argparse.Namespace) -> int:
    """show a book's reads, or add, edit or delete one"""
    from bookorbit_desktop.services.library import reads

    words = args.words
    action = words[0] if words[0] in ACTIONS else None
    if len(words) != (2 if action else 1):
        raise InvalidValueError(
            "Name one book (book reads ID) or one action and its id (book reads add ID, "
            "book reads edit READ, book reads delete READ)."
        )
    given = {k: getattr(args, k) for k in ("started", "finished", "state") if getattr(args, k)}
    if args.hardcover_read is not None and action != "delete":
        raise InvalidValueError("--hardcover-read goes with delete: book reads delete ID ...")
    if action == "add":
        book_id = _id(words[1], "The book id")
        state = given.get("state") or "done"
        read_id = reads.add_read(book_id, given.get("started"), given.get("finished"), state)
        print(f"Added read {read_id} of book {book_id}. {ctx.undo_hint()}")
        return 0
    if action == "edit":
        if not given:
            raise InvalidValueError("Say what to change: --started, --finished or --state.")
        read_id = _id(words[1], "The read id")
        reads.edit_read(read_id, **given)
        print(f"Changed read {read_id}. {ctx.undo_hint()}")
        return 0
    if action == "delete":
        if given:
            raise InvalidValueError("Delete takes no --started, --finished or --state.")
        if args.hardcover_read is not None:
            book_id = _id(words[1], "The book id")
            reads.delete_hardcover_read(book_id, args.hardcover_read)
            print(
                f"Deleted Hardcover read {args.hardcover_read} of book {book_id}; the next "
                f"Hardcover sync deletes it there. {ctx.undo_hint()}"
            )
            return 0
        read_id = _id(words[1], "The read id")
        reads.delete_read(read_id)
        print(f"Deleted read {read_id}. {ctx.undo_hint()}")
        return 0
    lines = reads.read_lines(_id(words[0], "The book id"))
    if args.json:
        json.dump([line.as_json() for line in lines], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not lines:
        print("No reads yet.")
        return 0
    print(f"{'READ':>5}  {'STARTED':<10}  {'FINISHED':<10}  {'PROGRESS':<9}  SOURCE")
    for line in lines:
        number = str(line.read_id) if line.read_id is not None else "-"
        state = " (abandoned)" if line.state == reads.ABANDONED else ""
        source = line.source + (f" ({line.device})" if line.device else "")
        if line.hardcover_read_id is not None:
            source += f", Hardcover read {line.hardcover_read_id}"
        print(
            f"{number:>5}  {line.started or 'no date':<10}  {line.finish_text():<10}  "
            f"{line.progress:<9}  {source}{state}"
        )
    return 0
