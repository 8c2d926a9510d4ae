"""A 1366x768 laptop screen for widget tests: the offscreen platform's one screen is another
size, so the screen the app's code asks (`QScreen.geometry`, `availableGeometry`) is made to
answer 1366x768 with a 28-pixel panel at the bottom. A test module imports
`small_screen_fixture` to use `small_screen`."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen

WIDTH, HEIGHT, PANEL = 1366, 768, 28
FULL = QRect(0, 0, WIDTH, HEIGHT)
FREE = QRect(0, 0, WIDTH, HEIGHT - PANEL)


@pytest.fixture(name="small_screen")
def small_screen_fixture(monkeypatch) -> QRect:
    """Every screen is 1366x768; the free area (without the panel) is returned."""
    monkeypatch.setattr(QScreen, "geometry", lambda _screen: QRect(FULL))
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(FREE))
    monkeypatch.setattr(QScreen, "size", lambda _screen: FULL.size())
    monkeypatch.setattr(QScreen, "availableSize", lambda _screen: FREE.size())
    return QRect(FREE)
