"""The Year page in the running app: it reads its year when opened and when the year changes,
follows an edit made in the window, and Share… writes the picture the user asked for."""

from __future__ import annotations

from PySide6.QtGui import QImage

from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.ui.year.sharing import ShareChoice
from tests.library.year.generated import YEAR, generate_year
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)


def test_the_year_page_reads_its_year_and_shares_it(desktop, qloop, tmp_path):  # noqa: F811
    plan = generate_year(tmp_path)
    show_all(desktop, start_hidden=False)
    controller = desktop.year
    page = controller.page
    page.year.setValue(YEAR - 1)
    desktop.window.tabs.setCurrentIndex(controller.index)
    run_until(qloop, lambda: page.figures is not None and page.figures.year == YEAR - 1)
    assert page.finished.count() == 30
    page.year.setValue(YEAR)
    run_until(qloop, lambda: page.figures is not None and page.figures.year == YEAR)
    assert page.finished.count() == 181
    book_id = plan.no_date[0]  # a done read without a date gets one: it counts now
    ReadingState.update(finished=f"{YEAR}-03-03").where(ReadingState.book == book_id).execute()
    desktop.window.book_panel.saved.emit(book_id)
    run_until(qloop, lambda: page.finished.count() == 182)
    target = tmp_path / "my-year.png"

    async def choose(_parent, year):
        assert year == YEAR
        return ShareChoice(target, "wide", False)

    controller.ask_share = choose
    qloop.run_until_complete(controller.share())
    assert QImage(str(target)).size().toTuple() == (1920, 1080)
