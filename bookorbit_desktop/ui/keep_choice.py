"""A field changed both in the library and on hardcover.app, as the book panel and Review
Conflicts… show it: its two values, and Keep mine / Keep Hardcover's."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtWidgets import QPushButton

from bookorbit_desktop.services.hardcover import pulled
from bookorbit_desktop.services.hardcover.pulled import Choice

KEEPS = ((pulled.KEEP_LOCAL, "Keep mine"), (pulled.KEEP_HARDCOVER, "Keep Hardcover's"))


def both_values(choice: Choice) -> str:
    """The value here and the one on Hardcover, escaped for a rich-text label."""
    return f"Here: {html.escape(choice.local)} · On Hardcover: {html.escape(choice.hardcover)}"


def keep_buttons(
    choice: Choice, about: str, choose: Callable[[Choice, str], object]
) -> dict[str, QPushButton]:
    """A button per side (`pulled.KEEP_LOCAL`, `pulled.KEEP_HARDCOVER`), named for a screen
    reader with `about` (which field of which book); pressing one calls `choose(choice, keep)`."""
    buttons = {}
    for keep, words in KEEPS:
        button = QPushButton(words)
        button.setAccessibleName(f"{words} ({about})")
        button.clicked.connect(lambda _=False, k=keep: choose(choice, k))
        buttons[keep] = button
    return buttons
