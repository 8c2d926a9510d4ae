"""Which books a command works on: the ids given, in that order, then every book (`--all`) or
those with one of some reading statuses (`--where status=S[,S]`), each once. `books edit` and
`metadata show|apply` select books this way; `book` keeps its own `--all-unread`."""

from __future__ import annotations

import argparse

from bookorbit_desktop.cli.edits import ids_with_status, parse_where
from bookorbit_desktop.library.store.models import Book


def add_selection(parser: argparse.ArgumentParser) -> None:
    """Add `--all` and `--where` to a command that takes book ids."""
    parser.add_argument("--all", action="store_true", help="every book in the library")
    add_where(parser)


def add_where(parser: argparse.ArgumentParser) -> None:
    """Add `--where status=S[,S]` (read by `cli.edits.parse_where`)."""
    parser.add_argument(
        "--where",
        action="append",
        metavar="status=S[,S]",
        help="every book with one of these reading statuses",
    )


def selects_many(args: argparse.Namespace) -> bool:
    """Whether the command names other than exactly one book."""
    return len(args.book_ids) != 1 or bool(args.all or args.where)


def selected_books(args: argparse.Namespace) -> list[int]:
    """The ids given, then those `--all` or `--where` selects (by id), each once."""
    ids = list(args.book_ids)
    if args.all:
        ids += [row.id for row in Book.select(Book.id).order_by(Book.id)]
    if args.where:
        ids += ids_with_status(parse_where(args.where).get("status", []))
    return list(dict.fromkeys(ids))
