"""Sub-commands for the hardcover feature."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this feature's sub-commands to the parser."""
