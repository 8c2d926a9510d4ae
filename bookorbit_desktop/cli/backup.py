"""`backup PATH` and `restore PATH`: a consistent copy of the library, and putting one back.

`backup` may run while the app or `serve` is running. `restore` replaces the database, so it
takes the library's lock (`library.store.owner`): it is refused while the window or `serve`
owns the library, and neither can start halfway through a restore. Nor does it run beside
another command that uses the library (an `import`, `books edit`): the restore has the library
to itself (`library.store.sharing`), and a command started meanwhile waits for it or is
refused.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.library.store.backup import backup_library
from bookorbit_desktop.library.store.owner import LibraryLock
from bookorbit_desktop.library.store.restore import restore_library


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's sub-commands to the parser."""
    for name, handler in (("backup", _backup), ("restore", _restore)):
        parser = add_command(commands, name, handler, library=False)
        parser.add_argument("path", type=Path, metavar="PATH")


def _backup(ctx: CliContext, args: argparse.Namespace) -> int:
    """copy the library (database, settings, covers) to one .zip file

    Write a consistent copy of the library database (books, reading state, settings, the
    sync account and Hardcover links) and the covers to one .zip file. It is safe while the app
    is running. PATH is a new file, or a folder to put a dated file in. The Hardcover token
    stays in the system keyring and is not copied."""
    ctx.use_library()  # no restore replaces the library while it is copied
    summary = backup_library(ctx.paths, args.path)
    print(
        f"Backed up {counted(summary.books, 'book')} and {counted(summary.covers, 'cover')} "
        f"to {summary.archive} "
        f"({summary.size / 1_000_000:.1f} MB)."
    )
    if summary.missing_covers:
        print(
            f"{counted(summary.missing_covers, 'cover')} "
            f"{'was' if summary.missing_covers == 1 else 'were'} not in the covers folder and "
            f"{'is' if summary.missing_covers == 1 else 'are'} not in the backup (a cover is "
            "made from its book when first shown, and again after a restore)."
        )
    return 0


def _restore(ctx: CliContext, args: argparse.Namespace) -> int:
    """replace the library with a backup (the current one is kept beside it)

    Replace the library with the one in a backup made by `backup`. The backup is checked
    first; the current library is kept in the data folder as
    library.sqlite3.before-restore-<time>.bak and covers.before-restore-<time>. Quit the app and
    stop `serve` first, and let a running `import` (or other command) finish."""
    ctx.close()
    with LibraryLock(ctx.paths.data_dir, "restore"):  # no window or server may hold it
        summary = restore_library(ctx.paths, args.path)
    print(
        f"Restored {counted(summary.books, 'book')} and {counted(summary.covers, 'cover')} "
        f"from the backup made "
        f"{summary.created}."
    )
    if kept := summary.kept():
        print(kept)
    if summary.covers_problem:
        print(summary.covers_problem)
    print(
        "Connect Hardcover again if this is a new computer (the token is not in backups), and "
        "import your book folders here so each book finds its file."
    )
    return 0
