"""Menu actions as the window's screens make them, and their place in a view's right-click
menu."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def menu_action(
    parent: QObject,
    text: str,
    triggered: Callable[[], object],
    *,
    shortcut: QKeySequence | str | None = None,
    tip: str | None = None,
) -> QAction:
    """An action that calls `triggered()` (the checked flag is not passed); `shortcut` its
    keys, `tip` what the status bar says while the pointer is on it."""
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda: triggered())
    return action


def in_context_menus(widgets: Iterable[QWidget], *actions: QAction) -> None:
    """Put `actions` in each widget's right-click menu: a widget with a menu of its own keeps
    it; otherwise the menu lists the widget's actions."""
    for widget in widgets:
        if widget.contextMenuPolicy() == Qt.ContextMenuPolicy.DefaultContextMenu:
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in actions:
            widget.addAction(action)
