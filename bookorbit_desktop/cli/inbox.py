"""`inbox`: newly imported books that wait for your approval (when the Inbox is on).

inbox [list] [--json]        the books waiting, oldest first
inbox on | off               hold new imports in the Inbox, or let them straight in
inbox approve BOOK_ID...     let these books into the library (and the catalog)
inbox approve --all          let every waiting book in
inbox remove BOOK_ID...      remove these books from the library (their files stay on disk)
"""

from __future__ import annotations

import argparse
import json

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.errors import InvalidValueError

_ACTIONS = ("list", "on", "off", "approve", "remove")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's sub-command to the parser."""
    parser = add_command(commands, "inbox", run, page=__doc__)
    parser.add_argument("words", nargs="*", metavar="ACTION [BOOK_ID...]")
    parser.add_argument("--all", action="store_true", help="with approve: every waiting book")
    parser.add_argument("--json", action="store_true", help="with list: print JSON")


def _ids(words: list[str]) -> list[int]:
    try:
        return [int(word) for word in words]
    except ValueError:
        raise InvalidValueError(
            f"Book ids are numbers, not {' '.join(words)!r}. List the Inbox with "
            "`bookorbit-desktop inbox`."
        ) from None


def run(ctx: CliContext, args: argparse.Namespace) -> int:
    """Books waiting in the Inbox: list, approve, remove; turn the Inbox on or off"""
    from bookorbit_desktop.services.library import inbox

    words: list[str] = list(args.words)
    action = words.pop(0) if words else "list"
    if action not in _ACTIONS:
        raise InvalidValueError(f"Unknown action {action!r}: use one of {', '.join(_ACTIONS)}.")
    if action in ("on", "off"):
        if words:
            raise InvalidValueError(f"Usage: bookorbit-desktop inbox {action}")
        inbox.set_enabled(action == "on")
        state = "on: new imports wait here" if action == "on" else "off: imports go straight in"
        print(f"Inbox {state}. {counted(inbox.count(), 'book')} waiting.")
        return 0
    if action == "approve":
        if args.all == bool(words):
            raise InvalidValueError("Usage: bookorbit-desktop inbox approve BOOK_ID... | --all")
        approved = inbox.approve_all() if args.all else inbox.approve(_ids(words))
        print(f"Approved {counted(len(approved), 'book')}; {inbox.count():,} still waiting.")
        return 0
    if action == "remove":
        if not words:
            raise InvalidValueError("Usage: bookorbit-desktop inbox remove BOOK_ID...")
        removed = inbox.remove(_ids(words), ctx.paths)
        print(f"Removed {counted(len(removed), 'book')} from the library.")
        return 0
    return _list(args.json)


def _list(as_json: bool) -> int:
    from bookorbit_desktop.services.library import inbox

    books = inbox.waiting()
    if as_json:
        for book in books:
            row = {
                "id": book.id,
                "title": book.title,
                "authors": list(book.authors),
                "series": book.series,
                "series_index": book.series_index,
                "files": list(book.files),
            }
            print(json.dumps(row, ensure_ascii=False))
        return 0
    state = "on" if inbox.enabled() else "off"
    if not books:
        print(f"The Inbox is empty (it is {state}).")
        return 0
    for book in books:
        print(f"{book.id:>5}  {book.title} — {', '.join(book.authors) or 'unknown author'}")
    print(f"{counted(len(books), 'book')} in the Inbox (it is {state}).")
    print("Approve with `bookorbit-desktop inbox approve BOOK_ID...` or `--all`.")
    return 0
