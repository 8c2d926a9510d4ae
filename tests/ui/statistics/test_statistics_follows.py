"""The Statistics page follows the library: an edit saved in the window (a new title) shows on
the page the next time it is opened, not only a change from another connection."""

from __future__ import annotations

from bookorbit_desktop.library.store.models import Book
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.statistics.test_statistics_page import history  # noqa: F401 (the fixture)
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)


def test_a_title_edited_in_the_window_reaches_the_statistics_page(
    desktop,  # noqa: F811
    history,  # noqa: F811
    qloop,
):
    show_all(desktop, start_hidden=False)
    tabs, page = desktop.window.tabs, desktop.statistics.page

    def titles() -> list[str]:
        return [row[0] for row in page.book_rows()] if page.showing_data else []

    tabs.setCurrentIndex(desktop.statistics.index)
    run_until(qloop, lambda: "Dune" in titles())
    tabs.setCurrentIndex(0)
    Book.update(title="Dune Messiah").where(Book.id == history.id).execute()  # saved here...
    desktop.window.book_panel.saved.emit(history.id)  # ...as the book panel says it
    tabs.setCurrentIndex(desktop.statistics.index)
    run_until(qloop, lambda: "Dune Messiah" in titles())
