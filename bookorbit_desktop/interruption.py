"""How a Ctrl-C ends the program, wherever it lands: one line, then status 130."""

from __future__ import annotations

import sys

INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a program Ctrl-C ended


def interrupted() -> int:
    """Say that Ctrl-C ended the program; its exit status."""
    print("\nInterrupted.", file=sys.stderr)  # off the line the terminal showed ^C on
    return INTERRUPTED
