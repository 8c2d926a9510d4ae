"""Puts the Statistics page and the book's sessions in the window and keeps them current.

The page is read when it is opened and, while it is open, whenever the library changed (an
edit in the window, an upload merged by the server, `stats import` in another process); a
hidden page is only marked stale. "Import statistics…" (on the page and in File) runs the command
line's `stats import` off the loop, then says what it merged and shows the page again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.statistics.service import (
    ImportSummary,
    StatisticsData,
    book_sessions_off_loop,
    import_file_off_loop,
    load_off_loop,
)
from bookorbit_desktop.ui.asyncqt import open_box, show_error, spawn
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.shown_page import ShownPage
from bookorbit_desktop.ui.statistics import book_sessions
from bookorbit_desktop.ui.statistics.book_sessions import LoadSessions
from bookorbit_desktop.ui.statistics.importing import (
    ChoosePath,
    ask_statistics_path,
    report_text,
    statistics_file_in,
)
from bookorbit_desktop.ui.statistics.page import StatisticsPage
from bookorbit_desktop.ui.text import show_plain


class StatisticsController(ShownPage):
    def __init__(
        self,
        window: MainWindow,
        load: Callable[[], Awaitable[StatisticsData]] = load_off_loop,
        load_sessions: LoadSessions = book_sessions_off_loop,
        import_file: Callable[[Path], Awaitable[ImportSummary]] = import_file_off_loop,
    ) -> None:
        self.page = StatisticsPage()
        super().__init__(window, self.page, "S&tatistics", self._refresh)
        self._load = load
        self._import_file = import_file
        self.choose_path: ChoosePath = ask_statistics_path  # the file or folder chooser
        window.add_import_menu(self.page.import_menu)
        self.page.import_requested.connect(lambda kind: spawn(self.import_from(kind), self.page))
        self.sessions = book_sessions.mount(
            window.book_panel, load_sessions, window.library_view.book_selected
        )

    async def _refresh(self) -> None:
        self.page.show_statistics(await self._load())

    def follow_changes(self) -> None:
        """The library changed (here or through another connection)."""
        super().follow_changes()
        if self.sessions.book_id is not None:
            self.sessions.show_book(self.sessions.book_id)

    async def import_from(self, kind: str) -> None:
        """Ask for a statistics file or a KOReader folder (`kind`), import it off the loop,
        then say what was merged and show the page again. A file that is refused changes
        nothing and is explained in a message."""
        chosen = await self.choose_path(self.page, kind)
        if not chosen:
            return
        self.page.set_importing(True)
        try:
            source = statistics_file_in(Path(chosen))
            summary = await self._import_file(source)
        except BookOrbitError as error:
            show_error(self.page, error)
            return
        finally:
            self.page.set_importing(False)
        self.window.tabs.setCurrentIndex(self.index)
        self.refresh()
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Statistics imported",
            report_text(source, summary),
            QMessageBox.StandardButton.Ok,
            self.page,
        )
        open_box(show_plain(box))
