"""The command line: `bookorbit-desktop [gui|import|books|book|serve|kosync|hardcover|backup|
restore|about|stats|undo|redo|history] ...`.

Each feature registers its own sub-commands (`library`, `server`, the `hardcover` package);
this module only parses the shared options, sets up logging, opens the library and turns
domain errors into one clear line and an exit code instead of a traceback; output cut short by
its reader (`books | head`) ends the command quietly.

A command loads only its own feature's module: `books` never imports Qt, aiohttp or the
Hardcover stack, which keeps a short command short. `--help` and unknown words load them all.
Nor does this module load the ORM: an `import` with nothing new never needs it.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from bookorbit_desktop import APP_NAME, __version__
from bookorbit_desktop.cli.commands import prepare
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.data_folder import data_folder_from_window, usable_paths
from bookorbit_desktop.errors import CONNECT, BookOrbitError
from bookorbit_desktop.interruption import interrupted
from bookorbit_desktop.logging_setup import setup_logging

log = logging.getLogger(__name__)


# The module that registers each command (its `register(commands)`), so that one command
# imports only what it needs. tests/cli checks this table against the full parser.
FEATURE_MODULES = {
    "import": "bookorbit_desktop.cli.importing",
    "books": "bookorbit_desktop.cli.library",
    "book": "bookorbit_desktop.cli.library",
    "serve": "bookorbit_desktop.cli.server",
    "kosync": "bookorbit_desktop.cli.kosync",
    "hardcover": "bookorbit_desktop.cli.hardcover.account",
    "backup": "bookorbit_desktop.cli.backup",
    "restore": "bookorbit_desktop.cli.backup",
    "about": "bookorbit_desktop.cli.about",
    "stats": "bookorbit_desktop.cli.stats",
    "highlights": "bookorbit_desktop.cli.highlights",
    "device": "bookorbit_desktop.cli.devices",
    "devices": "bookorbit_desktop.cli.devices",
    "progress": "bookorbit_desktop.cli.progress",
    "metadata": "bookorbit_desktop.cli.metadata",
    "inbox": "bookorbit_desktop.cli.inbox",
    "files": "bookorbit_desktop.cli.files",
    "undo": "bookorbit_desktop.cli.undo",
    "redo": "bookorbit_desktop.cli.undo",
    "history": "bookorbit_desktop.cli.undo",
    "tags": "bookorbit_desktop.cli.tags",
    "book-reads": "bookorbit_desktop.cli.reads",
}
_OPTIONS_WITH_VALUES = ("--data-dir",)
# Commands typed as two words, registered as one (`book ID` takes any number of ids).
_TWO_WORDS = {("book", "reads"): "book-reads"}


def joined_words(argv: Sequence[str]) -> list[str]:
    """`argv` with a command typed as two words (`book reads`) as the one it is registered as."""
    words = list(argv)
    first = command_word(words)
    if first is not None:
        at = words.index(first)
        joined = _TWO_WORDS.get((first, words[at + 1] if at + 1 < len(words) else ""))
        if joined:
            words[at : at + 2] = [joined]
    return words


def command_word(argv: Sequence[str]) -> str | None:
    """The sub-command named in `argv` (the first word that is not an option), or None."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if word in _OPTIONS_WITH_VALUES:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def command_name(args: argparse.Namespace) -> str:
    """The command in parsed `args` with its action, as typed ("import", "books edit"): the
    words that name this process to a restore it refuses."""
    words = [args.command or "gui"]
    for key, value in vars(args).items():
        if key.endswith(("_command", "_action")) and isinstance(value, str):
            words.append(value)
    return " ".join(words)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with a known `command`, only that command's feature is registered."""
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="Your ebook library, KOReader progress sync and Hardcover tracking.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep the library, covers and logs in DIR (also: BOOKORBIT_DATA_DIR)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="also log to stderr")
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add BookOrbit to the desktop's app menu (for this user) and exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = commands.add_parser("gui", help="open the desktop app (the default)")
    gui.add_argument("--hidden", action="store_true", help="start in the system tray only")
    gui.set_defaults(handler=_run_gui)
    if command == "gui":
        return parser
    if command in FEATURE_MODULES:
        wanted = [FEATURE_MODULES[command]]
    else:
        wanted = list(dict.fromkeys(FEATURE_MODULES.values()))
    for name in wanted:
        importlib.import_module(name).register(commands)
    return parser


def _run_gui(ctx: CliContext, args: argparse.Namespace) -> int:
    """The desktop app; a failure to start is shown in a window (who starts it from a menu
    sees no terminal) and printed, never left as a bare traceback."""
    from bookorbit_desktop.gc_pause import paused_collection
    from bookorbit_desktop.system_libraries import (
        MissingLibrariesError,
        NoDisplayError,
        check_libraries,
    )
    from bookorbit_desktop.ui.startup_error import notify_desktop, show_startup_error

    try:
        check_libraries()  # before Qt loads: a missing one would abort it without a word
    except MissingLibrariesError as error:
        notify_desktop(error.title, error.message)  # Qt cannot show a window now
        raise  # main() prints it and exits with 2
    try:
        # The window's modules make tens of thousands of objects that live as long as the app:
        # the cycle collector's scans while they load (about a tenth of the time) would find
        # nothing. The window's own collector freezes them once it starts (`ui.gc_guard`).
        with paused_collection():
            from bookorbit_desktop.app import run_gui  # Qt only when wanted

        return run_gui(ctx.paths, start_hidden=args.hidden)
    except BookOrbitError as error:
        if not isinstance(error, NoDisplayError):
            show_startup_error(error.title, error.message)
        raise  # main() prints it and exits with 2
    except Exception as error:
        log.exception("BookOrbit Desktop could not start")
        message = (
            f"BookOrbit Desktop could not start: {error.__class__.__name__}: {error}. "
            f"The details are in the log file in {ctx.paths.log_dir}; please attach it to a "
            "bug report."
        )
        print(f"{APP_NAME}: {message}", file=sys.stderr)
        show_startup_error("BookOrbit Desktop could not start", message)
        return 1


# How the command line does what an error's remedy asks (the window has its own controls).
_REMEDIES = {
    CONNECT: "Connect with: bookorbit-desktop hardcover connect --token-stdin (or, for one run "
    "without saving it, set BOOKORBIT_HARDCOVER_TOKEN or pass hardcover --token-file FILE).",
}


def remedy_hint(remedy: str | None) -> str:
    """How the command line does what `remedy` asks ("" when it has no words for it)."""
    return _REMEDIES.get(remedy, "") if remedy else ""


def _remedy(error: BookOrbitError) -> str:
    hint = remedy_hint(error.remedy)
    return f" {hint}" if hint else ""


def _install_desktop_entry() -> int:
    from bookorbit_desktop.services.autostart import install_desktop_entry

    try:
        written = install_desktop_entry()
    except BookOrbitError as error:
        print(f"{APP_NAME}: {error.title}: {error.message}", file=sys.stderr)
        return 2
    print(f"Added BookOrbit Desktop to the app menu: {written[0]}")
    print(f"Icons: {len(written) - 1} files under {written[-1].parents[2]}")
    return 0


def _library_errors() -> tuple[type[Exception], ...]:
    """The ORM's database errors, if the command loaded it (if not, none can have happened)."""
    peewee = sys.modules.get("peewee")
    if peewee is None:
        return ()
    # Rows are read outside peewee's error wrapper: SQLite's own errors arrive as they are.
    return (peewee.DatabaseError, sys.modules["sqlite3"].DatabaseError)


# The status a shell reports for a command stopped by SIGPIPE (128 + 13), as `ls | head` gives.
OUTPUT_CLOSED = 141


def _output_closed() -> int:
    """The program reading the output stopped early (`books | head`): end quietly. What is
    still buffered, and anything written while exiting, goes to /dev/null instead."""
    log.info("The output was closed before the command finished")
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        # A stream without a descriptor (replaced by a caller) has nothing to redirect.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
    return OUTPUT_CLOSED


def main(argv: Sequence[str] | None = None) -> int:
    arguments = joined_words(sys.argv[1:] if argv is None else argv)
    help_wanted = any(word in ("-h", "--help") for word in arguments)
    parser = build_parser(None if help_wanted else command_word(arguments))
    args = parser.parse_args(arguments)
    if args.install_desktop_entry:
        return _install_desktop_entry()
    handler = getattr(args, "handler", _run_gui)
    if not hasattr(args, "hidden"):
        args.hidden = False
    try:
        paths = usable_paths(args.data_dir)
    except BookOrbitError as error:  # no log yet: the log folder is inside the data folder
        print(f"{APP_NAME}: {error.title}: {error.message}", file=sys.stderr)
        if handler is not _run_gui:
            return 2
        chosen = data_folder_from_window(error, choice=args.data_dir != "")
        if chosen is None:
            return 2
        paths = chosen
    setup_logging(paths.log_dir, verbose=args.verbose)
    ctx = CliContext(paths, command_name(args), args.data_dir)
    try:
        prepare(ctx, args)
        status = int(handler(ctx, args) or 0)
        sys.stdout.flush()  # a reader that went away shows here, not as a traceback at exit
        return status
    except BrokenPipeError:
        return _output_closed()
    except BookOrbitError as error:
        print(f"{APP_NAME}: {error.title}: {error.message}{_remedy(error)}", file=sys.stderr)
        log.info("%s: %s", error.title, error.message)
        return 2
    except _library_errors() as error:
        from bookorbit_desktop.library.store.db import read_damage

        damage = read_damage(paths.db_file, error)
        if damage is not None:  # met by a read (a command that only reads was not checked)
            print(f"{APP_NAME}: {damage.title}: {damage.message}", file=sys.stderr)
            log.error("%s", damage.message)
            return 2
        # Locked by another program, a full disk, a refused write: one line, not a traceback.
        print(
            f"{APP_NAME}: Library error: the library database could not be used ({error}). "
            "If BookOrbit is busy in another window or command, let it finish; check that the "
            "disk has free space; then run the command again. Work finished before this point "
            "is kept.",
            file=sys.stderr,
        )
        log.error("Library database error: %s", error)
        return 2
    except KeyboardInterrupt:
        return interrupted()
    finally:
        ctx.close()
