"""`books` and `book` sub-commands: list the library, show books and edit their reading state.

`import` lives in `importing`, which loads none of the ORM-backed queries this module needs."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from bookorbit_desktop.cli.book_pages import book_pages, write_json_array
from bookorbit_desktop.cli.books_edit import register as register_book_actions
from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.edits import edits_asked, edits_of, run_many, save_edits
from bookorbit_desktop.cli.selection import add_where
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.matching.revisit import REMOVED
from bookorbit_desktop.library.custom.kinds import readable_line
from bookorbit_desktop.library.custom.store import book_values, by_label
from bookorbit_desktop.library.metadata.bylines import author_line
from bookorbit_desktop.library.reading.values import status_percent
from bookorbit_desktop.library.search.compiler import Condition, search_condition
from bookorbit_desktop.library.search.grammar import SearchError
from bookorbit_desktop.library.store.links import hardcover_links
from bookorbit_desktop.library.store.queries import get_book, listing_lines
from bookorbit_desktop.services.library.service import HARDCOVER_LABELS


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's sub-commands to the parser."""
    books = add_command(commands, "books", run_books, reads=True)
    books.add_argument("--json", action="store_true", help="print JSON (one object per book)")
    books.add_argument(
        "--sort",
        metavar="ORDER",
        default="title",
        help="title (the default), author (surname first, as the library files them) or a "
        "custom column's #label (by its values, as the window sorts them)",
    )
    books.add_argument(
        "--descending",
        action="store_true",
        help="the order the other way round (Z to A, the highest value first; a custom "
        "column's books without a value first), as a second click on the window's column",
    )
    books.add_argument(
        "--search",
        metavar="SEARCH",
        help="only the books a search finds, as in the window's filter box: words, "
        "author:NAME, tags:TAG, title:=EXACT, series:~PATTERN, rating:>=4, added:<30daysago, "
        "status:reading, hardcover:unmatched, #column:value (a custom column), with and, or, "
        "not and parentheses",
    )
    register_book_actions(books)
    book = add_command(commands, "book", run_book, reads=lambda args: not edits_asked(args))
    book.add_argument(
        "book_ids", type=int, nargs="*", metavar="ID", help="the books' ids (see `books`)"
    )
    book.add_argument("--all-unread", action="store_true", help="every book marked unread")
    add_where(book)
    book.add_argument(
        "--status",
        metavar="S",
        help="unread, want_to_read, reading, rereading, on_hold, read, skimmed or abandoned",
    )
    ratings = book.add_mutually_exclusive_group()
    ratings.add_argument("--rating", metavar="R", help="0.5 to 5 in half steps ('none' clears)")
    ratings.add_argument("--clear-rating", action="store_true", help="remove the rating")
    book.add_argument("--started", metavar="DATE", help="YYYY-MM-DD, 'today' or 'none'")
    book.add_argument("--finished", metavar="DATE", help="YYYY-MM-DD, 'today' or 'none'")
    book.add_argument("--progress", metavar="P", help="a fraction (0.45) or a percentage (45%%)")
    book.add_argument("--json", action="store_true", help="print the book as JSON")


def _dump(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _found(search: str | None) -> Condition | None:
    """The condition of `--search` (None: every book); a search that cannot be read is a
    wrong value (exit status 2), said with its place."""
    if search is None:
        return None
    try:
        return search_condition(search, date.today())
    except SearchError as error:
        raise InvalidValueError(
            f"{error.message} (at character {error.start + 1} of the search).",
            title="Search not understood",
        ) from None


def run_books(ctx: CliContext, args: argparse.Namespace) -> int:
    """list the library, or the books a search finds"""
    found = _found(args.search)
    if args.json:
        write_json_array(
            (
                {**book, "hardcover": links[book["id"]]}
                for page in book_pages(sort=args.sort, found=found, descending=args.descending)
                for links in [hardcover_links(book["id"] for book in page)]
                for book in page
            ),
            sys.stdout,
        )
        return 0
    count = 0
    column = by_label(args.sort) if args.sort.startswith("#") else None
    for page in book_pages(
        sort=args.sort, found=found, descending=args.descending, records=listing_lines
    ):
        if not count:
            print(f"{'ID':>5}  {'STATUS':<12} {'DONE':>4}  TITLE — AUTHORS [FORMATS]")
        values = {} if column is None else book_values(book["id"] for book in page)
        for book in page:
            authors = author_line(book["authors"])
            value = values.get(book["id"], {}).get(column.id) if column is not None else None
            sorted_by = ""
            if column is not None and value is not None:
                sorted_by = f"  #{column.label}: {readable_line(column, value)}"
            print(
                f"{book['id']:>5}  {book['status']:<12} "
                f"{status_percent(book['status'], book['progress']):>5}  "
                f"{book['title']} — {authors} [{','.join(book['formats'])}]{sorted_by}"
            )
        count += len(page)
    if not count and found is not None:
        print("No book matches the search.")
        return 0
    if not count:
        print("The library is empty. Add books with: bookorbit-desktop import PATH...")
        return 0
    print(f"{counted(count, 'book')}.")
    return 0


def run_book(ctx: CliContext, args: argparse.Namespace) -> int:
    """show books, or edit their reading state

    Without options, show the books. With options, change their reading state; every value
    is checked before anything is saved. Several books (ids, --all-unread, --where) are changed
    one by one: a book that cannot be changed is reported and the others are saved. Exit status
    0 when every book was saved, 1 when some were not, 2 for a wrong value or option."""
    if len(args.book_ids) != 1 or args.all_unread or args.where:
        return run_many(ctx, args, book_lines, _dump)
    book_id = args.book_ids[0]
    edits = edits_of(args)
    edited = edits_asked(args)
    if edited:
        save_edits(book_id, edits)
    book = get_book(book_id)
    if args.json:
        _dump(book)
        return 0
    if edited:
        print("Reading state saved.")
    for line in book_lines(book):
        print(line)
    return 0


def book_lines(book: dict[str, Any]) -> list[str]:
    """One book, readable."""
    lines = [f"{book['title']}  (book {book['id']})"]
    fields = [
        ("Subtitle", book["subtitle"]),
        (
            "Authors",
            ", ".join(
                f"{c['name']} ({c['role']})" if c["role"] != "aut" else c["name"]
                for c in book["creators"]
            ),
        ),
        (
            "Series",
            f"{book['series']} #{book['series_index']:g}"
            if book["series"] and book["series_index"] is not None
            else book["series"],
        ),
        ("Languages" if len(book["languages"]) > 1 else "Language", ", ".join(book["languages"])),
        ("Tags", ", ".join(book["tags"])),
        ("Publisher", book["publisher"]),
        ("Published", book["published"]),
        ("Pages", f"{book['pages']:,}" if book["pages"] else None),
        ("ISBN", " / ".join(v for v in (book["isbn13"], book["isbn10"]) if v)),
        ("Hardcover", book["hardcover_slug"] or book["hardcover_id"]),
    ]
    lines += [f"  {name + ':':<11}{value}" for name, value in fields if value]
    lines += [
        f"  #{label}: {readable_line(column, value)}"
        for label, value in book["custom"].items()
        if (column := by_label(label)) is not None
    ]
    if hardcover_links([book["id"]])[book["id"]]["state"] == REMOVED:
        lines.append(
            f"  {'':<11}{HARDCOVER_LABELS[REMOVED]}; add it again with: "
            f"hardcover add-again {book['id']}"
        )
    reading = book["reading"]
    lines.append(
        f"  {'Reading:':<11}{reading['status']}, "
        f"{status_percent(reading['status'], reading['progress'])}"
        + (f", started {reading['started']}" if reading["started"] else "")
        + (f", finished {reading['finished']}" if reading["finished"] else "")
        + (f", rated {reading['rating']:g}/5" if reading["rating"] is not None else "")
    )
    for file in book["files"]:
        state = " (missing)" if file["missing"] else ""
        lines.append(f"  {'File:':<11}{file['path']}{state}")
        lines.append(
            f"  {'':<11}{file['format']}, {file['size']:,} bytes, KOReader id {file['partial_md5']}"
        )
    return lines
