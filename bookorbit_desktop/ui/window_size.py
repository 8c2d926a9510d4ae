"""The main window's first size, before the user has sized it: room for the library table's
columns beside the book panel where the screen has it, the whole free area where it has not.

A laptop screen (1366x768, 1280x720) cannot hold the wanted size with room to spare: there the
window opens maximised, so no title is cut by a window a little smaller than the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize

# What the table and the panel want side by side, and the share of a big screen they take.
WANTED = QSize(1400, 820)
SHARE = 0.9
# Below this free area (either way), the window opens maximised.
SMALL_SCREEN = QSize(1600, 900)


@dataclass(frozen=True)
class FirstSize:
    size: QSize  # the normal (unmaximised) size, within the free area
    maximised: bool


def first_size(free: QRect) -> FirstSize:
    """The window's first size on a screen whose free area (without panels) is `free`."""
    small = free.width() < SMALL_SCREEN.width() or free.height() < SMALL_SCREEN.height()
    if small:
        return FirstSize(free.size(), maximised=True)
    wanted = WANTED.boundedTo(QSize(int(free.width() * SHARE), int(free.height() * SHARE)))
    return FirstSize(wanted, maximised=False)
