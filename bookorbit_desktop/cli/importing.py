"""`import` sub-command: fill the library from files and folders, with progress on stderr.

Loads neither the ORM nor the ebook readers until a file needs reading or the library needs
writing: an import with nothing new is a query and a stat() per file (`importer.unchanged`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence

from bookorbit_desktop.cli.calibre_import import add_calibre_arguments, run_calibre_import
from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.interruption import INTERRUPTED
from bookorbit_desktop.library.importer.summary import ImportOutcome

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from typing import TextIO

    from bookorbit_desktop.library.importer.summary import ImportProgress, ImportSummary

REDRAW_SECONDS = 0.1


def shown(path: object) -> str:
    """A path as printable text: names in a legacy encoding show their odd bytes escaped."""
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `import` sub-command to the parser."""
    parser = add_command(
        commands,
        "import",
        run_import,
        library=False,  # opened only when a file is new or changed
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="a file or a folder")
    add_calibre_arguments(parser)


class ProgressPrinter:
    """A one-line progress bar with count and ETA on a terminal; plain lines otherwise.

    The plain lines leave out the unchanged files unless `list_unchanged`: the summary counts
    them, and a line for each of a large library's known files buried the few that changed
    (and cost more than deciding that they had not)."""

    def __init__(
        self,
        stream: TextIO,
        *,
        interactive: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        list_unchanged: bool = True,
    ) -> None:
        self.stream = stream
        self.interactive = stream.isatty() if interactive is None else interactive
        self.clock = clock
        self.list_unchanged = list_unchanged
        self._last_draw = float("-inf")
        self._drawn = False
        self._lines: list[str] = []  # plain lines not written yet (no terminal)
        self.imported = 0  # new books reported: each is in the library, whole

    def __call__(self, event: ImportProgress) -> None:
        if event.outcome == ImportOutcome.IMPORTED:
            self.imported += 1
        if not self.interactive:
            # Written in blocks, at most every REDRAW_SECONDS: a write and a flush for each of
            # a large library's files cost more than importing the one new book among them.
            if self.list_unchanged or event.outcome != ImportOutcome.UNCHANGED:
                self._lines.append(
                    _line(event.done, event.total, event.outcome, event.file, event.reason) + "\n"
                )
            now = self.clock()
            if event.done >= event.total or now - self._last_draw >= REDRAW_SECONDS:
                self._last_draw = now
                self._write_lines()
            return
        if event.outcome == ImportOutcome.FAILED:
            self._clear()
            print(f"failed: {shown(event.file)}: {event.reason}", file=self.stream)
        now = self.clock()
        if event.done < event.total and now - self._last_draw < REDRAW_SECONDS:
            return
        self._last_draw = now
        self._draw(event)

    def unchanged(self, files: Sequence[str], total: int, elapsed: float) -> None:
        """Report the files found unchanged, the first of `total`, as their events one by one
        would end up on the stream: a line each, or the bar where they end (written at once,
        and no Path made)."""
        if not files:
            return
        if not self.interactive:
            if not self.list_unchanged:
                return
            self._write_lines()
            # `_line` for each, its path made printable once for all and the text the lines
            # share made once (a call per file was most of the time of answering a large
            # library's unchanged import).
            middle = f"/{total}] {ImportOutcome.UNCHANGED}: "
            lines = [f"[{done}{middle}{path}\n" for done, path in enumerate(files, 1)]
            self.stream.write(shown("".join(lines)))
            self.stream.flush()
            return
        self._last_draw = self.clock()
        self._draw_bar(len(files), total, elapsed, os.path.basename(files[-1]))

    def _write_lines(self) -> None:
        if self._lines:
            self.stream.write("".join(self._lines))
            self.stream.flush()
            self._lines = []

    def _draw(self, event: ImportProgress) -> None:
        self._draw_bar(event.done, event.total, event.elapsed, os.path.basename(event.file))

    def _draw_bar(self, done: int, total: int, elapsed: float, file_name: str) -> None:
        width = _terminal_width()
        fraction = done / total if total else 1.0
        bar_width = 24
        filled = int(bar_width * fraction)
        bar = "#" * filled + "-" * (bar_width - filled)
        eta = format_eta(elapsed, done, total)
        name = shown(file_name)
        text = f"[{bar}] {done}/{total} {fraction:4.0%} ETA {eta}  {name}"
        self.stream.write("\r" + text[: max(width - 1, 10)].ljust(max(width - 1, 10)))
        self.stream.flush()
        self._drawn = True

    def _clear(self) -> None:
        if self._drawn:
            width = _terminal_width()
            self.stream.write("\r" + " " * max(width - 1, 10) + "\r")
            self._drawn = False

    def finish(self) -> None:
        self._write_lines()
        if self.interactive and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def _line(
    done: int, total: int, outcome: ImportOutcome, path: object, reason: str | None = None
) -> str:
    """One file's progress line when the stream is no terminal."""
    line = f"[{done}/{total}] {outcome}: {shown(path)}"
    return f"{line}: {reason}" if reason else line


def _terminal_width() -> int:
    import shutil  # with bz2, lzma and more: only a terminal's progress bar needs it

    return shutil.get_terminal_size((80, 20)).columns


def format_eta(elapsed: float, done: int, total: int) -> str:
    """Remaining time as M:SS (or H:MM:SS) from the pace so far; "--:--" before any file."""
    if done <= 0 or elapsed <= 0:
        return "--:--"
    remaining = round(elapsed / done * (total - done))
    hours, rest = divmod(remaining, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def summary_lines(summary: ImportSummary) -> list[str]:
    """The import summary as the CLI prints it."""
    parts = [f"{counted(summary.imported, 'new book')} imported"]
    for count, text in (
        (summary.copies, "another copy of a known book"),
        (summary.moved, "moved or renamed"),
        (summary.updated, "changed since the last import"),
        (summary.unchanged, "unchanged"),
        (summary.left_out, "left out (removed from the library; a changed file comes back)"),
    ):
        if count:
            parts.append(f"{count} {text}")
    if summary.failures:
        parts.append(f"{len(summary.failures)} failed")
    lines = [", ".join(parts) + f" ({summary.elapsed:.1f} s)."]
    if summary.cancelled:
        lines.append("The import was stopped before the end; run it again to continue.")
    if summary.failures:
        lines.append(f"{counted(len(summary.failures), 'file')} could not be imported:")
        lines.extend(f"  {shown(failure.path)}: {failure.reason}" for failure in summary.failures)
    if summary.collisions:
        lines.append(
            "Different files with the same KOReader document id (partial MD5); progress "
            "KOReader syncs for that id belongs to either book, so both are kept and shown:"
        )
        lines.extend(
            f"  {c.document}: {shown(c.path)} (book {c.book_id}) and {shown(c.other_path)} "
            f"(book {c.other_book_id})"
            for c in summary.collisions
        )
    if summary.adopted:
        lines.append(f"Earlier KOReader progress linked to {counted(summary.adopted, 'book')}.")
    return lines


def run_import(ctx: CliContext, args: argparse.Namespace) -> int:
    """import ebook files and folders (folders are searched recursively)

    Import EPUB, PDF, CBZ, MOBI, AZW3 and FB2 files. Importing the same files again is quick
    and changes nothing. Exit status 0 when every file was imported, 1 when some could not be.
    Without a terminal each file gets a line on stderr; unchanged files only with --verbose."""
    from bookorbit_desktop.library.importer.complete import import_sources

    printer = ProgressPrinter(sys.stderr, list_unchanged=args.verbose)
    if args.calibre_library is not None or not args.paths:
        return run_calibre_import(ctx, args, printer, summary_lines)
    ctx.use_library()  # from its first read of the library on: no restore under it
    try:
        summary = import_sources(
            args.paths,
            ctx.paths,
            open_library=ctx.open_library,
            progress=printer,
            on_unchanged=printer.unchanged,
        )
    except KeyboardInterrupt:
        summary = None
    finally:
        printer.finish()
    if summary is None:
        # A file is reported once its batch is committed: these books are kept, each whole.
        kept = counted(printer.imported, "new book")
        print(
            f"Import interrupted: {kept} imported before it. Import again to finish.",
            file=sys.stderr,
        )
        return INTERRUPTED
    for line in summary_lines(summary):
        print(line)
    return 0 if summary.ok else 1
