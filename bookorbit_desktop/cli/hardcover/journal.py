"""`bookorbit-desktop hardcover journal ...`: highlights as quotes in Hardcover's reading journal.

Off until the user opts books in (`on BOOK_ID...`, or `on` for every linked book); private by
default. `preview` shows what a send would add or update; the first `send` needs `--yes`
after that review. Nothing is ever deleted on Hardcover. One process sends at a time: while
the app or `serve` is sending, `send` says so and sends nothing. `status` lists the entries not
in the journal as they should be yet (refused by Hardcover, waiting for a check, updates
waiting, ...) with when each goes next; `send` exits 1 while any are left.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import time
from typing import TYPE_CHECKING

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.hardcover.token import account_for
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.journal.backlog import REFUSED_BY_HARDCOVER

if TYPE_CHECKING:
    from bookorbit_desktop.hardcover.journal.send import Failure, JournalReport
    from bookorbit_desktop.services.hardcover.journal import EntryState, PreviewRow

SHORT = 60  # characters of a highlight shown on one line


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
    from bookorbit_desktop.services.hardcover import journal

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
        return _report(report)
    return _status()


def _report(report: JournalReport) -> int:
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
    for failure in report.failed:
        print(_failure(failure))
    if report.lease_lost:
        print("Another BookOrbit process took over sending; it sends the rest.")
    if report.slow_down_until is not None:
        print(
            f"Hardcover asked to slow down; {report.left} journal entries wait; next try "
            f"after {_when(report.slow_down_until)}."
        )
    elif report.left:
        print(
            f"{report.left} journal entries are not in the journal yet; "
            "`hardcover journal status` says why."
        )
    return 1 if report.left or report.lease_lost else 0


def _failure(failure: Failure) -> str:
    from bookorbit_desktop.services.hardcover.journal import book_title

    entry = failure.entry
    done = "added" if failure.action == "add" else "updated"
    what = f"{entry.kind} not {done} ({book_title(entry)}): {_short(entry.text)}"
    if failure.refused:
        return f"Refused by Hardcover: {failure.reason} — {what}"
    return f"{failure.reason} It goes again after a wait — {what}"


def _status() -> int:
    from bookorbit_desktop.services.hardcover import journal

    every, ids = journal.chosen_books()
    privacy = {1: "public", 2: "followers", 3: "private"}[journal.privacy()]
    which = "every linked book" if every else (f"books {_ids(ids)}" if ids else "no book (off)")
    print(f"Highlights as journal quotes: {which}; entries are {privacy}.")
    left = journal.states()
    if left:
        counts: dict[str, int] = {}
        for state in left:
            counts[state.state] = counts.get(state.state, 0) + 1
        print("Not in the journal yet: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + ".")
        for state in left:
            print(f"  {state.kind} ({state.book_title}): {_short(state.text)}")
            print(f"    {_state_line(state)}")
            print(f"    Next try: {_next(state.next_attempt_at)}.")
    new = journal.new_entries()
    if new:
        print(f"{new} new journal entries not sent yet; `hardcover journal preview` lists them.")
    return 0


def _state_line(state: EntryState) -> str:
    """What the entry waits for; Hardcover's refusal as it is ("Refused by Hardcover: ...")."""
    reason = state.refused or state.waiting
    if state.refused and state.state == REFUSED_BY_HARDCOVER:
        return state.refused
    label = state.state[0].upper() + state.state[1:]
    return f"{label}: {reason}" if reason else f"{label}."


def _next(at: float | None) -> str:
    if at is None or at <= time.time():
        return "with the next send"
    return f"after {_when(at)}"


def _when(at: float) -> str:
    """A local time, with the date unless it is today."""
    moment = dt.datetime.fromtimestamp(at)
    if moment.date() == dt.date.today():
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SHORT else line[: SHORT - 1] + "…"


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
