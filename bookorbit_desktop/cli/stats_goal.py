"""`stats goal [--json] [--offline]`, `stats goal set COUNT [--pages] [--from DATE]
[--to DATE] [--goal ID] [--description TEXT]` and `stats goal delete ID`: the reading goals,
kept with Hardcover's."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.errors import BookOrbitError, InvalidValueError


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    goal = add_command(actions, "goal", show)
    goal.add_argument("--json", action="store_true", help="print JSON")
    goal.add_argument(
        "--offline", action="store_true", help="do not read the goals on Hardcover first"
    )
    goal_actions = goal.add_subparsers(dest="goal_command", metavar="ACTION")
    change = add_command(goal_actions, "set", set_goal)
    change.add_argument("count", type=_count, metavar="COUNT", help="books (or pages) to read")
    change.add_argument("--pages", action="store_true", help="count pages, not books")
    change.add_argument("--from", dest="start", type=_date, metavar="DATE", help="first day")
    change.add_argument("--to", dest="end", type=_date, metavar="DATE", help="last day")
    change.add_argument("--goal", type=int, metavar="ID", help="change this goal")
    change.add_argument("--description", default="", help="what the goal is called")
    change.add_argument(
        "--offline", action="store_true", help="keep it in the library only, not on Hardcover"
    )
    gone = add_command(goal_actions, "delete", delete_goal)
    gone.add_argument("goal", type=int, metavar="ID")
    gone.add_argument(
        "--offline", action="store_true", help="delete it here only (it stays on Hardcover)"
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-31") from error


def _count(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of books or pages")
    return int(text)


def show(ctx: CliContext, args: argparse.Namespace) -> int:
    """your reading goals: how far along, ahead or behind, and the books that count

    Reads finished between a goal's dates count, each once (a re-read again); reads with no
    finish date are listed apart. With Hardcover connected, its goals are read first (goals
    deleted or archived there go here too), unless --offline."""
    from bookorbit_desktop.cli.hardcover.token import account_for
    from bookorbit_desktop.services.goals.service import goal_views, pull

    note = None
    if not args.offline:
        try:
            pulled = asyncio.run(pull(account_for(args)))
        except BookOrbitError as error:  # the library's goals are shown all the same
            print(f"Goals not read from Hardcover: {error.message}", file=sys.stderr)
            pulled = None
        note = pulled.describe() if pulled is not None else None
    views = goal_views()
    if args.json:
        print(json.dumps([view.to_json() for view in views], indent=2, ensure_ascii=False))
        return 0
    if note:
        print(f"Read {note}.")
    if not views:
        print("No reading goal yet. Set one with: stats goal set 24")
        return 0
    for view in views:
        name = f" “{view.progress.goal.description}”" if view.progress.goal.description else ""
        print(f"Goal {view.stored.id}{name}: {view.headline}")
        print(f"  {view.text}")
        if view.stored.hardcover_progress is not None:
            print(f"  Hardcover counts {view.stored.hardcover_progress:g}.")
        for line in view.books:
            print(f"  {line}")
        if view.no_date:
            print(f"  Finished, no date (not counted): {', '.join(view.no_date)}")
    return 0


def set_goal(ctx: CliContext, args: argparse.Namespace) -> int:
    """set a reading goal, or change one (--goal ID); this calendar year unless given dates

    With Hardcover connected the goal is sent there too (the token needs write:goals). A goal
    changed on hardcover.app since it was last read is not overwritten: Hardcover's values are
    kept and shown, and nothing is sent."""
    from bookorbit_desktop.cli.hardcover.token import account_for
    from bookorbit_desktop.library.goals.store import get_goal
    from bookorbit_desktop.services.goals.service import Goal, send

    today = dt.date.today()
    before = get_goal(args.goal).goal if args.goal is not None else None
    start = args.start or (before.start if before else today.replace(month=1, day=1))
    end = args.end or (before.end if before else today.replace(month=12, day=31))
    if end < start:
        raise InvalidValueError(f"The goal ends ({end}) before it starts ({start}).")
    metric = "pages" if args.pages else "books"
    description = args.description or (before.description if before else "")
    goal = Goal(args.count, metric, start, end, description)
    account = None if args.offline else account_for(args)
    print(asyncio.run(send(account, goal, args.goal)))
    return 0


def delete_goal(ctx: CliContext, args: argparse.Namespace) -> int:
    """delete a reading goal, here and (kept with Hardcover's) on Hardcover"""
    from bookorbit_desktop.cli.hardcover.token import account_for
    from bookorbit_desktop.services.goals.service import delete

    account = None if args.offline else account_for(args)
    print(asyncio.run(delete(account, args.goal)))
    return 0
