"""`import --calibre-library DIR`: bring a calibre library in, its files where they are and its
metadata.db only read (`library.importer.calibre`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import counted

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from typing import Protocol

    from bookorbit_desktop.library.importer.summary import ImportProgress, ImportSummary

    class ProgressPrinter(Protocol):  # `importing.ProgressPrinter`
        def __call__(self, event: ImportProgress) -> None: ...
        def finish(self) -> None: ...


def add_calibre_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--calibre-library",
        metavar="DIR",
        help="bring in the calibre library in DIR: its files stay where they are, its "
        "metadata.db is only read; again, it brings what changed in calibre since",
    )
    parser.add_argument(
        "--status-column",
        metavar="COLUMN",
        help="with --calibre-library: the calibre column that gives the reading status "
        "(a yes/no column, or one of words such as Read, Reading, To read), e.g. '#read'",
    )
    parser.add_argument(
        "--finished-column",
        metavar="COLUMN",
        help="with --status-column: the calibre date column that gives the finish date of a "
        "book it marks read, e.g. '#date_read' (without it such books have no finish date)",
    )


def run_calibre_import(
    ctx: CliContext,
    args: argparse.Namespace,
    printer: ProgressPrinter,
    summary_lines: Callable[[ImportSummary], list[str]],
) -> int:
    """Bring the calibre library in; `printer` shows the files' progress and `summary_lines`
    says what the file import did, as `import` does for files."""
    from bookorbit_desktop.errors import InvalidValueError
    from bookorbit_desktop.library.importer.calibre.apply import import_calibre

    if args.calibre_library is None or args.paths:
        print("Give files and folders, or --calibre-library DIR, not both.", file=sys.stderr)
        return 2
    ctx.use_library()
    try:
        summary = import_calibre(
            args.calibre_library,
            ctx.paths,
            open_library=ctx.open_library,
            progress=printer,
            status_column=args.status_column,
            finished_column=args.finished_column,
        )
    except InvalidValueError as error:
        print(error, file=sys.stderr)
        return 2
    finally:
        printer.finish()
    for line in summary_lines(summary.files):
        print(line)
    step = " (one undo step)" if summary.brought else ""
    print(
        f"calibre: {counted(summary.books, 'book')} read, "
        f"{counted(summary.brought, 'book')} given calibre's fields{step}."
    )
    if summary.undated:
        why = (
            f"calibre's #{summary.finished_column} holds none"
            if summary.finished_column
            else "no date column was named (--finished-column)"
        )
        print(f"{counted(summary.undated, 'book')} marked read without a finish date: {why}.")
    if summary.missing:
        print(f"{counted(len(summary.missing), 'file')} calibre lists could not be found:")
        for path in summary.missing:
            print(f"  {path}")
    return 0 if summary.files.ok and not summary.missing else 1
