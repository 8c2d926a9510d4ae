"""`undo`, `redo` and `history`: the library's change journal on the command line.

undo        take back the latest change (an edit, a metadata apply or fill, a reading change,
            a removal, a tidy of file names)
redo        do the last undone change again
history     list the changes the journal keeps, latest first (--book ID: only that book's)
"""

from __future__ import annotations

import argparse

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from bookorbit_desktop.services.undo import UndoService


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's sub-commands to the parser."""
    add_command(commands, "undo", undo)
    add_command(commands, "redo", redo)
    history_parser = add_command(commands, "history", history, reads=True)
    history_parser.add_argument("--book", type=int, metavar="ID", help="only this book's changes")
    history_parser.add_argument(
        "--limit", type=int, default=20, metavar="N", help="show the latest N changes (20)"
    )


def _service(ctx: CliContext) -> UndoService:
    from bookorbit_desktop.services.undo import UndoService

    return UndoService(ctx.paths)


def undo(ctx: CliContext, args: argparse.Namespace) -> int:
    """Take back the latest change to the library

    Writes back the values the change replaced. A field changed since by something else (you,
    an import, a pull from Hardcover) is left as it is and named. A restored reading state is
    sent to Hardcover by the next sync like any edit."""
    done = _service(ctx).undo()
    print(done.text() if done else "Nothing to undo.")
    return 0


def redo(ctx: CliContext, args: argparse.Namespace) -> int:
    """Do the last undone change again

    Writes the change's values again, leaving (and naming) a field changed since the undo."""
    done = _service(ctx).redo()
    print(done.text() if done else "Nothing to redo.")
    return 0


def history(ctx: CliContext, args: argparse.Namespace) -> int:
    """List the changes undo can take back, latest first

    The journal keeps the last 100 changes; an undone change is dropped by the next new one."""
    lines = _service(ctx).history(args.limit, args.book)
    if not lines:
        print("No changes kept." if args.book is None else f"No changes kept for book {args.book}.")
        return 0
    for line in lines:
        print(f"{line.when}  {line.label}{'  (undone)' if line.undone else ''}")
        for book_id, text in line.changes:
            print(f"    book {book_id}: {text}")
    return 0
