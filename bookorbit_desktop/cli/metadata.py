"""`metadata fetch|show|apply|retry|write|google-key`: metadata candidates from Hardcover, Open
Library and Google Books, from the command line (the same `services.metadata` the window
uses). Fetching stores candidates and applies nothing; `apply` saves chosen fields as the
user's own edit; only `write` changes a book's file. Exit status: 0 done, 1 some source
failed (run `metadata retry`) or nothing was applied, 2 a wrong book, source, field or value.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from typing import Any

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.metadata_sources.records import SOURCE_LABELS

SOURCE_NAMES = tuple(SOURCE_LABELS)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `metadata` and its actions."""
    metadata = add_command(commands, "metadata", _missing_action, library=False)
    actions = metadata.add_subparsers(dest="metadata_action", metavar="ACTION")
    fetch = add_command(actions, "fetch", _fetch)
    fetch.add_argument("book_ids", type=int, nargs="+", metavar="BOOK", help="the books' ids")
    fetch.add_argument(
        "--source", action="append", choices=SOURCE_NAMES, help="only this source (repeatable)"
    )
    show = add_command(actions, "show", _show)
    show.add_argument("book_id", type=int, metavar="BOOK")
    show.add_argument("--json", action="store_true", help="print JSON")
    apply = add_command(actions, "apply", _apply)
    apply.add_argument("book_id", type=int, metavar="BOOK")
    apply.add_argument(
        "--field",
        action="append",
        help="a field to take (repeatable): title, subtitle, authors, series, series_index, "
        "description, publisher, published, language, isbn13, pages or cover",
    )
    apply.add_argument("--from", dest="source", choices=SOURCE_NAMES, help="the source")
    apply.add_argument("--all-from", choices=SOURCE_NAMES, help="take every field this source has")
    apply.add_argument(
        "--best", action="store_true", help="each field from the source the best-value rule picks"
    )
    apply.add_argument(
        "--only-empty", action="store_true", help="with --all-from or --best: only empty fields"
    )
    apply.add_argument("--index", type=int, default=0, help="which candidate (0 = best match)")
    add_command(actions, "retry", _retry)
    write = add_command(actions, "write", _write)
    write.add_argument("book_ids", type=int, nargs="+", metavar="BOOK", help="the books' ids")
    write.add_argument(
        "--restore",
        action="store_true",
        help="put back the files as they were before the last write",
    )
    key = add_command(actions, "google-key", _google_key, library=False)
    key.add_argument("--stdin", action="store_true", help="read the key from standard input")
    key.add_argument("--remove", action="store_true", help="forget the saved key")


def _missing_action(ctx: CliContext, args: argparse.Namespace) -> int:
    """metadata candidates from Hardcover, Open Library and Google Books

    Actions: fetch BOOK..., show BOOK [--json], apply BOOK --field F --from SOURCE (or
    --all-from SOURCE [--only-empty]), retry, write BOOK... [--restore], google-key
    --stdin|--remove."""
    print(
        "Name an action: fetch, show, apply, retry, write or google-key (see metadata --help).",
        file=sys.stderr,
    )
    return 2


def _service(ctx: CliContext, sources: list[str] | None = None) -> Any:
    from bookorbit_desktop.services.metadata import SOURCES, MetadataService

    return MetadataService(ctx.paths, sources=sources or SOURCES)


def _print_progress(progress: Any) -> None:
    parts = []
    for result in progress.results:
        found = f" ({len(result.candidates)})" if result.candidates else ""
        note = f": {result.message}" if result.failed else ""
        parts.append(f"{result.source} {result.status}{found}{note}")
    print(f"[{progress.done}/{progress.total}] book {progress.book_id}: " + "; ".join(parts))


def _summary(reports: list[Any]) -> int:
    failures = [f for report in reports for f in report.failures]
    books = sum(r.books for r in reports)
    found = sum(r.found for r in reports)
    print(f"Asked about {books} book(s); candidates found for {found}.")
    if failures:
        print(
            f"{len(failures)} source answer(s) failed; run `bookorbit-desktop metadata retry` "
            "later to ask those sources again.",
            file=sys.stderr,
        )
        return 1
    return 0


def _fetch(ctx: CliContext, args: argparse.Namespace) -> int:
    """ask the metadata sources about books and keep their candidates (nothing is applied)

    Sources are asked at the same time, each at its own pace; a failing source never stops
    the others. Exit status 0 when every source answered, 1 when some failed (retry later),
    2 for a wrong book id."""
    service = _service(ctx, args.source)
    report = asyncio.run(service.fetch(args.book_ids, progress=_print_progress))
    return _summary([report])


def _retry(ctx: CliContext, args: argparse.Namespace) -> int:
    """ask again the sources whose last answer failed (refused, rate-limited, timed out)

    Exit status 0 when nothing failed or everything answered now, 1 when some still fail."""
    service = _service(ctx)
    reports = asyncio.run(service.retry(progress=_print_progress))
    if not reports:
        print("No failed metadata fetches to retry.")
        return 0
    return _summary(reports)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return " & ".join(str(v) for v in value) or "—"
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:59] + "…"


def _show(ctx: CliContext, args: argparse.Namespace) -> int:
    """show a book's metadata candidates beside its own values

    Per source: its status and candidates; per field: the book's value, each source's value
    (* where it differs) and the source the best-value rule picks. --json prints it all."""
    shown = asyncio.run(_service(ctx).candidates(args.book_id))
    if args.json:
        print(json.dumps(asdict(shown), ensure_ascii=False, indent=2, default=_jsonable))
        return 0
    print(f"Book {shown.book_id}: {shown.title}")
    if not shown.sources:
        print(f"No candidates yet; fetch them: bookorbit-desktop metadata fetch {shown.book_id}")
        return 0
    for answer in shown.sources:
        print(
            f"  {answer.label}: {answer.status} ({len(answer.candidates)} candidate(s))"
            + (f" {answer.message}" if answer.status not in ("ok",) and answer.message else "")
        )
    for row in shown.fields:
        if not row.values:
            continue
        print(f"{row.name}:")
        print(f"    this book     {_text(row.local)}")
        for source, value in row.values.items():
            mark = "*" if source in row.differs else " "
            best = "  <- best" if source == row.best else ""
            print(f"  {mark} {source:<12}{_text(value)}{best}")
    return 0


def _jsonable(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(value)
    raise TypeError(f"cannot show {type(value).__name__} as JSON")


def _apply(ctx: CliContext, args: argparse.Namespace) -> int:
    """take fields from a source's candidate as your own edit of the book

    `--field title --from hardcover` (repeat --field), or `--all-from SOURCE` for every field
    it has, or `--best` for each field from the source the best-value rule picks
    (`--only-empty`: only fields the book lacks). Saved like `books edit`: importing
    the file again keeps them; the book's file is not rewritten. Exit status 0 applied, 1
    nothing to apply, 2 a wrong book, source or field."""
    from bookorbit_desktop.errors import InvalidValueError

    service = _service(ctx)
    if args.all_from:
        result = asyncio.run(
            service.apply_all(
                args.book_id, args.all_from, only_empty=args.only_empty, index=args.index
            )
        )
    elif args.best:
        fields = args.field or None
        result = asyncio.run(service.apply_best(args.book_id, fields, only_empty=args.only_empty))
    elif args.field and args.source:
        result = asyncio.run(service.apply(args.book_id, args.field, args.source, index=args.index))
    else:
        raise InvalidValueError(
            "Say what to take: --field NAME --from SOURCE, --all-from SOURCE, or --best."
        )
    for name, why in result.skipped:
        print(f"Not applied: {name} ({why})", file=sys.stderr)
    if not result.applied:
        print(f"Nothing to apply to book {args.book_id} from {result.source}.")
        return 1
    taken = ", ".join(f"{name} ({source})" for name, source in result.taken_from)
    print(f"Applied to book {args.book_id}: {taken}.")
    return 0


def _write(ctx: CliContext, args: argparse.Namespace) -> int:
    """write the library's metadata into the books' EPUB files (a backup of each is kept)

    Title, subtitle, authors, series, description, publisher, publication date, language,
    ISBN-13, and a cover you chose, go into the file's package document; the old file is kept
    in the data folder's file-backups/. KOReader's progress and highlights stay linked (the
    old file's document id stays the book's). --restore puts back the newest backup. Exit
    status 0 every book written, 1 some could not be (not EPUB, damaged, no backup)."""
    from bookorbit_desktop.services import file_metadata

    act = file_metadata.restore_files if args.restore else file_metadata.write_metadata
    report = act(ctx.paths, args.book_ids)
    for line in report.lines(restored=args.restore):
        print(line, file=sys.stderr if line.startswith("Book ") else sys.stdout)
    return 1 if report.failed else 0


def _google_key(ctx: CliContext, args: argparse.Namespace) -> int:
    """save or remove the optional Google Books API key (kept in the system keyring)

    --stdin reads the key from standard input (never from the command line, where other
    programs could see it); --remove forgets it."""
    from bookorbit_desktop.errors import InvalidValueError
    from bookorbit_desktop.metadata_sources.keys import GoogleBooksKey

    keys = GoogleBooksKey()
    if args.remove:
        print("Removed the Google Books API key." if keys.delete() else "No key was saved.")
        return 0
    if not args.stdin:
        raise InvalidValueError("Give the key on standard input with --stdin, or --remove.")
    keys.save(sys.stdin.readline())
    print("Saved the Google Books API key in the system keyring.")
    return 0
