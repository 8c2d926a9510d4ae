"""Metadata dialogs on small screens: each asks for the size it reads best at, and gets no more
than its screen's free area (less the taskbar, and the title bar the window manager adds), so
on a 1366x768 laptop the whole dialog and its buttons show; its lists and tables scroll.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from bookorbit_desktop.ui.widgets import FRAME_ALLOWANCE


def available_area(widget: QWidget) -> QRect:
    """The free area of the screen `widget` shows on (its taskbars and panels left out)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_on_screen(dialog: QWidget, wanted: QSize) -> None:
    """Size `dialog` to `wanted`, or smaller where its screen has less room."""
    room = available_area(dialog).size() - FRAME_ALLOWANCE
    dialog.resize(wanted.boundedTo(room).expandedTo(dialog.minimumSizeHint()))
