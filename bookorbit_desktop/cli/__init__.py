"""The command line: `bookorbit-desktop [gui|import|books|book|serve|kosync|hardcover|backup|
restore|about] ...`.

Each feature registers its own sub-commands (`library`, `server`, the `hardcover` package);
this module only parses the shared options, sets up logging, opens the library and turns
domain errors into one clear line and an exit code instead of a traceback.

A command loads only its own feature's module: `books` never imports Qt, aiohttp or the
Hardcover stack, which keeps a short command short. `--help` and unknown words load them all.
Nor does this module load the ORM: an `import` with nothing new never needs it.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from bookorbit_desktop import APP_NAME, __version__
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.logging_setup import setup_logging

log = logging.getLogger(__name__)


# The module that registers each command (its `register(commands)`), so that one command
# imports only what it needs. tests/cli checks this table against the full parser.
FEATURE_MODULES = {
    "import": "bookorbit_desktop.cli.importing",
    "books": "bookorbit_desktop.cli.library",
    "book": "bookorbit_desktop.cli.library",
    "serve": "bookorbit_desktop.cli.server",
    "kosync": "bookorbit_desktop.cli.server",
    "hardcover": "bookorbit_desktop.cli.hardcover.account",
    "backup": "bookorbit_desktop.cli.backup",
    "restore": "bookorbit_desktop.cli.backup",
    "about": "bookorbit_desktop.cli.about",
}
_OPTIONS_WITH_VALUES = ("--data-dir",)


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


def _library_errors() -> tuple[type[Exception], ...]:
    """The ORM's database errors, if the command loaded it (if not, none can have happened)."""
    peewee = sys.modules.get("peewee")
    if peewee is None:
        return ()
    # Rows are read outside peewee's error wrapper: SQLite's own errors arrive as they are.
    return (peewee.DatabaseError, sys.modules["sqlite3"].DatabaseError)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    help_wanted = any(word in ("-h", "--help") for word in arguments)
    parser = build_parser(None if help_wanted else command_word(arguments))
    args = parser.parse_args(arguments)
    handler = getattr(args, "handler", _run_gui)
    if not hasattr(args, "hidden"):
        args.hidden = False
    paths = resolve_paths(args.data_dir)
    paths.ensure()
    setup_logging(paths.log_dir, verbose=args.verbose)
    ctx = CliContext(paths)
    try:
        return int(handler(ctx, args) or 0)
    except BookOrbitError as error:
        print(f"{APP_NAME}: {error.title}: {error.message}", file=sys.stderr)
        log.info("%s: %s", error.title, error.message)
        return 2
    except _library_errors() as error:
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
        print(file=sys.stderr)
        return 130
    finally:
        ctx.close()
