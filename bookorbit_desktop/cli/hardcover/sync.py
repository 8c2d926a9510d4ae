"""`hardcover sync|settings|log`: push reading state to Hardcover, its settings and its log."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import shutil
import signal
import sys
from typing import Any, TextIO

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.hardcover.token import account_for
from bookorbit_desktop.hardcover.sync.results import (
    NEEDS_REVIEW,
    SyncProgress,
    counted_outcomes,
    outcome_label,
)
from bookorbit_desktop.hardcover.sync.settings import PRIVACY_CHOICES, SyncSettings
from bookorbit_desktop.services.hardcover.sync import SyncReport, SyncService
from bookorbit_desktop.services.library.titles import read_titles


def _on_off(value: str) -> bool:
    if value.lower() in ("on", "yes", "true", "1"):
        return True
    if value.lower() in ("off", "no", "false", "0"):
        return False
    raise argparse.ArgumentTypeError("use on or off")


def register_sync_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = add_command(commands, "sync", _sync)
    sync.add_argument(
        "--dry-run", action="store_true", help="show what would be sent; send nothing"
    )
    sync.add_argument("--json", action="store_true", help="machine-readable output")
    sync.add_argument(
        "--book", type=int, action="append", metavar="ID", help="only this book (repeatable)"
    )
    sync.add_argument(
        "--accept-history-dates",
        action="store_true",
        help="approve the read dates found in KOReader's reading history (list them first "
        "with --dry-run) and send them; without it they are only proposed",
    )
    sync.add_argument(
        "--allow-rewind",
        action="store_true",
        help="send the library's position even where Hardcover is further ahead (with --book)",
    )

    settings = add_command(commands, "settings", _settings)
    state = settings.add_mutually_exclusive_group()
    state.add_argument("--enable", action="store_true", help="sync by itself (the default)")
    state.add_argument("--pause", action="store_true", help="stop syncing; keep the token")
    settings.add_argument("--privacy", choices=PRIVACY_CHOICES, help="privacy of new entries")
    settings.add_argument(
        "--privacy-for-all",
        type=_on_off,
        metavar="on|off",
        help="also apply the privacy to entries that were already on Hardcover",
    )
    for name, what in (
        ("status", "status changes"),
        ("progress", "reading progress"),
        ("rating", "ratings"),
    ):
        settings.add_argument(
            f"--on-{name}", type=_on_off, metavar="on|off", help=f"push {what} by themselves"
        )
    settings.add_argument("--json", action="store_true", help="machine-readable output")

    held = add_command(commands, "held", _held, reads=lambda a: not a.discard)
    held.add_argument(
        "--discard",
        action="store_true",
        help="take Hardcover's status, rating and dates back for them (one step `undo` takes "
        "back; books not on Hardcover are excluded from the sync instead, and `hardcover "
        "include` syncs them again); `hardcover sync` sends them",
    )
    held.add_argument("--json", action="store_true", help="machine-readable output")

    log = add_command(commands, "log", _log, reads=True)
    log.add_argument("--limit", type=int, default=50, help="how many entries (default 50)")
    log.add_argument("--book", type=int, metavar="ID", help="only this book")
    log.add_argument("--json", action="store_true", help="machine-readable output")


# -- sync --------------------------------------------------------------------------------


class SyncPrinter:
    """A one-line progress bar (done/total, title, ETA from the rate budget) on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self._drawn = False

    def __call__(self, event: SyncProgress) -> None:
        if not self.interactive or event.total == 0:
            return
        width = max(20, shutil.get_terminal_size((80, 20)).columns - 1)
        if event.waiting_seconds > 1:
            eta = f"waiting {event.waiting_seconds:.0f} s for Hardcover's rate limit"
        elif event.eta_seconds is not None:
            eta = f"ETA {_duration(event.eta_seconds)}"
        else:
            eta = ""
        text = f"[{event.done}/{event.total}] {eta}  {event.title or ''}"
        self.stream.write("\r" + text[:width].ljust(width))
        self.stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"


def _sync(ctx: CliContext, args: argparse.Namespace) -> int:
    """push reading status, progress, dates and ratings to Hardcover now

    Match what is not matched yet, then push every book whose reading state differs from
    what Hardcover last confirmed. Ctrl-C stops between books."""
    if args.allow_rewind and not args.book:
        print("--allow-rewind applies to the books given with --book.", file=sys.stderr)
        return 2
    if args.accept_history_dates and args.dry_run:
        print("--accept-history-dates sends dates; leave out --dry-run.", file=sys.stderr)
        return 2
    printer = SyncPrinter(sys.stderr)
    report = asyncio.run(_run_sync(args, printer))
    printer.finish()
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report))
    return 1 if report.failed else 0


async def _run_sync(args: argparse.Namespace, printer: SyncPrinter) -> SyncReport:
    cancel = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGINT, cancel.set)  # stop between books
    return await SyncService(account_for(args)).sync(
        args.book,
        dry_run=args.dry_run,
        allow_rewind=args.allow_rewind,
        accept_history_dates=args.accept_history_dates,
        progress=printer,
        cancel=cancel,
        waiting=lambda text: print(text, file=sys.stderr, flush=True),
    )


def format_report(report: SyncReport) -> str:
    lines = []
    for book in report.books:
        word = outcome_label(book.outcome).lower()
        if book.outcome == NEEDS_REVIEW:
            word += f" (hardcover candidates {book.book_id})"
        line = f"{book.book_id:>6}  {book.title} — {word}"
        if book.error:
            line += f": {book.error}"
        lines.append(line)
        for action in book.actions:
            lines.append(f"          {' · '.join(action['changes'])}")
        lines.extend(f"          ({note})" for note in book.notes)
        lines.extend(f"          proposed: {date.text}" for date in book.proposals)
    if not report.books and not report.stopped:
        lines.append("No books to sync: mark a book as reading, read or want to read first.")
    counts = counted_outcomes(report.counts).replace(" · ", ", ")
    if counts:
        lines.append(("Dry run, nothing was sent: " if report.dry_run else "") + counts + ".")
    if report.dates_from_history:
        lines.append(
            f"{report.dates_from_history} of these books have read dates from your reading "
            "history that are not sent until you approve them: run hardcover sync "
            "--accept-history-dates, or review them in the window's Sync Now."
        )
    if report.stopped:
        lines.append(f"Stopped: {report.stopped}")
    return "\n".join(lines)


# -- settings and log --------------------------------------------------------------------


def _settings(ctx: CliContext, args: argparse.Namespace) -> int:
    """show or change the sync settings"""
    service = SyncService()
    changes: dict[str, Any] = {}
    if args.enable or args.pause:
        changes["enabled"] = bool(args.enable)
    for key in ("privacy", "privacy_for_all", "on_status", "on_progress", "on_rating"):
        value = getattr(args, key)
        if value is not None:
            changes[key] = value
    current = service.save_settings(**changes) if changes else service.settings()
    if args.json:
        print(json.dumps(current.to_json(), indent=2))
    else:
        print(format_settings(current))
    return 0


def format_settings(current: SyncSettings) -> str:
    def word(value: bool) -> str:
        return "on" if value else "off"

    privacy = "the account's own" if current.privacy == "account" else current.privacy
    return "\n".join(
        [
            f"Sync: {'on' if current.enabled else 'paused'}",
            f"Push status changes by themselves: {word(current.on_status)}",
            f"Push reading progress by itself: {word(current.on_progress)}",
            f"Push ratings by themselves: {word(current.on_rating)}",
            f"Privacy of new entries: {privacy}",
            f"Apply privacy to entries already on Hardcover: {word(current.privacy_for_all)}",
        ]
    )


def _held(ctx: CliContext, args: argparse.Namespace) -> int:
    """the books a cancelled sync holds back, and Discard

    A review or a sync you cancelled holds the books it showed: nothing sends them by itself
    until you send them (`hardcover sync`) or discard their changes (`--discard`)."""
    service = SyncService(account_for(args))
    held = service.held()
    titles = read_titles(held)
    if args.discard:
        text = service.discard_held().text
        print(json.dumps({"discarded": held, "text": text}) if args.json else text)
        return 0
    if args.json:
        print(json.dumps([{"book_id": b, "title": titles.get(b, "")} for b in held]))
        return 0
    if not held:
        print("Nothing is held.")
    for book_id in held:
        print(f"{book_id:>6}  {titles.get(book_id, '')}")
    return 0


def _log(ctx: CliContext, args: argparse.Namespace) -> int:
    """what each sync sent, and how it went"""
    entries = SyncService().log(limit=args.limit, book_id=args.book)
    if args.json:
        print(json.dumps(entries, indent=2, ensure_ascii=False))
        return 0
    if not entries:
        print("Nothing was synced yet.")
    for entry in entries:
        when = dt.datetime.fromtimestamp(entry["at"]).astimezone().strftime("%Y-%m-%d %H:%M")
        line = f"{when}  {entry['title'] or '(whole pass)'} — {entry['outcome']}"
        if entry["error"]:
            line += f": {entry['error']}"
        print(line)
        for action in entry["actions"]:
            print(f"                    {' · '.join(action.get('changes', []))}")
    return 0
