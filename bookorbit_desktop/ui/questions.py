"""Questions asked before an action: Cancel is the default button, so Enter never removes,
moves, merges or replaces anything the user may not have meant to."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from bookorbit_desktop.ui.text import show_plain


def yes_or_cancel(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """A question answered Yes or Cancel."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return show_plain(box)


def action_or_cancel(
    parent: QWidget | None, title: str, text: str, action: str, *, destructive: bool = False
) -> tuple[QMessageBox, QPushButton]:
    """A question answered by a button named for what it does (`action`, "&Merge") or Cancel;
    the box and that button (`box.clickedButton() is button` once answered). A `destructive`
    action gets the warning icon and the destructive role."""
    icon = QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Cancel, parent)
    role = (
        QMessageBox.ButtonRole.DestructiveRole if destructive else QMessageBox.ButtonRole.AcceptRole
    )
    button = box.addButton(action, role)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return show_plain(box), button
