"""The page's confirmations: a question whose action button is named for what it does and
whose default is Cancel, so Enter never removes or disconnects anything."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from bookorbit_desktop.ui.asyncqt import run_dialog
from bookorbit_desktop.ui.questions import action_or_cancel


async def confirm(
    window: QWidget,
    title: str,
    text: str,
    action: str,
    opened: Callable[[QMessageBox], object],
    *,
    destructive: bool = False,
) -> bool:
    """Ask; True only when the user pressed the `action` button."""
    box, chosen = action_or_cancel(window, title, text, action, destructive=destructive)
    await run_dialog(box, lambda: opened(box))
    return box.clickedButton() is chosen
