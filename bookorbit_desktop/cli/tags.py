"""`tags`, `tags rename OLD NEW` and `tags delete NAME`: the library's tags on the command line.

tags                  list every tag with how many books carry it
tags rename OLD NEW   rename a tag; to the name of another tag, the two merge
tags delete NAME      take a tag away from every book (asks first unless --yes)

Books get and lose tags with `books edit ID --add-tag T --remove-tag T`. Each change is one
step of the change journal (`library.tags.changes`): `undo` takes it back.
"""

from __future__ import annotations

import argparse
import json
import sys

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import counted


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's sub-commands to the parser."""
    tags = add_command(commands, "tags", run_list, reads=True)
    tags.add_argument("--json", action="store_true", help="print JSON (one object per tag)")
    actions = tags.add_subparsers(dest="tags_action", metavar="ACTION")
    summary, _, description = (run_rename.__doc__ or "").partition("\n\n")
    rename = actions.add_parser("rename", help=summary, description=description)
    rename.set_defaults(handler=run_rename)
    rename.add_argument("old", metavar="OLD", help="the tag's name (case does not matter)")
    rename.add_argument("new", metavar="NEW", help="its new name, or the tag to merge it into")
    summary, _, description = (run_delete.__doc__ or "").partition("\n\n")
    delete = actions.add_parser("delete", help=summary, description=description)
    delete.set_defaults(handler=run_delete)
    delete.add_argument("name", metavar="NAME", help="the tag's name (case does not matter)")
    delete.add_argument("--yes", action="store_true", help="do not ask before deleting")


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    """list the library's tags with how many books carry each"""
    from bookorbit_desktop.library.tags.store import tag_counts

    counts = tag_counts()
    if args.json:
        json.dump([{"name": t.name, "books": t.books} for t in counts], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if not counts:
        print("No book has a tag yet. Add one with: bookorbit-desktop books edit ID --add-tag T")
        return 0
    width = max(len(f"{tag.books:,}") for tag in counts)
    for tag in counts:
        print(f"{tag.books:>{width},}  {tag.name}")
    print(f"{counted(len(counts), 'tag')}.")
    return 0


def run_rename(ctx: CliContext, args: argparse.Namespace) -> int:
    """rename a tag on every book; to the name of another tag, the two merge

    Case does not matter when naming the tag; renaming to another case ("scifi" to "SciFi")
    changes its spelling. Exit status 0 when renamed, 2 for a wrong or unknown name."""
    from bookorbit_desktop.library.tags.changes import rename_tag
    from bookorbit_desktop.library.tags.names import check_tag, key
    from bookorbit_desktop.library.tags.store import find_tag

    source, target = find_tag(check_tag(args.old)), find_tag(check_tag(args.new))
    changed = rename_tag(args.old, args.new, ctx.paths)
    merged = target is not None and source is not None and key(target) != key(source)
    verb = f"Merged “{source}” into “{target}”" if merged else f"Renamed “{source}”"
    print(f"{verb} on {counted(changed, 'book')}.")
    if changed:
        print(ctx.undo_hint())
    return 0


def run_delete(ctx: CliContext, args: argparse.Namespace) -> int:
    """take a tag away from every book

    Says how many books carry it and asks first (unless --yes). Exit status 0 when deleted, 1
    when not confirmed, 2 for an unknown name."""
    from bookorbit_desktop.errors import NotFoundError
    from bookorbit_desktop.library.tags.changes import delete_tag
    from bookorbit_desktop.library.tags.names import check_tag
    from bookorbit_desktop.library.tags.store import books_with, find_tag

    name = find_tag(check_tag(args.name))
    if name is None:
        raise NotFoundError(f"There is no tag “{args.name.strip()}”. List the tags with `tags`.")
    books = counted(len(books_with([name])), "book")
    if not args.yes and not _confirmed(f"Take the tag “{name}” away from {books}? [y/N] "):
        print("Nothing was deleted.")
        return 1
    delete_tag(name, ctx.paths)
    print(f"Deleted the tag “{name}” from {books}.")
    print(ctx.undo_hint())
    return 0


def _confirmed(question: str) -> bool:
    try:
        answer = input(question)
    except EOFError:
        return False
    return answer.strip().casefold() in ("y", "yes")
