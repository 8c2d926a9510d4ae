"""Add Read / Edit Read and the goal dialog: a refusal is shown under the form and the dialog
grows to hold it; no field is squeezed or covered (laptop-size font, offscreen)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.services.goals.service import Goal
from bookorbit_desktop.ui.library.read_dialog import ReadDialog
from bookorbit_desktop.ui.year.goal_dialog import GoalDialog

LONG = (
    "The finish date (2026-01-01) is before the start date (2026-03-01): a read cannot end "
    "before it began. Change one of them."
)


def refuse(_values):
    raise InvalidValueError(LONG)


def read_dialog():
    dialog = ReadDialog("Edit Read", {"started": "2026-03-01", "finished": "2026-01-01"}, refuse)
    return dialog, [dialog.started_edit, dialog.state_box, dialog.finished_edit]


def goal_dialog():
    goal = Goal(24, "books", dt.date(2026, 6, 1), dt.date(2026, 1, 1) + dt.timedelta(days=400))
    dialog = GoalDialog("Set a Reading Goal", goal)
    dialog.end.setDate(dialog.start.date().addDays(-1))
    return dialog, [dialog.count, dialog.metric_box, dialog.start, dialog.end, dialog.description]


@pytest.mark.parametrize("make", [read_dialog, goal_dialog], ids=["read", "goal"])
def test_a_refusal_grows_the_dialog_and_covers_no_field(qtbot, make):
    dialog, fields = make()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    heights = [field.height() for field in fields]
    dialog.accept()
    QApplication.processEvents()
    assert dialog.isVisible() and dialog.error.isVisible() and dialog.error.text()
    assert [field.height() for field in fields] == heights  # nothing squeezed
    lowest = max(field.geometry().bottom() for field in fields)
    assert dialog.error.geometry().top() > lowest  # under the fields, over none
    needed = dialog.error.heightForWidth(dialog.error.width())
    assert dialog.error.height() >= needed  # every line of the message shows
