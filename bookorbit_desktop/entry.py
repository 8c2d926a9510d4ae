"""The `bookorbit-desktop` program. Loading the command line takes a moment, and a Ctrl-C in it
ends the program as one during a command does (`interruption`), not with a traceback."""

from __future__ import annotations

from bookorbit_desktop.interruption import interrupted


def main() -> int:
    try:
        from bookorbit_desktop.cli import main as command_line

        return command_line()
    except KeyboardInterrupt:
        return interrupted()
