"""`books edit ID [ID ...] --title/--authors/...` and `books remove ID [ID ...]`: correct a book's
metadata or tags, or remove books from the library, from the command line.

The values are checked by `library.editing.values` and saved by `library.editing.apply`, the
same operation the window's Edit dialog runs; the book's file is never rewritten. Several ids
(or --all, --where status=S), or a --status, --rating or --number-from, are the window's bulk
edit (`books_bulk`): authors, series with numbers, language, publisher, status, rating and
tags (`library.tags.changes`). Removal (`library.editing.removal`) asks first unless `--yes`,
and moves files to the trash only with `--delete-file`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bookorbit_desktop.cli import books_bulk
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.custom_columns import register as register_columns
from bookorbit_desktop.cli.duplicates import register as register_merge
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.wording import in_words

# The text options, named as the fields of `library.editing.values`.
_TEXT_OPTIONS = ("title", "subtitle", "authors", "series", "series_index", "language", "isbn",
                 "publisher", "published", "pages", "identifiers", "description")  # fmt: skip


def register(books: argparse.ArgumentParser) -> None:
    """Add `edit` and `remove` under `books`."""
    actions = books.add_subparsers(dest="books_action", metavar="ACTION")
    summary, _, description = (run_edit.__doc__ or "").partition("\n\n")
    edit = actions.add_parser("edit", help=summary, description=description)
    edit.set_defaults(handler=run_edit)
    edit.add_argument("book_ids", type=int, nargs="*", metavar="ID", help="the books' ids")
    edit.add_argument("--title", help="the title")
    edit.add_argument("--subtitle", help="the subtitle ('' removes it)")
    edit.add_argument("--authors", help='the authors, in order, separated by "&"')
    edit.add_argument("--series", help="the series ('' removes it)")
    edit.add_argument("--series-index", metavar="N", help="the number in the series, 0 or more")
    edit.add_argument(
        "--language",
        "--languages",
        dest="language",
        metavar="LIST",
        help="language codes (en, fr, pt-BR) or English names, separated by commas, the main "
        "one first ('' removes them)",
    )
    edit.add_argument("--isbn", help="an ISBN-10 or ISBN-13 ('' removes it)")
    edit.add_argument(
        "--published", metavar="DATE", help="the release date: 2019, 2019-05 or 2019-05-02"
    )
    edit.add_argument("--pages", metavar="N", help="the printed page count ('' removes it)")
    edit.add_argument(
        "--identifiers",
        metavar="LIST",
        help="every identifier, as scheme:value separated by commas or lines "
        "(isbn:…, goodreads:…, amazon:…); '' removes them all",
    )
    edit.add_argument("--description", help="the description ('' removes it)")
    edit.add_argument("--cover", metavar="FILE", help="an image file (JPEG, PNG, GIF or WebP)")
    edit.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="'#LABEL=VALUE'",
        help="a custom column's value (repeat it; an empty value clears it)",
    )
    books_bulk.add_options(edit)
    for option, verb in (("--add-tag", "add"), ("--remove-tag", "remove")):
        edit.add_argument(
            option,
            action="append",
            default=[],
            metavar="TAG",
            help=f"{verb} a tag (repeat it, or separate tags with commas)",
        )
    summary, _, description = (run_remove.__doc__ or "").partition("\n\n")
    remove = actions.add_parser("remove", help=summary, description=description)
    remove.set_defaults(handler=run_remove)
    remove.add_argument("book_ids", type=int, nargs="+", metavar="ID", help="the books' ids")
    remove.add_argument(
        "--delete-file", action="store_true", help="also move the books' files to the trash"
    )
    remove.add_argument("--yes", action="store_true", help="do not ask before removing")
    register_merge(actions)
    register_columns(actions)


def run_edit(ctx: CliContext, args: argparse.Namespace) -> int:
    """correct books' metadata or tags; give many books a status, rating, publisher or numbers

    Every value is checked before anything is saved; the book's file is not rewritten. A field
    set here is the user's: importing the book's file again keeps it. Several books (ids, --all,
    --where status=S) take authors, series, --number-from N (in the order of the books),
    language, publisher, status, rating and tags; --finished DATE|none dates a read the
    reading history does not; a book a rule refuses (marked read with nothing to date the
    finish) is named and left as it was. Exit status 0 when saved, 1 when
    some book was left, 2 for a wrong value or id."""
    from bookorbit_desktop.library.custom.values import assignments, custom_values
    from bookorbit_desktop.library.editing import values
    from bookorbit_desktop.library.journal import steps
    from bookorbit_desktop.library.journal.rules import field_label
    from bookorbit_desktop.library.tags.edit import edit_with_tags
    from bookorbit_desktop.library.tags.names import parse_tags

    typed = {name: getattr(args, name) for name in _TEXT_OPTIONS if getattr(args, name) is not None}
    custom = assignments(args.set)  # the custom columns' values, as typed
    add = [tag for text in args.add_tag for tag in parse_tags(text)]
    remove = [tag for text in args.remove_tag for tag in parse_tags(text)]
    if books_bulk.is_bulk(args):
        if args.cover is not None:
            typed["cover"] = args.cover  # refused with the other one-book fields
        for name, tags in (("add_tags", add), ("remove_tags", remove)):
            if tags:
                typed[name] = ", ".join(tags)
        return books_bulk.run_bulk(ctx, args, typed | custom)
    cover = Path(args.cover) if args.cover is not None else None
    changes = values.changes_from_text(typed, cover)
    names = [values.LABELS[field] for field in changes.changed()]
    if add or remove:
        names.append("tags")
    checked = custom_values(custom)
    names += [field_label(name) for name in custom]
    before = steps.next_undo(entries=False)
    saved = edit_with_tags(
        args.book_ids, changes, ctx.paths, add=add, remove=remove, custom=checked
    )
    after = steps.next_undo(entries=False)
    books = "book" if len(saved) == 1 else "books"
    numbers = ", ".join(str(b) for b in saved)
    if after is None or (before is not None and after.id == before.id):  # no step: no change
        print(f"Nothing to save: {books} {numbers} had these values already.")
        return 0
    print(f"Saved the {in_words(names)} of {books} {numbers}.")
    print(ctx.undo_hint())
    return 0


def run_remove(ctx: CliContext, args: argparse.Namespace) -> int:
    """remove books from the library (their files only with --delete-file, to the trash)

    Says what goes and asks first (unless --yes). The library record goes; the file stays
    unless --delete-file moves it to the trash. KOReader progress, reading history and
    highlights stay, as unlinked documents and waiting highlights. Importing the folder again
    leaves the file out until it changes. Exit status 0 when removed, 1 when not confirmed or
    a file could not be moved to the trash, 2 for a wrong id."""
    from bookorbit_desktop.library.editing.removal import plan_removal, remove_books
    from bookorbit_desktop.library.editing.trash import check_trash

    plans = plan_removal(args.book_ids)
    if args.delete_file:
        check_trash()
    for plan in plans:
        print(f"Book {plan.book_id}: {plan.title}")
        for file in plan.files:
            fate = "goes to the trash" if args.delete_file else "stays on disk"
            print(f"  File {fate}: {file}")
        if plan.highlights:
            print(f"  {counted(plan.highlights, 'highlight')} stay, waiting for a book")
    if not args.yes and not _confirmed(len(plans)):
        print("Nothing was removed.")
        return 1
    result = remove_books([plan.book_id for plan in plans], ctx.paths, trash_files=args.delete_file)
    count = len(result.removed)
    print(f"Removed {count} {'book' if count == 1 else 'books'} from the library.")
    print(ctx.undo_hint())
    for file in result.trashed:
        print(f"Moved to the trash: {file}")
    for file, why in result.not_trashed:
        print(f"Not moved to the trash ({why}), still at: {file}", file=sys.stderr)
    return 1 if result.not_trashed else 0


def _confirmed(count: int) -> bool:
    books = "this book" if count == 1 else f"these {count} books"
    try:
        answer = input(f"Remove {books} from the library? [y/N] ")
    except EOFError:
        return False
    return answer.strip().casefold() in ("y", "yes")
