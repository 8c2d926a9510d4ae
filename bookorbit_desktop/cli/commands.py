"""How a feature adds a sub-command: its name, its handler and whether it needs the library.

The handler's docstring speaks for the command: its first line is the command's line in the
list of commands, the rest its description in `--help`.

`main` opens the library before a handler that needs it, inside the same error handling as
the handler, so no handler repeats that step. A command registered as one that only `reads`
opens it without SQLite's quick check, which reads the whole file (most of a second for a large
library, more than `books SEARCH` itself): a damaged page it does read is reported as the check
would (`main`). Every other command, and a sub-action registered under a reading command with a
handler of its own (`books edit`), is checked first, so a new command is checked unless its
registration says otherwise.
"""

from __future__ import annotations

import argparse

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from bookorbit_desktop.cli.context import CliContext

    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
    Handler = Callable[[CliContext, argparse.Namespace], int]


def add_command(
    commands: Commands,
    name: str,
    handler: Handler,
    *,
    library: bool = True,
    reads: bool | Callable[[argparse.Namespace], bool] = False,
    page: str | None = None,
    **options: Any,
) -> argparse.ArgumentParser:
    """Sub-command `name`, run by `handler`; with `library`, the library is open before it.
    `reads` says the command never writes to the library (True, or a test of its arguments:
    `book ID` without options only shows the book), so it opens without the quick check.
    `options` go to the parser (a `description` other than the handler's docstring). `page`, a
    feature module's docstring, is the description of a command with many actions: its text
    after the first paragraph, laid out as written (its lists of actions keep their lines)."""
    if page:
        options.setdefault("description", page.partition("\n\n")[2])
        options.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
    summary, _, description = (handler.__doc__ or "").partition("\n\n")
    options.setdefault("description", description or summary)
    parser = commands.add_parser(name, help=summary, **options)
    parser.set_defaults(handler=handler, open_library=library, reads=(handler, reads))
    return parser


def only_reads(args: argparse.Namespace) -> bool:
    """Whether the command in `args` was registered as one that only reads the library. A
    sub-action's parser keeps the defaults of the command above it: the declaration counts
    only for the handler it was made for."""
    handler, reads = getattr(args, "reads", (None, False))
    if handler is not getattr(args, "handler", None):
        return False
    return bool(reads(args)) if callable(reads) else reads


def prepare(ctx: CliContext, args: argparse.Namespace) -> None:
    """What every command needs before its handler runs. A command that writes the library
    first finishes or rolls back the file work a stopped process left, as the window does as
    it starts (`removal.repair_files`): an undo then finds a stopped removal's files in the
    trash where its step says they are."""
    if getattr(args, "open_library", False):
        writes = not only_reads(args)
        ctx.open_library(check=writes)
        if writes:
            from bookorbit_desktop.library.editing.removal import repair_files

            repair_files()
