"""`hardcover match|candidates|pick|rematch|exclude|include|lead|remove-entry|add-again`
sub-commands.

`match` links every book whose status is not "unread" (or the books named, optionally unread
ones too) to Hardcover, printing each book's outcome and reason as it is decided; books that
need review keep their candidates, which `candidates BOOK` lists and `pick BOOK HC_BOOK_ID` settles.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import asdict
from typing import Any, TypeVar

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.hardcover.token import account_for
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.matching import actions as match_actions
from bookorbit_desktop.hardcover.matching.matcher import Matcher, MatchProgress, MatchReport
from bookorbit_desktop.hardcover.matching.store import get_match
from bookorbit_desktop.library.metadata.bylines import author_line
from bookorbit_desktop.library.store.links import candidates_of, hardcover_links
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.services.hardcover.account import HardcoverAccount

T = TypeVar("T")

_OUTCOME_LABELS = {
    "linked": "linked",
    "needs_review": "review",
    "no_match": "no match",
    "error": "error",
    "excluded": "excluded",
    "unmatched": "unmatched",
    "removed": "removed",
}


def register_match_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the matching sub-commands under `hardcover`."""
    match = add_command(commands, "match", _match)
    match.add_argument("books", nargs="*", type=int, metavar="BOOK", help="only these books")
    match.add_argument(
        "--include-unread", action="store_true", help="also match books marked unread"
    )
    match.add_argument("--json", action="store_true", help="machine-readable output")

    candidates = _book_command(commands, "candidates", _candidates)
    candidates.add_argument(
        "--search",
        nargs="?",
        const="",
        metavar="QUERY",
        help="search Hardcover now (title and author, or QUERY) and weigh each result",
    )
    candidates.add_argument("--json", action="store_true", help="machine-readable output")

    pick = _book_command(commands, "pick", _pick)
    pick.add_argument("hc_book", type=int, metavar="HC_BOOK_ID", help="Hardcover book id")
    pick.add_argument("--edition", type=int, metavar="ID", help="Hardcover edition id")
    _removal_flag(pick, "also remove the previous book's Hardcover entry, if BookOrbit created it")

    rematch = _book_command(commands, "rematch", _rematch)
    _removal_flag(rematch, "also remove its Hardcover library entry, if BookOrbit created it")

    exclude = _book_command(commands, "exclude", _exclude)
    _removal_flag(exclude, "also remove the Hardcover library entry, if BookOrbit created it")

    _book_command(commands, "include", _include)
    _book_command(commands, "remove-entry", _remove_entry)
    _book_command(commands, "add-again", _add_again)
    _book_command(
        commands,
        "lead",
        _lead,
    )


def _removal_flag(parser: argparse.ArgumentParser, help_text: str) -> None:
    """Removing an entry (its status, rating and reads) is never a side effect: only this flag
    asks for it."""
    parser.add_argument("--remove-from-hardcover", action="store_true", help=help_text)


def _book_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    handler: Callable[[CliContext, argparse.Namespace], int],
) -> argparse.ArgumentParser:
    """A sub-command about one library book, whose id is its first argument."""
    parser = add_command(commands, name, handler)
    parser.add_argument("book", type=int, metavar="BOOK", help="the book's id")
    return parser


def _with_client(account: HardcoverAccount, work: Callable[[HardcoverClient], Awaitable[T]]) -> T:
    async def run() -> T:
        async with account.open_client() as client:
            return await work(client)

    return asyncio.run(run())


def format_progress(item: MatchProgress) -> str:
    label = _OUTCOME_LABELS.get(item.outcome, item.outcome)
    kept = " (kept)" if item.cached else ""
    return f"{item.book_id:>6}  {label + kept:<16} {item.title} — {item.reason}"


def _summary(report: MatchReport) -> str:
    parts = [f"{n} {_OUTCOME_LABELS.get(k, k)}" for k, n in sorted(report.counts.items())]
    counts = ", ".join(parts) or "no books to match"
    return (
        f"{counted(report.total, 'book')}: {counts}. "
        f"{counted(report.requests, 'Hardcover request')} ({report.isbn_requests} for ISBNs)."
    )


def _match(ctx: CliContext, args: argparse.Namespace) -> int:
    """link books to Hardcover (every book not marked unread, or the books given)

    Link books to Hardcover. Unread books are left out unless --include-unread is given.
    With --json, each book's chosen Hardcover book (id, slug, URL, edition id) and the
    candidates for review are printed."""
    wanted = list(dict.fromkeys(args.books)) or None
    if wanted is not None:
        known = {b.id for b in Book.select(Book.id).where(Book.id.in_(wanted))}
        missing = [book_id for book_id in wanted if book_id not in known]
        if missing:
            listed = ", ".join(map(str, missing))
            raise NotFoundError(f"There is no book {listed} in the library; nothing was matched.")

    def show(item: MatchProgress) -> None:
        if not args.json:
            print(format_progress(item), flush=True)

    report = _with_client(
        account_for(args),
        lambda client: Matcher(client).run(
            wanted, progress=show, include_unread=args.include_unread
        ),
    )
    skipped = _left_out(wanted, report) if not args.include_unread else []
    if args.json:
        print(json.dumps(match_json(report, skipped), indent=2, ensure_ascii=False))
        return 0
    print(_summary(report))
    if skipped:
        listed = ", ".join(map(str, skipped))
        print(f"Not matched because marked unread: {listed} (add --include-unread).")
    if report.counts.get("needs_review"):
        print("See a book's candidates with: hardcover candidates BOOK")
    return 0


def _left_out(wanted: list[int] | None, report: MatchReport) -> list[int]:
    """Books named on the command line that the run left out (they are marked unread)."""
    done = {item.book_id for item in report.results}
    return [book_id for book_id in wanted or [] if book_id not in done]


def match_json(report: MatchReport, skipped: list[int]) -> dict[str, Any]:
    """The run as JSON: per book its outcome, the chosen Hardcover book and the candidates."""
    links = hardcover_links(item.book_id for item in report.results)
    books = []
    for item in report.results:
        link = links[item.book_id]
        books.append(
            {
                **asdict(item),
                "state": link["state"],
                "hardcover": {
                    key: link[key] for key in ("book_id", "slug", "url", "edition_id", "pinned")
                },
                "candidates": candidates_of(item.book_id),
            }
        )
    return {
        "total": report.total,
        "counts": report.counts,
        "requests": report.requests,
        "isbn_requests": report.isbn_requests,
        "skipped_unread": skipped,
        "books": books,
    }


def _candidate_line(candidate: dict[str, Any]) -> str:
    authors = author_line(candidate.get("authors") or [])
    year = candidate.get("year") or "—"
    pages = candidate.get("pages") or "?"
    languages = ",".join(candidate.get("languages") or []) or "?"
    head = (
        f"{candidate['book_id']:>9}  {candidate['grade']:<6} {round(candidate['score'] * 100):>3} %"
        f"  {candidate['title']} — {authors} ({year}; {candidate['format']}; {pages} pages; "
        f"{languages}; {candidate['readers']:,} readers)"
    )
    differences = candidate.get("differences") or []
    return head + (f"\n{'':>11}differs: {', '.join(differences)}" if differences else "")


def _candidates(ctx: CliContext, args: argparse.Namespace) -> int:
    """a book's link and its candidates"""
    book = Book.get_or_none(Book.id == args.book)
    if book is None:
        raise NotFoundError(f"There is no book {args.book} in the library.")
    if args.search is not None:
        return _search_candidates(args)
    record = get_match(args.book)
    if args.json:
        print(json.dumps(None if record is None else asdict(record), indent=2, ensure_ascii=False))
        return 0
    if record is None:
        print(f"{book.title}: not matched yet. Run: hardcover match")
        return 0
    print(f"{book.title}: {_OUTCOME_LABELS.get(record.state, record.state)} — {record.reason}")
    if record.hc_book_id is not None:
        pin = ", picked by you" if record.pinned else ""
        edition = record.hc_edition_id if record.hc_edition_id is not None else "none"
        print(f"  Hardcover book {record.hc_book_id}, edition {edition}{pin}")
    if record.candidates:
        print(f"{'ID':>9}  GRADE  SCORE TITLE — AUTHORS (YEAR; FORMAT; PAGES; LANGUAGES; READERS)")
        for candidate in record.candidates:
            print(_candidate_line(candidate))
        print(f"Link one with: hardcover pick {args.book} HC_BOOK_ID [--edition ID]")
    return 0


def _search_candidates(args: argparse.Namespace) -> int:
    query, found = _with_client(
        account_for(args),
        lambda client: match_actions.search_candidates(client, args.book, args.search),
    )
    if args.json:
        print(json.dumps({"query": query, "candidates": found}, indent=2, ensure_ascii=False))
        return 0
    if not found:
        print(f"Hardcover found nothing for {query!r}. Try other words: --search 'QUERY'")
        return 0
    print(f"Hardcover results for {query!r}, weighed against book {args.book}:")
    print(f"{'ID':>9}  GRADE  SCORE TITLE — AUTHORS (YEAR; FORMAT; PAGES; LANGUAGES; READERS)")
    for candidate in found:
        print(_candidate_line(candidate))
    print(f"Link one with: hardcover pick {args.book} HC_BOOK_ID [--edition ID]")
    return 0


def _pick(ctx: CliContext, args: argparse.Namespace) -> int:
    """link a book to the Hardcover book you choose"""
    result = _with_client(
        account_for(args),
        lambda client: match_actions.pick(
            client,
            args.book,
            args.hc_book,
            edition_id=args.edition,
            remove_previous=args.remove_from_hardcover,
        ),
    )
    print(result.message)
    return 0


def _online_if_removing(
    args: argparse.Namespace,
    removing: bool,
    action: Callable[[HardcoverClient | None], Coroutine[Any, Any, T]],
) -> T:
    """Run `action` with a client only when BookOrbit's own Hardcover entry is to be removed;
    everything else works offline, even without a token."""
    if removing and match_actions.owns_entry(get_match(args.book)):
        return _with_client(account_for(args), action)
    return asyncio.run(action(None))


def _unlinking(
    ctx: CliContext,
    args: argparse.Namespace,
    unlink: Callable[..., Coroutine[Any, Any, match_actions.ActionResult]],
) -> match_actions.ActionResult:
    """Run `unlink` (rematch or exclude) on the book, online only when asked to remove
    BookOrbit's own Hardcover entry; its message is printed."""
    remove = args.remove_from_hardcover
    result = _online_if_removing(
        args,
        remove,
        lambda client: unlink(args.book, client, remove_from_hardcover=remove),
    )
    print(result.message)
    return result


def _rematch(ctx: CliContext, args: argparse.Namespace) -> int:
    """forget a book's link and match it again"""
    _unlinking(ctx, args, match_actions.rematch)
    return 0


def _exclude(ctx: CliContext, args: argparse.Namespace) -> int:
    """never sync a book to Hardcover"""
    result = _unlinking(ctx, args, match_actions.exclude)
    if result.own_entry_kept:
        print(
            "BookOrbit added that entry; to remove it (its status, rating and reads) too, run "
            f"`hardcover exclude {args.book} --remove-from-hardcover`."
        )
    return 0


def _lead(ctx: CliContext, args: argparse.Namespace) -> int:
    """let this copy give its Hardcover book's status, progress and dates (copies disagree)"""
    print(match_actions.lead(args.book))
    return 0


def _include(ctx: CliContext, args: argparse.Namespace) -> int:
    """sync an excluded book again"""
    print(match_actions.include(args.book).message)
    return 0


def _remove_entry(ctx: CliContext, args: argparse.Namespace) -> int:
    """remove the Hardcover entry BookOrbit created for a book; no sync adds it back"""
    result = _with_client(
        account_for(args), lambda client: match_actions.remove_entry(args.book, client)
    )
    print(result.message)
    print(f"To add it again: hardcover add-again {args.book}")
    return 0


def _add_again(ctx: CliContext, args: argparse.Namespace) -> int:
    """add a book whose Hardcover entry you removed to Hardcover again (next sync)"""
    print(match_actions.add_again(args.book).message)
    return 0


__all__ = ["format_progress", "match_json", "register_match_commands"]
