"""`progress show BOOK` and `progress reset BOOK [--device ID] [--yes]`: where each KOReader
device is in a book, and sending every device (or one) back to its start for a re-read; its
`history` and `restore` are `progress_history`'s."""

from __future__ import annotations

import argparse
import json
import time

from bookorbit_desktop.cli import progress_history
from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.progress_history import book_title as _title
from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.services.library import device_positions as service


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `progress` sub-commands to the parser."""
    progress = commands.add_parser(
        "progress", help="each device's position in a book: reset it, its history, restore"
    )
    sub = progress.add_subparsers(dest="progress_command", metavar="COMMAND", required=True)
    show = add_command(sub, "show", _show, reads=True)
    show.add_argument("book_id", type=int, help="the book's id (see `bookorbit-desktop books`)")
    show.add_argument("--json", action="store_true", help="print JSON")
    reset = add_command(sub, "reset", _reset)
    reset.add_argument("book_id", type=int, help="the book's id (see `bookorbit-desktop books`)")
    reset.add_argument("--device", metavar="ID", help="only this device (as `progress show` lists)")
    reset.add_argument("--yes", action="store_true", help="do not ask first")
    progress_history.register(sub)


def _show(ctx: CliContext, args: argparse.Namespace) -> int:
    """each KOReader device's last position in a book"""
    title = _title(args.book_id)
    rows = service.device_rows(args.book_id)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "device_id": row.key,
                        "device": row.device,
                        "percentage": row.percentage,
                        "position": row.where,
                        "timestamp": row.timestamp,
                        "reset_at": row.reset_at,
                    }
                    for row in rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    if not rows:
        print(f"No device has synced “{title}” yet.")
        return 0
    print(f"Book {args.book_id}: {title}")
    for row in rows:
        when = _when(row.reset_at if row.reset_at is not None else row.timestamp)
        what = "reset to the start" if row.reset_at is not None else "last sync"
        print(
            f"  {row.device} [{row.key}]: {row.percentage * 100:.1f} %, {row.where} ({what} {when})"
        )
    return 0


def _reset(ctx: CliContext, args: argparse.Namespace) -> int:
    """send every device (or one) back to the start of a book

    Each device is offered the start (0 %) on its next sync: KOReader asks "Sync to latest
    location 0% from device 'BookOrbit Desktop'?" (or jumps without asking, as its "Sync to a
    newer state" setting says; with Never, not until you pull by hand). A pull does not say
    which device asks, so a device reading the same copy of the book as the one named goes
    back too (the question and the answer name it). The book's status and dates stay, and
    nothing is sent to Hardcover. Exit status 0 when reset, 1 when nothing was reset (not
    confirmed, or no device synced the book), 2 for a wrong book or device."""
    title = _title(args.book_id)
    rows = service.device_rows(args.book_id)
    if args.device is not None and args.device not in {row.key for row in rows}:
        raise NotFoundError(
            f"No device synced book {args.book_id} as “{args.device}”. List its devices with "
            f"`bookorbit-desktop progress show {args.book_id}`."
        )
    if not rows:
        print(f"Nothing was reset: no device has synced “{title}”.")
        return 1
    who = "every device" if args.device is None else f"device {args.device}"
    also = _also(service.reset_reach(args.book_id, args.device), args.device)
    question = f"Send {who} back to the start of “{title}”?{also}"
    if not args.yes and not _confirmed(question):
        print("Nothing was reset.")
        return 1
    result = service.reset(args.book_id, args.device)
    done = {row.key: row for row in service.device_rows(args.book_id)}
    also = _also([done[key] for key in result.devices if key in done], args.device)
    print(
        f"Reset “{title}” for {who}: the next sync offers the start.{also} "
        "Its status, dates and Hardcover stay as they are."
    )
    return 0


def _also(reached: list[service.DeviceRow], device: str | None) -> str:
    """The sentence naming the devices a one-device reset sends back besides `device`."""
    others = [f"{row.device} [{row.key}]" for row in reached if row.key != device]
    if device is None or not others:
        return ""
    names = ", ".join(others)
    one = len(others) == 1
    return (
        f" {names} {'reads' if one else 'read'} the same copy of the book, and a sync does not"
        f" say which device asks, so {'it is' if one else 'they are'} offered the start too."
    )


def _confirmed(question: str) -> bool:
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().casefold() in ("y", "yes")


def _when(timestamp: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))
