"""Every metadata dialog fits a 1366x768 laptop screen (its free area less a 40 px taskbar):
opened there, the whole dialog and every one of its buttons are on the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QDialog, QPushButton

from bookorbit_desktop.services.metadata.apply import FillPlan, LeftOut
from bookorbit_desktop.ui.metadata import screen_fit
from bookorbit_desktop.ui.metadata.batch_dialog import BatchDialog
from bookorbit_desktop.ui.metadata.fetch_dialog import FetchDialog
from bookorbit_desktop.ui.metadata.fill_review import FillReview
from bookorbit_desktop.ui.widgets import FRAME_ALLOWANCE
from tests.ui.metadata.conftest import emitted, wait

LAPTOP = QRect(0, 0, 1366, 768 - 40)  # the screen's free area above the taskbar


@pytest.fixture
def laptop(monkeypatch):
    monkeypatch.setattr(screen_fit, "available_area", lambda _widget: LAPTOP)


def assert_fits(dialog: QDialog) -> None:
    dialog.move(LAPTOP.topLeft())
    dialog.show()
    # Room is left for the title bar and frame a window manager adds around it.
    assert dialog.width() + FRAME_ALLOWANCE.width() <= LAPTOP.width(), dialog.windowTitle()
    assert dialog.height() + FRAME_ALLOWANCE.height() <= LAPTOP.height(), dialog.windowTitle()
    assert LAPTOP.contains(dialog.frameGeometry())
    buttons = [b for b in dialog.findChildren(QPushButton) if b.isVisible()]
    assert buttons
    for button in buttons:
        corner = button.mapToGlobal(QPoint(0, 0))
        placed = QRect(corner, button.size())
        assert LAPTOP.contains(placed), (button.text(), placed)


def test_the_fetch_dialog_fits(laptop, service, fox, qtbot, qloop):
    dialog = FetchDialog(service, fox.id)
    qtbot.addWidget(dialog)
    assert_fits(dialog)
    wait(qloop, dialog.fetch())  # with every source's values in the table
    assert_fits(dialog)


def test_the_batch_dialog_fits(laptop, service, fox, qtbot, qloop):
    dialog = BatchDialog(service, [fox.id])
    qtbot.addWidget(dialog)
    done = emitted(qloop, dialog.finished_fetch)
    dialog.start()
    wait(qloop, done)
    assert dialog.review == [fox.id]
    assert_fits(dialog)
    assert dialog.apply_button.isVisible() and dialog.fill_button.isVisible()


def test_the_fill_review_fits(laptop, qtbot):
    left_out = tuple(
        LeftOut(n, f"Book {n}", "openlibrary", "another edition: English, not German")
        for n in range(60)
    )
    plan = FillPlan({1: []}, {"description": {"hardcover": 1}}, left_out)
    dialog = FillReview(plan, 61)
    qtbot.addWidget(dialog)
    assert_fits(dialog)
    assert dialog.fill_button.isVisible()
