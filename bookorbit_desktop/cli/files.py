"""`files`: tidy the library's file names (move each book's file to a name made from it).

files tidy --dry-run           show every rename, move nothing
files tidy                     move the files as previewed (into the library folder)
files tidy --copy              copy them there instead, keeping the originals
files tidy --undo              move the files of the last batch back (once)
files folder [DIR]             show or set the library folder the files go to
files pattern [PATTERN]        show or set the file-name pattern

Pattern placeholders: {author} {authors} {title} {series} {number} {year} {language};
text in [brackets] is left out when a placeholder in it is empty. The default is
"{author}/[{series} {number} - ]{title}". Moving to another drive copies each file, writes it
to disk and only then deletes the original: it needs --allow-copy.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.errors import InvalidValueError

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from bookorbit_desktop.library.files.mover import BatchResult, Move

_ACTIONS = ("tidy", "folder", "pattern")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's sub-command to the parser."""
    parser = add_command(commands, "files", run, page=__doc__)
    parser.add_argument("words", nargs="+", metavar="ACTION [VALUE]")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--dry-run", action="store_true", help="with tidy: show, move nothing")
    what.add_argument("--undo", action="store_true", help="with tidy: undo the last batch")
    parser.add_argument(
        "--copy", action="store_true", help="with tidy: copy the files, keep the originals"
    )
    parser.add_argument(
        "--allow-copy",
        action="store_true",
        help="with tidy: files may be copied to another drive (then deleted where they were)",
    )


def run(ctx: CliContext, args: argparse.Namespace) -> int:
    """Tidy file names: preview, move, undo; set the library folder and the pattern"""
    words: list[str] = list(args.words)
    action = words.pop(0)
    if action not in _ACTIONS:
        raise InvalidValueError(f"Unknown action {action!r}: use one of {', '.join(_ACTIONS)}.")
    if action in ("folder", "pattern"):
        return _setting(action, words)
    if words:
        raise InvalidValueError("Usage: bookorbit-desktop files tidy [--dry-run | --undo]")
    from bookorbit_desktop.library.files import mover

    def report(move: mover.Move, state: str) -> None:
        print(f"{state}: {move.old} -> {move.new}", flush=True)

    try:
        return _tidy(args, report)
    except mover.CrossDeviceError as error:
        raise mover.CrossDeviceError(
            f"{error.message} (On the command line, --allow-copy confirms the copy.)"
        ) from None


def _tidy(args: argparse.Namespace, report: Callable[[Move, str], None]) -> int:
    from bookorbit_desktop.library.files import mover

    if args.undo:
        result = mover.undo_last(allow_copy=args.allow_copy, on_file=report)
        for move, why in result.failed:
            print(f"Not moved back: {move.old}: {why}")
        _kept(result)
        print(f"Moved {counted(len(result.done), 'file')} back.")
        return 1 if result.failed else 0
    planned = mover.preview()
    if args.dry_run:
        for item in planned:
            note = "  (another drive: copy, then delete)" if item.cross_device else ""
            print(f"{item.rename.old} -> {item.rename.new}{note}")
        print(f"{counted(len(planned), 'file')} would move. Nothing moved (--dry-run).")
        return 0
    result = mover.tidy(planned, allow_copy=args.allow_copy, keep=args.copy, on_file=report)
    for move, why in result.failed:
        print(f"Not moved: {move.old}: {why}")
    _kept(result)
    print(
        f"{'Copied' if args.copy else 'Moved'} {counted(len(result.done), 'file')}"
        + (f", {len(result.failed)} not moved" if result.failed else "")
        + ". Undo with `bookorbit-desktop files tidy --undo`."
    )
    return 1 if result.failed else 0


def _kept(result: BatchResult) -> None:
    for move, why in result.kept:
        print(f"Moved, but {why}: {move.old} -> {move.new}")


def _setting(action: str, words: list[str]) -> int:
    from bookorbit_desktop.library.files.plan import PatternError, check_pattern
    from bookorbit_desktop.library.store.settings import get_setting, set_setting

    key = "library.tidy_folder" if action == "folder" else "library.tidy_pattern"
    if len(words) > 1:
        raise InvalidValueError(f"Usage: bookorbit-desktop files {action} [VALUE]")
    if words:
        value = words[0]
        if action == "folder":
            folder = Path(value).expanduser()
            if not folder.is_dir():
                raise InvalidValueError(f"{value} is not a folder. Create it first.")
            value = str(folder.resolve())
        else:
            try:
                check_pattern(value)
            except PatternError as error:
                raise InvalidValueError(str(error)) from None
        set_setting(key, value)
    print(f"Library {action}: {get_setting(key) or 'not chosen'}")
    return 0
