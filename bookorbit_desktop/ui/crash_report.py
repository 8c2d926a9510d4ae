"""What the crash dialog puts on the clipboard, and the command line that starts the app again.

Plain functions without Qt: the report is text a user pastes into a bug report, so every
credential is masked in it (the same masking the log file gets), whatever the traceback quotes.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass

from bookorbit_desktop import APP_DISPLAY_NAME
from bookorbit_desktop.logging_setup import redact


@dataclass(frozen=True)
class Versions:
    """What a bug report needs to know about the running program."""

    app: str
    python: str
    qt: str
    system: str


def traceback_text(error: BaseException) -> str:
    """`error`'s traceback as Python prints it, credentials masked."""
    return redact("".join(traceback.format_exception(error)).rstrip("\n"))


def crash_report(tracebacks: Sequence[str], versions: Versions) -> str:
    """The report to paste into a bug report: versions first, then each traceback in order."""
    lines = [
        f"{APP_DISPLAY_NAME} {versions.app}",
        f"Python {versions.python}",
        f"Qt {versions.qt}",
        f"System: {versions.system}",
    ]
    for number, trace in enumerate(tracebacks, start=1):
        heading = f"Error {number} of {len(tracebacks)}:" if len(tracebacks) > 1 else "Error:"
        lines += ["", heading, trace.rstrip("\n")]
    return redact("\n".join(lines)) + "\n"


def restart_command(
    executable: str,
    orig_argv: Sequence[str],
    argv: Sequence[str],
    *,
    frozen: bool,
    shown: bool = False,
) -> list[str]:
    """The command line that started this process, to start it again: the interpreter with
    its own options (`-m bookorbit_desktop`, a script path); a frozen build's binary with its
    arguments. With `shown`, without `--hidden`: an app started in the tray only (at login)
    comes back with its window, where the user asked for the restart."""
    arguments = argv[1:] if frozen else orig_argv[1:]
    if shown:
        arguments = [argument for argument in arguments if argument != "--hidden"]
    return [executable, *arguments]
