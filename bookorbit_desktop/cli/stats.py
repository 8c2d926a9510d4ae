"""`stats [--json] [--book ID] [--since DATE]` and `stats import FILE`: the reading history
KOReader recorded (seconds, pages and sessions per book and per day); `stats year YEAR`: the
year in review (`stats_year`); `stats goal`: the reading goals (`stats_goal`)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from bookorbit_desktop.cli import stats_goal, stats_year
from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.errors import InvalidValueError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's sub-commands to the parser."""
    stats = add_command(commands, "stats", _stats, reads=True)
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.add_argument("--book", type=int, metavar="ID", help="only this library book")
    stats.add_argument("--since", type=_date, metavar="DATE", help="from this date (YYYY-MM-DD)")
    actions = stats.add_subparsers(dest="stats_command", metavar="ACTION")
    add_command(actions, "import", _import, library=False).add_argument(
        "file", type=Path, metavar="FILE"
    )
    year = add_command(actions, "year", stats_year.year, reads=True)
    year.add_argument("year", type=int, metavar="YEAR")
    year.add_argument("--json", action="store_true", help="print JSON")
    stats_goal.register(actions)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-01-31") from error


def _import(ctx: CliContext, args: argparse.Namespace) -> int:
    """merge a statistics.sqlite3 copied from a reader

    Merge KOReader's statistics.sqlite3 (koreader/settings/ on the reader) into the library.
    Importing the same file again, or files from several readers, never counts a page twice;
    nothing already imported is removed."""
    from bookorbit_desktop.services.statistics.service import import_file

    if not args.file.is_file():
        raise InvalidValueError(
            f"There is no file {args.file}. Give the path of statistics.sqlite3."
        )
    ctx.open_library()
    summary = import_file(args.file)
    print(f"Imported {args.file}: {summary.describe()}.")
    return 0


def _stats(ctx: CliContext, args: argparse.Namespace) -> int:
    """reading time and pages per book and per day, from KOReader's statistics

    Show the reading history KOReader recorded (sent to the WebDAV folder, or imported with
    `stats import`). Per book: seconds, distinct pages, sessions, first and last reading; per
    day: seconds and pages. With --since, only the days from DATE and the books read since then
    (their totals stay whole)."""
    from bookorbit_desktop.library.history.queries import statistics

    found = statistics(args.book, args.since)
    if args.json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
        return 0
    if not found["books"]:
        print("No reading statistics yet. Point KOReader's Reading statistics → Cloud sync at")
        print("this computer's WebDAV folder, or run `bookorbit-desktop stats import FILE`.")
        return 0
    total = sum(day["read_seconds"] for day in found["days"])
    books, days = counted(len(found["books"]), "book"), counted(len(found["days"]), "day")
    print(f"{books}, {_hours(total)} on {days}")
    for book in found["books"]:
        linked = f"book {book['book_id']}" if book["book_id"] is not None else "not linked"
        print(
            f"  {_hours(book['read_seconds']):>8}  {counted(book['pages_read'], 'page'):>11}  "
            f"{counted(book['sessions'], 'session'):>13}  {book['title']} ({linked})"
        )
    return 0


def _hours(seconds: int) -> str:
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}"
