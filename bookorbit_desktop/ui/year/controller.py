"""Puts the Year page in the window and keeps it current, like the Statistics page: read when
it is opened or its year changes and, while it is open, whenever the library changed; a hidden
page is only marked stale. Share… asks for a size and a file, then writes the picture.

The page's reading goals: the goals meeting the year shown, read from Hardcover (with an
account connected) the first time the page is shown and when the user asks; Set a Goal… and
Change… keep the goal and send it there. The tray's goal line follows every change of the
library, shown or not."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.goals.service import (
    Goal,
    GoalView,
    NotConnectedError,
    delete,
    goal_views_off_loop,
    pull,
    send,
    tray_line_off_loop,
)
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.year.service import (
    YearFigures,
    load_year_off_loop,
    share_covers,
    year_highlights_off_loop,
)
from bookorbit_desktop.ui.asyncqt import open_box, show_error, spawn
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.questions import action_or_cancel
from bookorbit_desktop.ui.shown_page import ShownPage
from bookorbit_desktop.ui.status import StatusHub
from bookorbit_desktop.ui.widgets import interval_timer
from bookorbit_desktop.ui.year.goal_dialog import GoalDialog
from bookorbit_desktop.ui.year.page import YearPage
from bookorbit_desktop.ui.year.share import share_picture
from bookorbit_desktop.ui.year.sharing import ShareChoice, ask_share

AskShare = Callable[[QWidget, int], Awaitable[ShareChoice | None]]
log = logging.getLogger(__name__)
GOAL_LINE_EVERY_MS = 60_000


class YearController(ShownPage):
    def __init__(
        self,
        window: MainWindow,
        paths: Paths,
        load: Callable[[int], Awaitable[YearFigures]] = load_year_off_loop,
        today: Callable[[], dt.date] = dt.date.today,
        *,
        account: HardcoverAccount | None = None,
        hub: StatusHub | None = None,
    ) -> None:
        self.page = YearPage(today().year)
        super().__init__(window, self.page, "&Year", self._refresh)
        self.paths = paths
        self._load, self._today = load, today
        self._account, self._hub = account, hub
        self._goals_pulled = account is None
        self.ask_share: AskShare = ask_share
        self.ask_goal: Callable[[str, Goal], Goal | None] = self._ask_goal
        self.page.year_changed.connect(lambda _year: self.refresh())
        self.page.share_requested.connect(lambda: spawn(self.share(), self.page))
        self.page.goal_box.set_requested.connect(lambda goal_id: spawn(self.set_goal(goal_id)))
        self.page.goal_box.delete_requested.connect(self.ask_delete)
        self.page.goal_box.pull_requested.connect(lambda: spawn(self.pull_goals(), self.page))
        self.page.goal_box.pull_button.setVisible(account is not None)
        self.goal_timer = interval_timer(self.page, GOAL_LINE_EVERY_MS, self.follow_goal, once=True)
        self.follow_goal()

    async def _refresh(self) -> None:
        if not self._goals_pulled:  # once, beside the page: it never waits for Hardcover
            self._goals_pulled = True
            spawn(self._pull_then_refresh(), self.page)
        figures = await self._load(self.page.year.value())
        goals = await goal_views_off_loop(self._today())
        if figures.year == self.page.year.value():  # not a year the user has left meanwhile
            self.page.show_year(figures, self._today())
            self.page.goal_box.show_goals(_meeting(goals, figures.year))

    def follow_changes(self) -> None:
        """The library changed: the page as `ShownPage` does; the tray's goal line at most once
        a minute (counting every read of a large library takes a few seconds, and a device
        reading pushes every few minutes)."""
        super().follow_changes()
        if self._hub is not None and not self.goal_timer.isActive():
            self.goal_timer.start()

    def follow_goal(self) -> None:
        """The tray's goal line, read again (off the loop)."""
        if self._hub is not None:
            spawn(self._show_goal_line(), self.page)

    async def _show_goal_line(self) -> None:
        line = await tray_line_off_loop(self._today())
        if self._hub is not None:
            self._hub.update(goal=line)

    async def pull_goals(self, *, refresh: bool = True) -> None:
        """Hardcover's goals into the library. Asked for (`refresh`), what goes wrong is shown;
        on the page's first showing it is only logged (the Hardcover page says why)."""
        if self._account is None:
            return
        try:
            if await pull(self._account) is None and refresh:
                show_error(self.page, NotConnectedError())
        except BookOrbitError as error:
            if refresh:
                show_error(self.page, error)
            else:
                log.info("Goals not read from Hardcover: %s", error.message)
        if refresh:
            self.refresh()
            self.follow_goal()

    async def _pull_then_refresh(self) -> None:
        await self.pull_goals(refresh=False)
        self.refresh()
        self.follow_goal()

    async def set_goal(self, goal_id: int | None) -> None:
        """Set a Goal… (None) or Change… a goal: the dialog, then the goal kept and sent."""
        today = self._today()
        shown = next((v for v in self.page.goal_box.views if v.stored.id == goal_id), None)
        goal = shown.stored.goal if shown is not None else _this_year(today)
        chosen = self.ask_goal("Change the Goal" if shown else "Set a Reading Goal", goal)
        if chosen is None:
            return
        try:
            await send(self._account, chosen, goal_id)
        except BookOrbitError as error:
            show_error(self.page, error)
        self.refresh()
        self.follow_goal()

    def ask_delete(self, goal_id: int) -> QMessageBox | None:
        """Delete… asks first (Cancel is the default: nothing is deleted on Enter or Esc)."""
        view = next((v for v in self.page.goal_box.views if v.stored.id == goal_id), None)
        if view is None:
            return None
        there = " here and on Hardcover" if view.stored.hardcover_goal_id is not None else ""
        box, button = action_or_cancel(
            self.page, "Reading goal", f"Delete the goal {view.headline}{there}?", "&Delete"
        )
        box.buttonClicked.connect(
            lambda clicked: (
                spawn(self.delete_goal(goal_id), self.page) if clicked is button else None
            )
        )
        return open_box(box)

    async def delete_goal(self, goal_id: int) -> None:
        try:
            await delete(self._account, goal_id)
        except BookOrbitError as error:
            show_error(self.page, error)
        self.refresh()
        self.follow_goal()

    def _ask_goal(self, title: str, goal: Goal) -> Goal | None:
        dialog = GoalDialog(title, goal, self.page)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.goal if accepted else None

    async def share(self) -> None:
        figures = self.page.figures
        if figures is None:
            return
        choice = await self.ask_share(self.page, figures.year)
        if choice is None:
            return
        covers = await share_covers(self.paths, figures.finished)
        quotes = await year_highlights_off_loop(figures.year) if choice.highlights else []
        try:
            share_picture(figures, covers, choice.size, quotes).save(choice.path)
        except OSError as error:
            show_error(self.page, error)


def _this_year(today: dt.date) -> Goal:
    return Goal(24, "books", today.replace(month=1, day=1), today.replace(month=12, day=31))


def _meeting(views: list[GoalView], year: int) -> list[GoalView]:
    """The goals whose dates meet `year`."""
    return [v for v in views if v.progress.goal.start.year <= year <= v.progress.goal.end.year]
