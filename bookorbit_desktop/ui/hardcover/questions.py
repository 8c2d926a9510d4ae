"""The page's confirmations: a question whose action button is named for what it does and
whose default is Cancel, so Enter never removes or disconnects anything."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from bookorbit_desktop.ui.asyncqt import run_dialog


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
    icon = QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Cancel, window)
    role = (
        QMessageBox.ButtonRole.DestructiveRole if destructive else QMessageBox.ButtonRole.AcceptRole
    )
    chosen = box.addButton(action, role)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    await run_dialog(box, lambda: opened(box))
    return box.clickedButton() is chosen
