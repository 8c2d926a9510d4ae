"""Every control of the main window and its Settings dialog has a name a screen reader reads
(its text, a label that names it, or an accessible name) and takes the keyboard focus; the
menus stand in the usual order, Help last."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSlider,
    QWidget,
)

from bookorbit_desktop.ui.asyncqt import signal_future
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QSlider)
NOT_OURS = ("bookorbit_desktop.ui.highlights", "bookorbit_desktop.ui.crash")


def owned_elsewhere(widget: QWidget) -> bool:
    """Qt's own parts of a control (a spin box's editor, a combo box's list, a table's header,
    a tab bar's scroll buttons) and the controls of pages other people look after."""
    if widget.objectName().startswith("qt_") or isinstance(widget, QHeaderView):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if (
            isinstance(parent, (QComboBox, QAbstractSpinBox, QLineEdit))
            or type(parent).__name__ == "QTabBar"
        ):
            return True
        if type(parent).__module__.startswith(NOT_OURS):
            return True
        parent = parent.parentWidget()
    return type(widget).__module__.startswith(NOT_OURS)


def owner(widget: QWidget) -> str:
    """The nearest of our own widgets around `widget` (where to look for it)."""
    parent = widget.parentWidget()
    while parent is not None and not type(parent).__module__.startswith("bookorbit_desktop"):
        parent = parent.parentWidget()
    return "the window" if parent is None else type(parent).__name__


def named(widget: QWidget, labels: list[QLabel]) -> bool:
    if widget.accessibleName().strip():
        return True
    if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
        return True
    return any(label.buddy() is widget and label.text().strip() for label in labels)


def unnamed_or_unreachable(root: QWidget) -> list[str]:
    labels = root.findChildren(QLabel)
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or owned_elsewhere(widget):
            continue
        where = f"{type(widget).__name__} {widget.objectName()!r} in {owner(widget)}"
        if not named(widget, labels):
            found.append(f"no name: {where}")
        if widget.isEnabled() and widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            found.append(f"no focus: {where}")
    return found


def test_every_control_has_a_name_and_takes_the_focus(desktop, qloop):  # noqa: F811
    show_all(desktop, start_hidden=False)
    desktop.window.resize(1366, 768)

    async def settings() -> list[str]:
        opened = signal_future(desktop.controller.settings_opened)
        task = desktop.controller.open_settings()
        (dialog,) = await opened
        found = unnamed_or_unreachable(dialog)
        dialog.reject()
        await task
        return found

    found = unnamed_or_unreachable(desktop.window) + qloop.run_until_complete(settings())
    assert found == [], "\n".join(found)


def test_help_is_the_last_menu(desktop):  # noqa: F811
    titles = [action.text() for action in desktop.window.menuBar().actions()]
    assert titles[-1] == "&Help"
    assert titles.index("&Devices") < titles.index("&Help")
