"""`import`, `books` and `book` sub-commands: fill the library, list it, edit reading state."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.edits import edits_of, run_many
from bookorbit_desktop.library.importer.summary import ImportOutcome
from bookorbit_desktop.library.store.links import hardcover_links
from bookorbit_desktop.library.store.queries import (
    UNSET,
    get_book,
    list_books,
    update_reading_state,
)

if TYPE_CHECKING:  # the importer's readers load only when a command imports books
    from bookorbit_desktop.library.importer.summary import ImportProgress, ImportSummary

REDRAW_SECONDS = 0.1


def shown(path: object) -> str:
    """A path as printable text: names in a legacy encoding show their odd bytes escaped."""
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this feature's sub-commands to the parser."""
    importer = commands.add_parser(
        "import",
        help="import ebook files and folders (folders are searched recursively)",
        description="Import EPUB, PDF, CBZ, MOBI, AZW3 and FB2 files. Importing the same files "
        "again is quick and changes nothing. Exit status 0 when every file was imported, 1 "
        "when some could not be.",
    )
    importer.add_argument("paths", nargs="+", metavar="PATH", help="a file or a folder")
    importer.set_defaults(handler=run_import)

    books = commands.add_parser("books", help="list the library")
    books.add_argument("--json", action="store_true", help="print JSON (one object per book)")
    books.set_defaults(handler=run_books)

    book = commands.add_parser(
        "book",
        help="show books, or edit their reading state",
        description="Without options, show the books. With options, change their reading "
        "state; every value is checked before anything is saved. Several books (ids, "
        "--all-unread, --where) are changed one by one: a book that cannot be changed is "
        "reported and the others are saved. Exit status 0 when every book was saved, 1 when "
        "some were not, 2 for a wrong value or option.",
    )
    book.add_argument(
        "book_ids", type=int, nargs="*", metavar="ID", help="the books' ids (see `books`)"
    )
    book.add_argument("--all-unread", action="store_true", help="every book marked unread")
    book.add_argument(
        "--where",
        action="append",
        metavar="status=S[,S]",
        help="every book with one of these reading statuses",
    )
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
    book.set_defaults(handler=run_book)


# -- import -------------------------------------------------------------------------------


class ProgressPrinter:
    """A one-line progress bar with count and ETA on a terminal; plain lines otherwise."""

    def __init__(
        self,
        stream: TextIO,
        *,
        interactive: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.interactive = stream.isatty() if interactive is None else interactive
        self.clock = clock
        self._last_draw = float("-inf")
        self._drawn = False

    def __call__(self, event: ImportProgress) -> None:
        if not self.interactive:
            line = f"[{event.done}/{event.total}] {event.outcome}: {shown(event.path)}"
            if event.reason:
                line += f": {event.reason}"
            print(line, file=self.stream, flush=True)
            return
        if event.outcome == ImportOutcome.FAILED:
            self._clear()
            print(f"failed: {shown(event.path)}: {event.reason}", file=self.stream)
        now = self.clock()
        if event.done < event.total and now - self._last_draw < REDRAW_SECONDS:
            return
        self._last_draw = now
        self._draw(event)

    def _draw(self, event: ImportProgress) -> None:
        width = shutil.get_terminal_size((80, 20)).columns
        fraction = event.done / event.total if event.total else 1.0
        bar_width = 24
        filled = int(bar_width * fraction)
        bar = "#" * filled + "-" * (bar_width - filled)
        eta = format_eta(event.elapsed, event.done, event.total)
        name = shown(event.path.name)
        text = f"[{bar}] {event.done}/{event.total} {fraction:4.0%} ETA {eta}  {name}"
        self.stream.write("\r" + text[: max(width - 1, 10)].ljust(max(width - 1, 10)))
        self.stream.flush()
        self._drawn = True

    def _clear(self) -> None:
        if self._drawn:
            width = shutil.get_terminal_size((80, 20)).columns
            self.stream.write("\r" + " " * max(width - 1, 10) + "\r")
            self._drawn = False

    def finish(self) -> None:
        if self.interactive and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def format_eta(elapsed: float, done: int, total: int) -> str:
    """Remaining time as M:SS (or H:MM:SS) from the pace so far; "--:--" before any file."""
    if done <= 0 or elapsed <= 0:
        return "--:--"
    remaining = round(elapsed / done * (total - done))
    hours, rest = divmod(remaining, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def summary_lines(summary: ImportSummary) -> list[str]:
    """The import summary as the CLI prints it."""
    parts = [f"{_plural(summary.imported, 'new book')} imported"]
    for count, text in (
        (summary.copies, "another copy of a known book"),
        (summary.moved, "moved or renamed"),
        (summary.updated, "changed since the last import"),
        (summary.unchanged, "unchanged"),
    ):
        if count:
            parts.append(f"{count} {text}")
    if summary.failures:
        parts.append(f"{len(summary.failures)} failed")
    lines = [", ".join(parts) + f" ({summary.elapsed:.1f} s)."]
    if summary.cancelled:
        lines.append("The import was stopped before the end; run it again to continue.")
    if summary.failures:
        lines.append(f"{_plural(len(summary.failures), 'file')} could not be imported:")
        lines.extend(f"  {shown(failure.path)}: {failure.reason}" for failure in summary.failures)
    if summary.collisions:
        lines.append(
            "Different files with the same KOReader document id (partial MD5); progress "
            "KOReader syncs for that id belongs to either book, so both are kept and shown:"
        )
        lines.extend(
            f"  {c.document}: {shown(c.path)} (book {c.book_id}) and {shown(c.other_path)} "
            f"(book {c.other_book_id})"
            for c in summary.collisions
        )
    return lines


def run_import(ctx: CliContext, args: argparse.Namespace) -> int:
    from bookorbit_desktop.library.importer.run import import_paths  # the readers, only here

    ctx.open_library()
    printer = ProgressPrinter(sys.stderr)
    try:
        summary = import_paths(args.paths, ctx.paths, progress=printer)
    finally:
        printer.finish()
    for line in summary_lines(summary):
        print(line)
    _adopt_earlier_progress()
    return 0 if summary.ok else 1


def _adopt_earlier_progress() -> None:
    """Give newly imported books the KOReader progress their documents were pushed with."""
    from bookorbit_desktop.library.reading.pushes import adopt_documents

    adopted = [result for result in adopt_documents() if result.moved]
    if adopted:
        print(f"Earlier KOReader progress linked to {_plural(len(adopted), 'book')}.")


# -- books / book ---------------------------------------------------------------------------


def _dump(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def run_books(ctx: CliContext, args: argparse.Namespace) -> int:
    ctx.open_library()
    books = list_books()
    if args.json:
        links = hardcover_links(book["id"] for book in books)
        _dump([{**book, "hardcover": links[book["id"]]} for book in books])
        return 0
    if not books:
        print("The library is empty. Add books with: bookorbit-desktop import PATH...")
        return 0
    print(f"{'ID':>5}  {'STATUS':<12} {'DONE':>4}  TITLE — AUTHORS [FORMATS]")
    for book in books:
        reading = book["reading"]
        authors = ", ".join(book["authors"]) or "unknown author"
        formats = ",".join(sorted({file["format"] for file in book["files"]}))
        print(
            f"{book['id']:>5}  {reading['status']:<12} {reading['progress']:>4.0%}  "
            f"{book['title']} — {authors} [{formats}]"
        )
    print(f"{_plural(len(books), 'book')}.")
    return 0


def run_book(ctx: CliContext, args: argparse.Namespace) -> int:
    ctx.open_library()
    if len(args.book_ids) != 1 or args.all_unread or args.where:
        return run_many(args, book_lines, _dump)
    book_id = args.book_ids[0]
    edits = edits_of(args)
    edited = any(value is not UNSET for value in edits.values())
    if edited:
        update_reading_state(book_id, **edits)
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
        ("Language", book["language"]),
        ("Publisher", book["publisher"]),
        ("Published", book["published"]),
        ("ISBN", " / ".join(v for v in (book["isbn13"], book["isbn10"]) if v)),
        ("Hardcover", book["hardcover_slug"] or book["hardcover_id"]),
    ]
    lines += [f"  {name + ':':<11}{value}" for name, value in fields if value]
    reading = book["reading"]
    lines.append(
        f"  {'Reading:':<11}{reading['status']}, {reading['progress']:.0%}"
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
