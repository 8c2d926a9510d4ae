"""`hardcover match|pick|rematch|exclude|include` sub-commands."""

from __future__ import annotations

import argparse


def register_match_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the matching sub-commands under `hardcover`."""
