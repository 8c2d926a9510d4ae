"""`bookorbit-desktop hardcover journal ...`: highlights as quotes in Hardcover's reading journal.

Off until the user opts books in (`on BOOK_ID...`, or `on` for every linked book); private by
default. `preview` shows what a send would add or update; the first `send` needs `--yes`
after that review. Nothing is ever deleted on Hardcover. One process sends at a time: while
the app or `serve` is sending, `send` says so and sends nothing. `status` lists the entries
Hardcover refused and those waiting for a check; `send` exits 1 while any are left.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.hardcover.token import account_for
from bookorbit_desktop.errors import InvalidValueError

if TYPE_CHECKING:
    from bookorbit_desktop.services.journal import PreviewRow


def register_journal_commands(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    journal = add_command(
        actions,
        "journal",
        run_journal,
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    journal.add_argument(
        "action",
        nargs="?",
        default="status",
        choices=("status", "on", "off", "privacy", "preview", "send"),
    )
    journal.add_argument("values", nargs="*", metavar="BOOK_ID | PRIVACY")
    journal.add_argument("--yes", action="store_true", help="confirm the first batch")


def run_journal(ctx: CliContext, args: argparse.Namespace) -> int:
    """send highlights to Hardcover's reading journal as quotes (opt-in)"""
    from bookorbit_desktop.services import journal

    if args.action in ("on", "off"):
        ids = [_book_id(value) for value in args.values]
        if ids:
            chosen = journal.choose(ids, on=args.action == "on")
            print(f"Highlights go to the journal for books: {_ids(chosen)}.")
        else:
            journal.choose_all(args.action == "on")
            print(f"Every linked book's highlights: {args.action}.")
        return 0
    if args.action == "privacy":
        if len(args.values) != 1:
            raise InvalidValueError("Usage: hardcover journal privacy public|followers|private")
        journal.set_privacy(args.values[0])
        print(f"Journal entries are now {args.values[0]}.")
        return 0
    if args.action == "preview":
        return _preview(journal.preview())
    if args.action == "send":
        from bookorbit_desktop.hardcover.journal.send import ReviewNeededError

        try:
            report = asyncio.run(journal.send_now(account_for(args), reviewed=args.yes))
        except ReviewNeededError:
            print("The first batch waits for your review:")
            _preview(journal.preview())
            return 1
        print(
            f"Journal: {report.inserted} added, {report.updated} updated, {report.unchanged} "
            f"unchanged, {report.adopted} found already there."
        )
        if report.waiting:
            print(
                f"{report.waiting} journal entries may have reached Hardcover without an answer. "
                "They stay queued and are not sent again until the journal can be read back to "
                "check them; run `hardcover journal send` again later"
                + (
                    f" with a token that has read:journal ({_token_url()})."
                    if report.read_denied
                    else "."
                )
            )
        if report.lease_lost:
            print("Another BookOrbit process took over sending; it sends the rest.")
        for failure in report.failed:
            print(f"Refused by Hardcover: {failure}")
        return 1 if report.failed or report.waiting or report.lease_lost else 0
    every, ids = journal.chosen_books()
    privacy = {1: "public", 2: "followers", 3: "private"}[journal.privacy()]
    which = "every linked book" if every else (f"books {_ids(ids)}" if ids else "no book (off)")
    print(f"Highlights as journal quotes: {which}; entries are {privacy}.")
    failing = journal.states()
    if failing:
        refused = [s for s in failing if s.refused]
        print(
            f"Not in the journal yet: {len(refused)} refused by Hardcover, "
            f"{len(failing) - len(refused)} waiting for a check."
        )
        for state in failing:
            print(f"  {state.kind} ({state.book_title}): {state.text}")
            print(f"    {state.refused or state.waiting}")
    return 0


def _preview(rows: list[PreviewRow]) -> int:
    if not rows:
        print("Nothing to send: no new or edited highlights in the chosen, linked books.")
        return 0
    for row in rows:
        page = f", p. {row.page}" if row.page else ""
        print(f"{row.action} {row.kind} ({row.book_title}{page}): {row.text}")
    print(f"{len(rows)} journal entries. Send them with `hardcover journal send --yes`.")
    return 0


def _book_id(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidValueError(f"A book id is a number, not {value!r}.") from None


def _ids(ids: list[int]) -> str:
    return ", ".join(map(str, ids)) or "none"


def _token_url() -> str:
    from bookorbit_desktop.hardcover.api.errors import TOKEN_PAGE_URL

    return TOKEN_PAGE_URL
