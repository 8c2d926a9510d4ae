"""`books edit ID [ID ...] --title/--authors/...`: correct a book's metadata from the command line.

The values are checked by `library.editing.values` and saved by `library.editing.apply`, the
same operation the window's Edit dialog runs; the book's file is never rewritten. Several ids
take only --authors, --series and --language.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bookorbit_desktop.cli.context import CliContext

# The text options, named as the fields of `library.editing.values`.
_TEXT_OPTIONS = ("title", "authors", "series", "series_index", "language", "isbn", "description")


def register(books: argparse.ArgumentParser) -> None:
    """Add `edit` under `books`."""
    actions = books.add_subparsers(dest="books_action", metavar="ACTION")
    summary, _, description = (run_edit.__doc__ or "").partition("\n\n")
    edit = actions.add_parser("edit", help=summary, description=description)
    edit.set_defaults(handler=run_edit)
    edit.add_argument("book_ids", type=int, nargs="+", metavar="ID", help="the books' ids")
    edit.add_argument("--title", help="the title")
    edit.add_argument("--authors", help='the authors, in order, separated by "&"')
    edit.add_argument("--series", help="the series ('' removes it)")
    edit.add_argument("--series-index", metavar="N", help="the number in the series, 0 or more")
    edit.add_argument("--language", help="a language code (en, fr, pt-BR) or English name")
    edit.add_argument("--isbn", help="an ISBN-10 or ISBN-13 ('' removes it)")
    edit.add_argument("--description", help="the description ('' removes it)")
    edit.add_argument("--cover", metavar="FILE", help="an image file (JPEG, PNG, GIF or WebP)")


def run_edit(ctx: CliContext, args: argparse.Namespace) -> int:
    """correct books' title, authors, series, language, ISBN, description or cover

    Every value is checked before anything is saved; the book's file is not rewritten. A field
    set here is the user's: importing the book's file again keeps it. Several ids take only
    --authors, --series and --language. Exit status 0 when saved, 2 for a wrong value or id."""
    from bookorbit_desktop.library.editing import values
    from bookorbit_desktop.library.editing.apply import edit_books

    typed = {name: getattr(args, name) for name in _TEXT_OPTIONS if getattr(args, name) is not None}
    cover = Path(args.cover) if args.cover is not None else None
    changes = values.changes_from_text(typed, cover)
    saved = edit_books(args.book_ids, changes, ctx.paths)
    names = ", ".join(values.LABELS[field] for field in changes.changed())
    books = "book" if len(saved) == 1 else "books"
    print(f"Saved the {names} of {books} {', '.join(str(book_id) for book_id in saved)}.")
    return 0
