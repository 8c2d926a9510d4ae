"""`bookorbit-desktop hardcover pull|conflicts|resolve`: what comes back from hardcover.app.

`pull` reads what changed on Hardcover (everything with `--full`) and brings it into the
library; every sync pass does the same first. A field changed both here and on Hardcover
since the last sync is a conflict: nothing is sent for it until `resolve BOOK --field F
--keep local|hardcover` settles it. A value from Hardcover the library would not accept from
the user either is left out, one line each.
"""

from __future__ import annotations

import argparse
import asyncio
import json

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.hardcover.token import account_for
from bookorbit_desktop.services.hardcover import pulled


def register_pull_commands(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pull = add_command(actions, "pull", _pull)
    pull.add_argument("--full", action="store_true", help="read every entry, not only changes")
    pull.add_argument("--json", action="store_true", help="machine-readable output")
    conflicts = add_command(actions, "conflicts", _conflicts, reads=True)
    conflicts.add_argument("--json", action="store_true", help="machine-readable output")
    resolve = add_command(actions, "resolve", _resolve)
    resolve.add_argument("book", type=int, metavar="BOOK", help="the library book's id")
    resolve.add_argument(
        "--field",
        required=True,
        choices=sorted(pulled.picks.FIELD_NAMES.values()),
        help="the field in conflict",
    )
    resolve.add_argument(
        "--keep",
        required=True,
        choices=(pulled.KEEP_LOCAL, pulled.KEEP_HARDCOVER),
        help="whose value stays",
    )


def _pull(ctx: CliContext, args: argparse.Namespace) -> int:
    """bring what changed on hardcover.app into the library"""
    result = asyncio.run(pulled.pull_now(account_for(args), full=args.full))
    if args.json:
        print(json.dumps(result.to_json(), indent=2, sort_keys=True))
    else:
        kind = "Full pull" if result.full else "Pull"
        print(
            f"{kind}: {result.entries} entries and {result.lists} lists read, "
            f"{result.reads} reads added, changed or deleted there, in {result.requests} "
            f"requests; {len(result.followed)} values taken from Hardcover, "
            f"{len(result.conflicts)} new conflicts."
        )
        if result.conflicts:
            print("See them with: bookorbit-desktop hardcover conflicts")
        if result.left_out:
            print(
                f"{len(result.left_out)} values from Hardcover were left out (the library "
                "keeps its own for them):"
            )
            for line in result.left_out:
                print(f"  {line}")
    if result.error:
        print(f"The pull stopped early: {result.error}. Nothing read so far is lost.")
        return 1
    return 0


def _conflicts(ctx: CliContext, args: argparse.Namespace) -> int:
    """fields changed both here and on Hardcover, waiting for your pick"""
    if args.json:
        print(json.dumps(pulled.conflict_rows(), indent=2, sort_keys=True))
        return 0
    rows = pulled.all_conflicts()
    if not rows:
        print("No conflicts: every change reached the other side or came from it.")
        return 0
    print(f"{'BOOK':>6}  {'FIELD':9}  {'HERE':14}  HARDCOVER")
    for row in rows:
        print(f"{row.book_id:>6}  {row.field:9}  {row.local:14}  {row.hardcover}")
    print("Pick with: bookorbit-desktop hardcover resolve BOOK --field F --keep local|hardcover")
    return 0


def _resolve(ctx: CliContext, args: argparse.Namespace) -> int:
    """settle a conflict: keep the library's value or Hardcover's"""
    done = pulled.resolve(args.book, args.field, args.keep)
    where = "the library's" if done["kept"] == pulled.KEEP_LOCAL else "Hardcover's"
    then = " It goes to Hardcover with the next sync." if done["kept"] == "local" else ""
    print(f"Book {done['book_id']}: kept {where} {done['field']}.{then}")
    return 0
