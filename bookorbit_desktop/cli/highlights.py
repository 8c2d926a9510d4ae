"""`highlights`: KOReader highlights and notes in the library.

highlights [BOOK_ID] [--json | --markdown]   list (every book, or one)
highlights search WORDS... [--json]          search every highlight
highlights import DIR                        read the KOReader sidecars under DIR
highlights waiting                           exports that matched no single book
highlights link N BOOK_ID                    the waiting export number N is BOOK_ID
highlights proposals                         status/rating changes exports propose
highlights apply|dismiss ID [--finished D]   decide one proposal
highlights delete ID                         delete one highlight for good
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.errors import InvalidValueError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from bookorbit_desktop.services.highlights.service import HighlightView

_ACTIONS = (
    "search",
    "import",
    "waiting",
    "link",
    "proposals",
    "apply",
    "dismiss",
    "delete",
    "receiver",
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's sub-command to the parser."""
    parser = add_command(commands, "highlights", run, page=__doc__)
    parser.add_argument("words", nargs="*", metavar="BOOK_ID | ACTION ...")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--markdown", action="store_true", help="print one book as Markdown")
    parser.add_argument(
        "--finished",
        metavar="DATE",
        help="with apply: when the book was finished (YYYY-MM-DD or today), when the reading "
        "history does not say",
    )


def _number(word: str, what: str) -> int:
    try:
        return int(word)
    except ValueError:
        raise InvalidValueError(f"{what} must be a number, not {word!r}.") from None


def _arguments(words: list[str], count: int, usage: str) -> list[str]:
    if len(words) != count:
        raise InvalidValueError(f"Usage: bookorbit-desktop highlights {usage}")
    return words


def run(ctx: CliContext, args: argparse.Namespace) -> int:
    """KOReader highlights and notes: list, search, export, import sidecars"""
    words: list[str] = list(args.words)
    action = words.pop(0) if words and words[0] in _ACTIONS else None
    if action is None:
        return _list(words, args)
    if action == "search":
        return _search(" ".join(words), args.json)
    if action == "import":
        return _import(Path(_arguments(words, 1, "import DIR")[0]))
    if action == "waiting":
        return _waiting()
    if action == "link":
        number, book = _arguments(words, 2, "link N BOOK_ID")
        return _link(_number(number, "N"), _number(book, "The book id"))
    if action == "proposals":
        return _proposals()
    if action == "receiver":
        return _receiver(words)
    (target,) = _arguments(words, 1, f"{action} ID")
    return _decide(action, _number(target, "The id"), args.finished)


def _list(words: list[str], args: argparse.Namespace) -> int:
    from bookorbit_desktop.services.highlights import service as highlights

    if len(words) > 1:
        raise InvalidValueError(f"Unknown action {words[0]!r}: use one of {', '.join(_ACTIONS)}.")
    book_id = _number(words[0], "The book id") if words else None
    if args.markdown:
        if book_id is None:
            raise InvalidValueError("Name the book: `bookorbit-desktop highlights ID --markdown`.")
        print(highlights.markdown(book_id), end="")
        return 0
    rows = highlights.json_rows(book_id)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if book_id is None:
        return _print_views(highlights.every_highlight())
    return _print_views(highlights.book_highlights(book_id))


def _print_views(views: list[HighlightView]) -> int:
    if not views:
        print(
            "No highlights yet. Import them with `highlights import DIR`, or switch on the "
            "XMNote receiver and export from KOReader."
        )
        return 0
    for view in views:
        where = ", ".join(p for p in (view.chapter, f"p. {view.page}" if view.page else "") if p)
        print(f"[{view.id}] {view.book_title} ({where or 'no page'}, {view.date})")
        print(f"    {view.text}")
        if view.note:
            print(f"    Note: {view.note}")
    return 0


def _search(words: str, as_json: bool) -> int:
    from bookorbit_desktop.services.highlights import service as highlights

    if not words.strip():
        raise InvalidValueError("Give the words to search for.")
    views = highlights.search(words)
    if as_json:
        print(json.dumps([view.__dict__ for view in views], indent=2, ensure_ascii=False))
        return 0
    return _print_views(views)


def _import(directory: Path) -> int:
    from bookorbit_desktop.services.highlights import service as highlights

    def show(outcome: object) -> None:
        from bookorbit_desktop.library.highlights.folder import FileOutcome

        assert isinstance(outcome, FileOutcome)
        if outcome.error:
            print(f"Skipped (unreadable): {outcome.error}")
            return
        recorded = outcome.recorded
        assert recorded is not None
        where = f"book {outcome.book_id}" if outcome.book_id else "waiting for you to pick its book"
        print(
            f"{outcome.title or outcome.path}: {recorded.added} new, {recorded.updated} updated, "
            f"{recorded.unchanged} unchanged ({where})"
        )

    outcomes = highlights.import_sidecars(directory, on_file=show)
    if not outcomes:
        print(f"No KOReader sidecars (metadata.*.lua in *.sdr folders) below {directory}.")
        return 0
    failed = sum(1 for outcome in outcomes if outcome.error)
    waiting = sum(1 for outcome in outcomes if outcome.book_id is None and not outcome.error)
    proposed = sum(1 for outcome in outcomes if outcome.proposed)
    print(f"{len(outcomes)} sidecar{'s' if len(outcomes) != 1 else ''} read, {failed} unreadable.")
    if waiting:
        print("Some match no single book: see `highlights waiting`, then `highlights link`.")
    if proposed:
        print("KOReader proposes status or rating changes: see `highlights proposals`.")
    return 1 if failed else 0


def _waiting() -> int:
    from bookorbit_desktop.services.highlights import service as highlights

    rows = highlights.waiting_exports()
    if not rows:
        print("No highlights wait for a book.")
        return 0
    for number, row in enumerate(rows, 1):
        by = f" by {row.authors.replace(chr(10), ', ')}" if row.authors else ""
        print(f"{number}. {row.title}{by}: {counted(row.highlights, 'highlight')}")
    print("Pick the book with: bookorbit-desktop highlights link N BOOK_ID")
    return 0


def _link(number: int, book_id: int) -> int:
    from bookorbit_desktop.services.highlights import service as highlights

    rows = highlights.waiting_exports()
    if not 1 <= number <= len(rows):
        raise InvalidValueError(f"There is no waiting export {number}: see `highlights waiting`.")
    row = rows[number - 1]
    result = highlights.link_export(row.title, row.authors, book_id)
    print(
        f"{row.title}: {counted(result.added, 'highlight')} added to book {book_id}, "
        f"{result.updated} updated, {result.unchanged} already there."
    )
    return 0


def _proposals() -> int:
    from bookorbit_desktop.services.highlights import service as highlights

    rows = highlights.waiting_proposals()
    if not rows:
        print("No proposals wait for you.")
        return 0
    for row in rows:
        changes = [f"status {row.status}"] if row.status else []
        changes += [f"rating {row.rating}"] if row.rating else []
        print(
            f"[{row.id}] {row.book_title}: {', '.join(changes)} (from KOReader, "
            f"{time.strftime('%Y-%m-%d', time.localtime(row.proposed_at))})"
        )
        if row.note:
            print(f"    Review note: {row.note}")
    print("Apply one with `highlights apply ID`, or `highlights dismiss ID`.")
    return 0


def _receiver(words: list[str]) -> int:
    from bookorbit_desktop.library.store.settings import get_setting, set_setting

    usage = "receiver on | off | port N | secret new | secret S | secret none"
    if words in (["on"], ["off"]):
        set_setting("highlights.receiver", words[0] == "on")
    elif len(words) == 2 and words[0] == "port":
        from bookorbit_desktop.services.highlights.service import receiver_settings, save_receiver

        save_receiver(receiver_settings().on, _number(words[1], "The port"))
    elif words == ["secret", "new"]:
        from bookorbit_desktop.services.highlights.service import require_secret

        print(f"Pairing secret: {require_secret()}")
    elif words == ["secret", "none"]:
        from bookorbit_desktop.services.highlights.service import stop_requiring_secret

        stop_requiring_secret()
    elif len(words) == 2 and words[0] == "secret":
        from bookorbit_desktop.services.highlights.service import check_secret

        set_setting("highlights.secret", check_secret(words[1]))
    else:
        raise InvalidValueError(f"Usage: bookorbit-desktop highlights {usage}")
    state = "on" if get_setting("highlights.receiver") else "off"
    secret = "with a pairing secret" if get_setting("highlights.secret") else "no pairing secret"
    print(f"Highlights receiver: {state}, port {get_setting('highlights.port')}, {secret}.")
    if state == "on":
        print("It runs with the window, or with `bookorbit-desktop serve`.")
    return 0


def _decide(action: str, target: int, finished: str | None) -> int:
    from bookorbit_desktop.library.reading.edits import UNSET
    from bookorbit_desktop.library.reading.marking import DateNeededError
    from bookorbit_desktop.services.highlights import service as highlights

    if action == "apply":
        try:
            reading = highlights.apply_proposal(target, finished=finished or UNSET)
        except DateNeededError:
            raise InvalidValueError(
                f"Proposal {target}: the reading history does not say when you finished the "
                "book. Give the date with --finished YYYY-MM-DD, or --finished today."
            ) from None
        print(f"Applied: now {reading['status']}, rating {reading['rating'] or 'none'}.")
    elif action == "dismiss":
        highlights.dismiss_proposal(target)
        print(f"Proposal {target} dismissed.")
    else:
        highlights.delete(target)
        print(f"Highlight {target} deleted; KOReader sending it again will not bring it back.")
    return 0
