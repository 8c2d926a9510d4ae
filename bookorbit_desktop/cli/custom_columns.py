"""`books columns`: the library's custom columns on the command line, and `books edit ID --set
'#label=value'` for a book's values in them (`library.custom`).

books columns                                  list them (kind, label, values set)
books columns add NAME --kind K [--values ..]  add one (a fixed list with its values)
books columns rename NAME NEW                  give one another name
books columns delete NAME                      delete one and its values

Each change is one step of the change journal: `undo` takes it back.
"""

from __future__ import annotations

import argparse
import json
import sys

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import counted

_KINDS = "text, long-text, number, rating, date, yes-no, list (with --values), tags or series"


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `columns` and its actions to the `books` actions."""
    columns = add_command(actions, "columns", run_list, reads=True)
    columns.add_argument("--json", action="store_true", help="print JSON (one object a column)")
    verbs = columns.add_subparsers(dest="columns_action", metavar="ACTION")
    add = _action(verbs, "add", run_add)
    add.add_argument("name", metavar="NAME", help="the column's heading")
    add.add_argument("--kind", required=True, metavar="K", help=_KINDS)
    add.add_argument("--values", metavar="A,B", help="a fixed list's values, by commas")
    rename = _action(verbs, "rename", run_rename)
    rename.add_argument("name", metavar="NAME", help="the column's heading or #label")
    rename.add_argument("new", metavar="NEW", help="its new heading")
    delete = _action(verbs, "delete", run_delete)
    delete.add_argument("name", metavar="NAME", help="the column's heading or #label")


def _action(
    verbs: argparse._SubParsersAction[argparse.ArgumentParser], name: str, handler: object
) -> argparse.ArgumentParser:
    summary, _, description = (getattr(handler, "__doc__", "") or "").partition("\n\n")
    parser = verbs.add_parser(name, help=summary, description=description)
    parser.set_defaults(handler=handler)
    return parser


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    """list the library's custom columns, their kinds and how many books have a value"""
    from bookorbit_desktop.library.custom import store

    columns = store.columns()
    counts = {column.id: store.count_values(column.id) for column in columns}
    if args.json:
        rows = [{**store.as_dict(c), "kind": c.kind_name, "books": counts[c.id]} for c in columns]
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not columns:
        print(
            "No custom column yet. Add one with: bookorbit-desktop books columns add NAME --kind K"
        )
        return 0
    for column in columns:
        choices = f" ({', '.join(column.choices)})" if column.choices else ""
        books = counted(counts[column.id], "book")
        print(f"#{column.label}  {column.name}  {column.kind_name}{choices}  {books}")
    print(f"{counted(len(columns), 'custom column')}.")
    return 0


def run_add(ctx: CliContext, args: argparse.Namespace) -> int:
    """add a custom column of one of calibre's kinds

    Its label, searched as #label, is its name in lower case with "_" between words. A list
    column (--kind list) takes one of its --values; a tags column several, by commas."""
    from bookorbit_desktop.library.custom.columns import add_column

    values = [value for value in (args.values or "").split(",") if value.strip()]
    column = add_column(args.name, args.kind, values)
    print(f"Added the column “{column.name}” ({column.kind_name}), searched as #{column.label}.")
    print(ctx.undo_hint())
    return 0


def run_rename(ctx: CliContext, args: argparse.Namespace) -> int:
    """give a custom column another name (and label)"""
    from bookorbit_desktop.library.custom import store
    from bookorbit_desktop.library.custom.columns import rename_column

    column = rename_column(store.named(args.name).id, args.new)
    print(f"Renamed the column to “{column.name}”, searched as #{column.label}.")
    print(ctx.undo_hint())
    return 0


def run_delete(ctx: CliContext, args: argparse.Namespace) -> int:
    """delete a custom column and every book's value in it"""
    from bookorbit_desktop.library.custom import store
    from bookorbit_desktop.library.custom.columns import delete_column

    column = store.named(args.name)
    count = store.count_values(column.id)
    delete_column(column.id)
    print(f"Deleted the column “{column.name}” and its values of {counted(count, 'book')}.")
    print(ctx.undo_hint())
    return 0
