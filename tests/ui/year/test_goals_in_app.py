"""The reading goal on the Year page of the running app: Set a Goal… keeps it and the page
shows how far along it is, the books that count and the rules' sentence; a read finished in
the window moves it; Change… keeps the same goal changed; the tray's tooltip says it in one
line. The dialog refuses a goal that ends before it starts, and Cancel keeps nothing."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLabel, QListWidget, QMessageBox, QProgressBar

from bookorbit_desktop.library.goals import store
from bookorbit_desktop.library.reads.edits import add_read
from bookorbit_desktop.services.goals.service import Goal
from bookorbit_desktop.ui.status import tooltip
from bookorbit_desktop.ui.year.goal_dialog import GoalDialog
from tests.factories import add_book
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)

TODAY = dt.date.today()
YEAR_GOAL = Goal(12, "books", TODAY.replace(month=1, day=1), TODAY.replace(month=12, day=31))


def texts(box) -> list[str]:
    return [label.text() for label in box.findChildren(QLabel) if label.isVisibleTo(box)]


def test_a_goal_set_on_the_year_page_shows_and_follows_the_reads(desktop, qloop):  # noqa: F811
    dune = add_book("Dune <b>II</b>").id
    add_read(dune, started=YEAR_GOAL.start.isoformat(), finished=YEAR_GOAL.start.isoformat())
    show_all(desktop, start_hidden=False)
    controller = desktop.year
    controller.goal_timer.setInterval(10)  # the tray line's once a minute, shortened
    box = controller.page.goal_box
    desktop.window.tabs.setCurrentIndex(controller.index)
    run_until(qloop, lambda: controller.page.figures is not None and bool(texts(box)))
    assert "No reading goal for this year." in texts(box)[0]

    asked = []
    controller.ask_goal = lambda title, goal: asked.append((title, goal)) or YEAR_GOAL
    qloop.run_until_complete(controller.set_goal(None))
    assert asked == [("Set a Reading Goal", Goal(24, "books", YEAR_GOAL.start, YEAR_GOAL.end))]
    run_until(qloop, lambda: len(box.views) == 1)
    (bar,) = box.findChildren(QProgressBar)
    assert (bar.value(), bar.maximum()) == (1, 12)
    (books,) = box.findChildren(QListWidget)
    assert books.item(0).text() == f"{YEAR_GOAL.start.isoformat()}  Dune <b>II</b>"
    assert texts(box)[0] == f"1 of 12 books, {YEAR_GOAL.start} to {YEAR_GOAL.end}"
    assert box.views[0].text in texts(box)
    run_until(qloop, lambda: (desktop.hub.status.goal or "").startswith("Goal: 1 of 12 books"))
    assert desktop.hub.status.goal in tooltip(desktop.hub.status)

    emma = add_book("Emma").id
    add_read(emma, started=YEAR_GOAL.start.isoformat(), finished=TODAY.isoformat())
    desktop.window.book_panel.saved.emit(emma)
    run_until(qloop, lambda: bool(box.views) and box.views[0].progress.done == 2)
    run_until(qloop, lambda: (desktop.hub.status.goal or "").startswith("Goal: 2 of 12"))

    goal_id = box.views[0].stored.id
    controller.ask_goal = lambda title, goal: Goal(30, "books", goal.start, goal.end, "More")
    qloop.run_until_complete(controller.set_goal(goal_id))
    run_until(qloop, lambda: box.views[0].progress.goal.target == 30)
    assert [g.id for g in store.all_goals()] == [goal_id]  # the same goal, changed

    controller.ask_goal = lambda title, goal: None  # Cancel: nothing kept
    qloop.run_until_complete(controller.set_goal(None))
    assert len(store.all_goals()) == 1

    box_asked = controller.ask_delete(goal_id)  # Delete…: Cancel (the default) deletes nothing
    assert box_asked.defaultButton() is box_asked.button(QMessageBox.StandardButton.Cancel)
    box_asked.button(QMessageBox.StandardButton.Cancel).click()
    run_until(qloop, lambda: not box_asked.isVisible())
    assert len(store.all_goals()) == 1
    box_asked = controller.ask_delete(goal_id)
    (delete,) = [b for b in box_asked.buttons() if b.text() == "&Delete"]
    delete.click()
    run_until(qloop, lambda: store.all_goals() == [] and box.views == [])


def test_the_dialog_refuses_a_goal_ending_before_it_starts(qtbot):
    dialog = GoalDialog("Set a Reading Goal", YEAR_GOAL)
    qtbot.addWidget(dialog)
    dialog.end.setDate(QDate(YEAR_GOAL.start.year - 1, 6, 1))
    dialog.accept()
    assert dialog.isVisible() is False and dialog.result() == 0  # not accepted
    assert dialog.goal is None and "before it starts" in dialog.error.text()
    dialog.end.setDate(QDate(YEAR_GOAL.end.year, 12, 31))
    dialog.count.setValue(5000)
    dialog.metric_box.setCurrentIndex(1)
    dialog.accept()
    assert dialog.goal == Goal(5000, "pages", YEAR_GOAL.start, YEAR_GOAL.end)


def test_a_long_list_of_undated_reads_never_widens_the_page(qtbot):
    """Forty finished reads without a date: ten are named, the rest counted, and the box
    wraps to the page's width (the Change… button stays in view at laptop size)."""
    from bookorbit_desktop.library.goals.rules import goal_progress
    from bookorbit_desktop.library.goals.store import StoredGoal
    from bookorbit_desktop.library.reads.counting import Read
    from bookorbit_desktop.services.goals.service import GoalView
    from bookorbit_desktop.ui.year.goal_box import GoalBox

    reads = [Read(n, None, None, True, "library", None, None, None, None) for n in range(40)]
    progress = goal_progress(YEAR_GOAL, reads, TODAY)
    titles = tuple(f"A Rather Long Title Number {n}" for n in range(40))
    view = GoalView(StoredGoal(1, YEAR_GOAL), progress, "On track.", (), titles)
    box = GoalBox()
    qtbot.addWidget(box)
    box.show_goals([view])
    assert box.minimumSizeHint().width() < 700
    (apart,) = [t for t in texts(box) if t.startswith("Finished with no date")]
    assert apart.endswith("A Rather Long Title Number 9 and 30 more")
