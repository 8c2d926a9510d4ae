"""Puts the Year page in the window and keeps it current, like the Statistics page: read when
it is opened or its year changes and, while it is open, whenever the library changed; a hidden
page is only marked stale. Share… asks for a size and a file, then writes the picture."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from PySide6.QtWidgets import QWidget

from bookorbit_desktop.config import Paths
from bookorbit_desktop.services.year.service import (
    YearFigures,
    load_year_off_loop,
    share_covers,
    year_highlights_off_loop,
)
from bookorbit_desktop.ui.asyncqt import show_error, spawn
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.shown_page import ShownPage
from bookorbit_desktop.ui.year.page import YearPage
from bookorbit_desktop.ui.year.share import share_picture
from bookorbit_desktop.ui.year.sharing import ShareChoice, ask_share

AskShare = Callable[[QWidget, int], Awaitable[ShareChoice | None]]


class YearController(ShownPage):
    def __init__(
        self,
        window: MainWindow,
        paths: Paths,
        load: Callable[[int], Awaitable[YearFigures]] = load_year_off_loop,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.page = YearPage(today().year)
        super().__init__(window, self.page, "&Year", self._refresh)
        self.paths = paths
        self._load, self._today = load, today
        self.ask_share: AskShare = ask_share
        self.page.year_changed.connect(lambda _year: self.refresh())
        self.page.share_requested.connect(lambda: spawn(self.share(), self.page))

    async def _refresh(self) -> None:
        figures = await self._load(self.page.year.value())
        if figures.year == self.page.year.value():  # not a year the user has left meanwhile
            self.page.show_year(figures, self._today())

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
