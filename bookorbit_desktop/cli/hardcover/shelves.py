"""`bookorbit-desktop hardcover shelves|shelf|want`: your Hardcover shelves in the library.

`shelves` lists Want to Read, Currently Reading and your lists with how many of their books
the library has; `shelf NAME` lists one shelf's books, each in the library, likely in it (with
why, the Hardcover id, and how to link it: the window's Shelves tab, or `hardcover pick BOOK
HC_BOOK_ID`) or missing (with its Hardcover page). `want BOOK`
puts a library book on Want to Read; it goes to Hardcover with the next sync, and a status the
book already has (there or here) is changed only with `--yes`.
"""

from __future__ import annotations

import argparse
import json

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.services.shelves import service as shelves

_MARKS = {shelves.LINKED: "in library", shelves.LIKELY: "likely", shelves.MISSING: "missing"}
EMPTY = (
    "No shelves yet: they come from Hardcover with the next sync "
    "(or: bookorbit-desktop hardcover pull --full)."
)


def register_shelf_commands(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add_command(actions, "shelves", _shelves).add_argument(
        "--json", action="store_true", help="machine-readable output"
    )
    shelf = add_command(actions, "shelf", _shelf)
    shelf.add_argument("name", metavar="NAME", help='a shelf\'s name ("Want to Read") or key')
    shelf.add_argument("--json", action="store_true", help="machine-readable output")
    want = add_command(actions, "want", _want)
    want.add_argument("book", type=int, metavar="BOOK", help="the library book's id")
    want.add_argument(
        "--yes",
        action="store_true",
        help="change the status the book already has (on Hardcover or here) to Want to Read",
    )


def _shelves(ctx: CliContext, args: argparse.Namespace) -> int:
    """your Hardcover shelves and lists, with how many books the library has"""
    found = shelves.shelves()
    if args.json:
        print(json.dumps([s.to_json() for s in found], indent=2, ensure_ascii=False))
        return 0
    if not any(s.entries for s in found) and all(s.kind == "status" for s in found):
        print(EMPTY)
        return 0
    for shelf in found:
        print(
            f"{shelf.name}: {counted(shelf.entries, 'book')}, {shelf.in_library:,} in the library"
        )
    print("See one with: bookorbit-desktop hardcover shelf NAME")
    return 0


def _shelf(ctx: CliContext, args: argparse.Namespace) -> int:
    """one shelf's books: in the library, likely in it (and why), or missing"""
    shelf = shelves.find_shelf(args.name)
    rows = shelves.shelf_rows(shelf.key)
    if args.json:
        data = {"shelf": shelf.to_json(), "books": [r.to_json() for r in rows]}
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(f"{shelf.name} ({counted(len(rows), 'book')})")
    if not rows:
        print("This shelf is empty.")
    for row in rows:
        by = f" by {', '.join(row.authors)}" if row.authors else ""
        where = f"  book {row.book_id}" if row.state == shelves.LINKED else ""
        print(f"  [{_MARKS[row.state]}] {row.title}{by}{where}")
        if row.state == shelves.LIKELY:
            command = f"bookorbit-desktop hardcover pick {row.book_id} {row.hc_book_id}"
            print(f"      {row.reason}")
            print(f"      Hardcover id {row.hc_book_id}: link it in the Shelves tab, or: {command}")
        elif row.state == shelves.MISSING and row.url:
            print(f"      {row.url}")
    return 0


def _want(ctx: CliContext, args: argparse.Namespace) -> int:
    """put a library book on Want to Read (and on Hardcover with the next sync)"""
    try:
        print(shelves.want(args.book, confirmed=args.yes))
    except shelves.WantQuestion as question:
        print(f"{question.message} To do it, run again with --yes.")
        return 1
    return 0
