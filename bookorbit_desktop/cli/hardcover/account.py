"""`bookorbit-desktop hardcover connect|disconnect|expires|status|search` (+ the matching
commands).

The token is read from standard input (or typed without echo), never from the command line,
where other users could see it in the process list.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import getpass
import json
import sys
from typing import Any

from bookorbit_desktop import APP_NAME
from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.hardcover.journal import register_journal_commands
from bookorbit_desktop.cli.hardcover.match import register_match_commands
from bookorbit_desktop.cli.hardcover.pull import register_pull_commands
from bookorbit_desktop.cli.hardcover.shelves import register_shelf_commands
from bookorbit_desktop.cli.hardcover.sync import register_sync_commands
from bookorbit_desktop.cli.hardcover.token import (
    account_for,
    add_token_option,
    add_token_option_to_actions,
)
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.api.errors import (
    TOKEN_PAGE_URL,
    AuthError,
    HardcoverError,
    NetworkError,
    RateLimitedError,
    UnavailableError,
)
from bookorbit_desktop.hardcover.api.records import SearchResult
from bookorbit_desktop.library.metadata.bylines import author_line
from bookorbit_desktop.services.hardcover import pulled, token_health
from bookorbit_desktop.services.hardcover.account import AccountStatus, HardcoverAccount
from bookorbit_desktop.services.hardcover.sync import SyncService, SyncStatus, Waits, waits_parts


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's sub-commands to the parser."""
    hardcover = commands.add_parser("hardcover", help="your Hardcover account and book links")
    hardcover.set_defaults(handler=lambda ctx, args: _help(hardcover))
    add_token_option(hardcover)
    sub = hardcover.add_subparsers(dest="hardcover_command", metavar="ACTION")

    connect = add_command(
        sub,
        "connect",
        _connect,
        description=f"Create a token at {TOKEN_PAGE_URL} and pass it on standard input.",
    )
    connect.add_argument(
        "--token-stdin", action="store_true", help="read the token from standard input"
    )
    connect.add_argument(
        "--no-validate", action="store_true", help="save without checking it with Hardcover"
    )
    connect.add_argument(
        "--expires",
        metavar="YYYY-MM-DD",
        help="the expiry you chose for a personal access token (warned a week before)",
    )
    add_command(sub, "disconnect", _disconnect)
    expires = add_command(sub, "expires", _expires)
    expires.add_argument(
        "date",
        nargs="?",
        metavar="YYYY-MM-DD",
        help="the saved token's expiry (warned a week before)",
    )
    expires.add_argument("--clear", action="store_true", help="forget the expiry entered")
    add_command(sub, "status", _status).add_argument(
        "--json", action="store_true", help="machine-readable output"
    )
    search = add_command(sub, "search", _search)
    search.add_argument("query", nargs="+", metavar="QUERY", help="title, author or ISBN")
    search.add_argument("--limit", type=int, default=10, help="results to show (1-25)")
    search.add_argument("--json", action="store_true", help="machine-readable output")

    register_match_commands(sub)
    register_sync_commands(sub)
    register_journal_commands(sub)
    register_pull_commands(sub)
    register_shelf_commands(sub)
    add_token_option_to_actions(sub)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def _read_token(args: argparse.Namespace) -> str:
    if args.token_stdin:
        return sys.stdin.read()
    if sys.stdin.isatty():
        print(f"Create a token at {TOKEN_PAGE_URL}", file=sys.stderr)
        return getpass.getpass("Hardcover token (not shown): ")
    raise InvalidValueError(
        "Pass the token on standard input with --token-stdin, for example: "
        "bookorbit-desktop hardcover connect --token-stdin < token.txt"
    )


def _connect(ctx: CliContext, args: argparse.Namespace) -> int:
    """save a Hardcover API token in the system keyring"""
    if getattr(args, "token_file", None) is not None:
        raise InvalidValueError(
            "--token-file gives a token for one run and is never saved. To save a token, run: "
            "bookorbit-desktop hardcover connect --token-stdin < FILE"
        )
    account = HardcoverAccount(supplied=None)  # connect saves the token it is given
    raw = _read_token(args)
    user = asyncio.run(account.connect(raw, validate=not args.no_validate, expires=args.expires))
    if user is None:
        print("Token saved without checking it with Hardcover.")
    else:
        print(f"Connected to Hardcover as {user.username}.")
    warning = account.store.insecure_warning()
    if warning:
        print(f"Warning: {warning}", file=sys.stderr)
    return 0


def _disconnect(ctx: CliContext, args: argparse.Namespace) -> int:
    """forget the saved token"""
    if asyncio.run(HardcoverAccount(supplied=None).disconnect()):
        print("Disconnected from Hardcover; the token was removed from the keyring.")
    else:
        print("No Hardcover token was saved.")
    return 0


def _expires(ctx: CliContext, args: argparse.Namespace) -> int:
    """enter, change or clear the saved token's expiry (a personal token's is not readable)"""
    if bool(args.date) == args.clear:
        raise InvalidValueError("Give the expiry as YYYY-MM-DD, or --clear to forget it.")
    account = HardcoverAccount(supplied=None)  # the saved token's expiry
    if not asyncio.run(account.check_keyring()).has_token:
        raise InvalidValueError(
            "No Hardcover token is saved. Connect first: bookorbit-desktop hardcover connect "
            "--token-stdin --expires YYYY-MM-DD"
        )
    health = token_health.set_expiry(args.date)
    if args.clear:
        print("Token expiry cleared: no warning before it stops working.")
    else:
        print(f"Token expires on {health.expiry_text()}: you are warned from a week before.")
    return 0


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return "never"
    return dt.datetime.fromtimestamp(timestamp).astimezone().strftime("%Y-%m-%d %H:%M")


def _status(ctx: CliContext, args: argparse.Namespace) -> int:
    """account, sync and rate-limit state"""
    account = account_for(args)
    asyncio.run(account.check_keyring())
    problem = asyncio.run(_token_problem(account)) if account.status().connected else None
    status = account.status()
    sync = SyncService(account).status()
    if args.json:
        report = {**status.to_json(), "sync": sync.to_json(), "token_problem": problem}
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(_format_status(status, sync, problem))
    if problem is not None:
        print(f"{APP_NAME}: {problem}", file=sys.stderr)
        return 2
    return 0


async def _token_problem(account: HardcoverAccount) -> str | None:
    """Ask Hardcover who the saved token belongs to: None when it answers, else why not
    (the token refused, or Hardcover unreachable), in words a person can act on."""
    try:
        async with account.open_client() as client:
            await client.me()
    except AuthError as error:
        return f"Hardcover refuses the token: {error.message}"
    except (NetworkError, UnavailableError, RateLimitedError) as error:
        return f"Hardcover is unreachable: {error.message}"
    except HardcoverError as error:
        return f"{error.title}: {error.message}"
    return None


def _format_status(status: AccountStatus, sync: SyncStatus, problem: str | None = None) -> str:
    if status.connected and problem is not None:
        lines = [f"Hardcover: not working ({problem})"]
    elif status.connected:
        who = status.username or "(token not checked yet)"
        lines = [f"Hardcover: connected as {who}"]
    else:
        lines = ["Hardcover: not connected", f"  Get a token: {TOKEN_PAGE_URL}"]
    state = "on" if status.sync_enabled else "off"
    if status.paused_reason:
        state = f"paused: {status.paused_reason}"
    lines.append(f"Sync: {state}")
    waiting = waits_parts(Waits(**sync.waiting))
    lines.append(f"Waiting: {' · '.join(waiting) if waiting else 'nothing'}")
    if sync.busy:
        lines.append("Another BookOrbit process is syncing this library right now.")
    if status.match_states:
        counts = ", ".join(f"{n} {state}" for state, n in sorted(status.match_states.items()))
        lines.append(f"Book links: {counts}")
    lines.append(f"Last sync: {_when(status.last_sync)}")
    budget = status.budget
    if budget:
        lines.append(
            f"Rate budget: {budget['daily_remaining']:,} of {budget['daily_limit']:,} requests "
            f"left today, burst {budget['burst_remaining']}/{budget['burst']} "
            f"(as of {_when(budget.get('observed_at'))}; resets {_when(budget['daily_resets_at'])})"
        )
    else:
        lines.append("Rate budget: unknown until BookOrbit next talks to Hardcover")
    if status.connected:
        lines.extend(token_health.lines())
    pull = pulled.pull_state()
    if pull.last_at is not None:
        lines.append(
            f"Last pull from Hardcover: {_when(pull.last_at)}"
            + (f" (stopped early: {pull.error})" if pull.error else "")
            + f"; {pull.conflicts} conflicts, {pull.wishlist} on the wishlist, {pull.lists} lists"
        )
    lines.append(f"Endpoint: {status.endpoint}")
    lines.append(f"Keyring: {status.keyring}")
    lines.extend(f"Warning: {warning}" for warning in status.warnings)
    return "\n".join(lines)


def _search(ctx: CliContext, args: argparse.Namespace) -> int:
    """search Hardcover's books"""
    if not 1 <= args.limit <= 25:
        raise InvalidValueError("--limit must be between 1 and 25.")
    query = " ".join(args.query).strip()
    if not query:
        raise InvalidValueError("Give some words of the title or author, or an ISBN.")
    result = asyncio.run(_run_search(account_for(args), query, args.limit))
    if args.json:
        print(json.dumps(_search_json(result), indent=2))
    else:
        print(format_search(result))
    return 0


async def _run_search(account: HardcoverAccount, query: str, limit: int) -> SearchResult:
    async with account.open_client() as client:
        return await client.search_books(query, per_page=limit)


def _search_json(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "found": result.found,
        "candidates": [
            {
                "id": hit.id,
                "title": hit.title,
                "subtitle": hit.subtitle,
                "authors": list(hit.author_names),
                "year": hit.release_year,
                "readers": hit.users_count,
                "pages": hit.pages,
                "series": list(hit.series_names),
                "slug": hit.slug,
            }
            for hit in result.hits
        ],
    }


def format_search(result: SearchResult) -> str:
    """One line per candidate: id, readers, year, title — authors."""
    if not result.hits:
        return f"No Hardcover books found for {result.query!r}."
    lines = [f"{'ID':>9}  {'READERS':>8}  {'YEAR':4}  TITLE — AUTHORS"]
    for hit in result.hits:
        title = f"{hit.title}: {hit.subtitle}" if hit.subtitle else hit.title
        authors = author_line(hit.author_names)
        year = str(hit.release_year) if hit.release_year else "—"
        lines.append(f"{hit.id:>9}  {hit.users_count:>8,}  {year:4}  {title} — {authors}")
    shown = len(result.hits)
    if result.found > shown:
        lines.append(f"({shown} of {counted(result.found, 'result')})")
    return "\n".join(lines)
