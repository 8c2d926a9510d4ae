"""`metadata fetch|show|apply|retry|write|google-key|contact`: metadata candidates from
Hardcover, Open Library and Google Books, from the command line (the same `services.metadata`
the window uses). Fetching stores candidates and applies nothing; `apply` saves chosen fields
as the user's own edit; only `write` changes a book's file; `contact` sets the e-mail address
the web sources see. Exit status: 0 done, 1 some source failed (run `metadata retry`) or
nothing was applied, 2 a wrong book, source, field or value.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from typing import Any

from bookorbit_desktop.cli import remedy_hint
from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.selection import add_selection, selected_books, selects_many
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.errors import CONNECT, BookOrbitError, InvalidValueError, NotFoundError
from bookorbit_desktop.metadata_sources.records import PENDING, SOURCE_LABELS

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
    show.add_argument("book_ids", type=int, nargs="*", metavar="BOOK", help="the books' ids")
    add_selection(show)
    show.add_argument("--json", action="store_true", help="print JSON")
    apply = add_command(actions, "apply", _apply)
    apply.add_argument("book_ids", type=int, nargs="*", metavar="BOOK", help="the books' ids")
    add_selection(apply)
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
    contact = add_command(
        actions, "contact", _contact, reads=lambda a: a.email is None and not a.clear
    )
    contact.add_argument("email", nargs="?", metavar="EMAIL", help="the address to name")
    contact.add_argument("--clear", action="store_true", help="name no address")


def _missing_action(ctx: CliContext, args: argparse.Namespace) -> int:
    """metadata candidates from Hardcover, Open Library and Google Books

    Actions: fetch BOOK..., show BOOK... [--json], apply BOOK... --field F --from SOURCE (or
    --all-from SOURCE [--only-empty], or --best [--only-empty]), retry, write BOOK...
    [--restore], google-key --stdin|--remove, contact [EMAIL|--clear]. show and apply also
    take --all or --where status=S instead of (or after) the ids."""
    print(
        "Name an action: fetch, show, apply, retry, write, google-key or contact (see "
        "metadata --help).",
        file=sys.stderr,
    )
    return 2


def _service(ctx: CliContext, sources: list[str] | None = None) -> Any:
    from bookorbit_desktop.services.metadata.service import SOURCES, MetadataService

    return MetadataService(ctx.paths, sources=sources or SOURCES)


def _print_progress(progress: Any) -> None:
    parts = []
    for result in progress.results:
        found = f" ({len(result.candidates)})" if result.candidates else ""
        note = f": {result.message}" if result.failed else ""
        parts.append(f"{result.source} {result.status}{found}{note}")
    print(f"[{progress.done}/{progress.total}] book {progress.book_id}: " + "; ".join(parts))


def _print_wait(answer: Any) -> None:
    """A source waiting out a rate limit says so on stderr for each book it has under way
    (its answer follows as progress)."""
    result = answer.result
    if result.status == PENDING and result.message:
        print(f"book {answer.book_id}: {result.message}", file=sys.stderr)


def _summary(reports: list[Any]) -> int:
    failures = [f for report in reports for f in report.failures]
    books = sum(r.books for r in reports)
    found = sum(r.found for r in reports)
    print(f"Asked about {books} book(s); candidates found for {found}.")
    for name in dict.fromkeys(n for report in reports for n in report.not_connected):
        label = SOURCE_LABELS.get(name, name)
        print(f"{label} is not connected (not asked). {remedy_hint(CONNECT)}")
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
    report = asyncio.run(
        service.fetch(args.book_ids, progress=_print_progress, answered=_print_wait)
    )
    return _summary([report])


def _retry(ctx: CliContext, args: argparse.Namespace) -> int:
    """ask again the sources whose last answer failed (refused, rate-limited, timed out)

    Exit status 0 when nothing failed or everything answered now, 1 when some still fail."""
    service = _service(ctx)
    reports = asyncio.run(service.retry(progress=_print_progress, answered=_print_wait))
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


def _books(args: argparse.Namespace) -> list[int]:
    ids = selected_books(args)
    if not ids and not (args.all or args.where):
        raise InvalidValueError("Name the books: one or more ids, --all or --where status=S.")
    return ids


def _show(ctx: CliContext, args: argparse.Namespace) -> int:
    """show books' metadata candidates beside their own values

    Per source: its status and candidates; per field: the book's value, each source's value
    (* where it differs, c where only its capitals do) and the source the best-value rule
    picks. Several books (ids, --all, --where status=S) are shown one after another; --json
    prints one object for one book, else an array of {"id", "ok", "candidates" or "error"}.
    Exit status 0 every book shown, 1 some is not in the library, 2 a wrong option."""
    service = _service(ctx)
    if not selects_many(args):
        shown = asyncio.run(service.candidates(args.book_ids[0]))
        if args.json:
            print(json.dumps(asdict(shown), ensure_ascii=False, indent=2, default=_jsonable))
        else:
            _print_candidates(shown)
        return 0
    results: list[dict[str, Any]] = []
    for number, book_id in enumerate(_books(args)):
        try:
            shown = asyncio.run(service.candidates(book_id))
        except NotFoundError as error:
            results.append({"id": book_id, "ok": False, "error": error.message})
            if not args.json:
                print(f"book {book_id}: {error.message}", file=sys.stderr)
            continue
        results.append({"id": book_id, "ok": True, "candidates": asdict(shown)})
        if not args.json:
            if number:
                print()
            _print_candidates(shown)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2, default=_jsonable))
    elif not results:
        print("No books are selected.")
    return 1 if any(not result["ok"] for result in results) else 0


def _print_candidates(shown: Any) -> None:
    print(f"Book {shown.book_id}: {shown.title}")
    if not shown.sources:
        print(f"No candidates yet; fetch them: bookorbit-desktop metadata fetch {shown.book_id}")
        return
    for answer in shown.sources:
        other = shown.other_editions.get(answer.source)
        print(
            f"  {answer.label}: {answer.status} ({len(answer.candidates)} candidate(s))"
            + (f" {answer.message}" if answer.status not in ("ok",) and answer.message else "")
            + (f"; {other}: nothing is taken from it unasked" if other else "")
        )
    for row in shown.fields:
        if not row.values:
            continue
        print(f"{row.name}:")
        print(f"    {'this book':<14}{_text(row.local)}")
        for source, value in row.values.items():
            mark = "c" if source in row.case_only else "*" if source in row.differs else " "
            best = "  <- best" if source == row.best else ""
            print(f"  {mark} {source:<14}{_text(value)}{best}")  # under the book's value


def _jsonable(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(value)
    raise TypeError(f"cannot show {type(value).__name__} as JSON")


def _apply(ctx: CliContext, args: argparse.Namespace) -> int:
    """take fields from a source's candidate as your own edit of books

    `--field title --from hardcover` (repeat --field), or `--all-from SOURCE` for every field
    it has, or `--best` for each field from the source the best-value rule picks
    (`--only-empty`: only fields the book lacks). Saved like `books edit`: importing
    the file again keeps them; the book's file is not rewritten. Several books (ids, --all,
    --where status=S) are one step of the change journal, so one `undo` takes them all back;
    a book with nothing to apply or no candidates is named and the others are saved. Exit
    status 0 applied, 1 nothing (or not everything) applied, 2 a wrong book, source or
    field."""
    if not (args.all_from or args.best or (args.field and args.source)):
        raise InvalidValueError(
            "Say what to take: --field NAME --from SOURCE, --all-from SOURCE, or --best."
        )
    service = _service(ctx)
    if not selects_many(args):
        result = asyncio.run(_apply_one(service, args, args.book_ids[0], None))
        _print_skipped(result)
        if not result.applied:
            print(f"Nothing to apply to book {result.book_id} from {result.source}.")
            return 1
        print(f"Applied to book {result.book_id}: {_taken(result)}.")
        return 0
    return _apply_many(ctx, service, args, _books(args))


def _apply_many(ctx: CliContext, service: Any, args: argparse.Namespace, ids: list[int]) -> int:
    import time

    from bookorbit_desktop.services.metadata.apply import APPLY, FILL, finish_fill, start_fill

    label = FILL if args.best and args.only_empty and not args.field else APPLY
    step = start_fill(time.time(), label)
    applied = left = 0
    try:
        for book_id in ids:
            try:
                result = asyncio.run(_apply_one(service, args, book_id, step))
            except BookOrbitError as error:
                print(f"book {book_id}: {error.message}", file=sys.stderr)
                left += 1
                continue
            _print_skipped(result, f"book {book_id}: ")
            if result.applied:
                applied += 1
                print(f"book {book_id}: applied {_taken(result)}")
            else:
                left += 1
                print(f"book {book_id}: nothing to apply from {result.source}")
    finally:
        finish_fill(step, label)
    print(f"Applied to {applied} of {counted(len(ids), 'book')}.")
    if applied:
        print(ctx.undo_hint())
    return 0 if applied and not left else 1


async def _apply_one(service: Any, args: argparse.Namespace, book_id: int, step: int | None) -> Any:
    if args.all_from:
        return await service.apply_all(
            book_id, args.all_from, only_empty=args.only_empty, index=args.index, step=step
        )
    if args.best:
        return await service.apply_best(
            book_id, args.field or None, only_empty=args.only_empty, step=step
        )
    return await service.apply(book_id, args.field, args.source, index=args.index, step=step)


def _print_skipped(result: Any, prefix: str = "") -> None:
    for name, why in result.skipped:
        print(f"{prefix}Not applied: {name} ({why})", file=sys.stderr)


def _taken(result: Any) -> str:
    return ", ".join(f"{name} ({source})" for name, source in result.taken_from)


def _write(ctx: CliContext, args: argparse.Namespace) -> int:
    """write the library's metadata into the books' EPUB files (a backup of each is kept)

    Title, subtitle, authors, series, description, publisher, publication date, language,
    ISBN-13, and a cover you chose, go into the file's package document; the old file is kept
    in the data folder's file-backups/. KOReader's progress and highlights stay linked (the
    old file's document id stays the book's). --restore puts back the newest backup. Exit
    status 0 every book written, 1 some could not be (not EPUB, damaged, no backup)."""
    from bookorbit_desktop.services.library import file_metadata

    act = file_metadata.restore_files if args.restore else file_metadata.write_metadata
    report = act(ctx.paths, args.book_ids)
    for line in report.lines(restored=args.restore):
        print(line, file=sys.stderr if line.startswith("Book ") else sys.stdout)
    return 1 if report.failed else 0


def _google_key(ctx: CliContext, args: argparse.Namespace) -> int:
    """save or remove the optional Google Books API key (kept in the system keyring)

    --stdin reads the key from standard input (never from the command line, where other
    programs could see it); --remove forgets it."""
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


def _contact(ctx: CliContext, args: argparse.Namespace) -> int:
    """show, set or clear the e-mail address Open Library and Google Books see

    The address is named in the User-Agent of every request to them, as Open Library asks of
    its API users (the same setting as Settings ▸ Metadata, checked the same way). Without
    EMAIL, shows the address set; --clear names none."""
    from bookorbit_desktop.services.settings import load_contact_email, save_contact_email

    if args.clear and args.email is not None:
        raise InvalidValueError("Give an e-mail address or --clear, not both.")
    if args.email is None and not args.clear:
        email = load_contact_email()
        print(email or "No contact e-mail address is set (set one with `metadata contact EMAIL`).")
        return 0
    email = save_contact_email("" if args.clear else args.email)
    if email is None:
        print("Open Library and Google Books are no longer given an e-mail address.")
    else:
        print(f"Open Library and Google Books will see {email} in each request's User-Agent.")
    return 0
