"""Import statistics from the window: a KOReader file or folder, chosen on the Statistics page
or in File, merged off the loop, then reported and shown."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from bookorbit_desktop.app import Desktop
from bookorbit_desktop.library.history import queries
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.statistics.service import ImportSummary
from bookorbit_desktop.ui.single_instance import SingleInstance
from bookorbit_desktop.ui.statistics.importing import (
    StatisticsNotFoundError,
    report_text,
    statistics_file_in,
)
from bookorbit_desktop.ui.statistics.page import EMPTY_TEXT
from tests.library.history.koreader_file import KoBook, write_statistics
from tests.ui.test_main_window import show_all

NOON = int(dt.datetime.now().replace(hour=12, minute=0, second=0, microsecond=0).timestamp())
DAY = 86_400
# The headless platform's words when a popup menu opens (and tests/ui/conftest.py's others).
POPUP_NOISE = pytest.mark.qt_log_ignore(
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
)
LONG_AGO = int(dt.datetime(2001, 5, 1, 12).timestamp())  # before KOReader existed: impossible


def two_books(path: Path) -> Path:
    """Dune read on two days (one impossible record), Emma once."""
    dune = [(p + 1, NOON - DAY + p * 60, 60, 300) for p in range(10)]
    dune += [(11, LONG_AGO, 60, 300)]
    emma = [(1, NOON - 3 * DAY, 600, 100)]
    return write_statistics(
        path,
        [
            KoBook("Dune", "Frank Herbert", "d" * 32, 300, dune),
            KoBook("Emma", "Jane Austen", "e" * 32, 100, emma),
        ],
    )


@pytest.fixture
def desktop(library, qtbot, qloop):
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    desktop = Desktop(library, SingleInstance(library.data_dir), started=time.monotonic())
    desktop.build()
    desktop.window.resize(1366, 768)
    show_all(desktop, start_hidden=False)
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def choosing(path: Path | None, asked: list[str]):
    async def choose(_parent, kind: str) -> str | None:
        asked.append(kind)
        return None if path is None else str(path)

    return choose


def wait_for(qloop, done, seconds: float = 10) -> None:
    async def until() -> None:
        while not done():
            await asyncio.sleep(0.02)

    qloop.run_until_complete(asyncio.wait_for(until(), seconds))


def open_boxes(widget) -> list[QMessageBox]:
    return [box for box in widget.findChildren(QMessageBox) if box.isVisible()]


def test_the_empty_page_points_to_the_button_not_to_a_command():
    assert "bookorbit-desktop" not in EMPTY_TEXT and "stats import" not in EMPTY_TEXT
    assert "Import statistics" in EMPTY_TEXT


@POPUP_NOISE
def test_a_statistics_file_chosen_on_the_empty_page_is_imported_and_shown(desktop, qloop, tmp_path):
    controller = desktop.statistics
    page = controller.page
    desktop.window.tabs.setCurrentIndex(controller.index)
    wait_for(qloop, lambda: not controller._stale)
    assert not page.showing_data and page.empty_import_button.isVisible()
    asked: list[str] = []
    controller.choose_path = choosing(two_books(tmp_path / "statistics.sqlite3"), asked)

    QTest.mouseClick(page.empty_import_button, Qt.MouseButton.LeftButton)
    assert page.import_menu.isVisible()
    page.import_file_action.trigger()
    wait_for(qloop, lambda: page.showing_data and open_boxes(page))

    assert asked == ["file"]
    assert [row[0] for row in page.book_rows()] == ["Dune (not linked)", "Emma (not linked)"]
    assert page.import_button.isVisible() and page.import_button.isEnabled()
    (box,) = open_boxes(page)
    assert box.windowTitle() == "Statistics imported"
    text = box.text()
    assert "2 books in the file, 2 with new reading" in text
    assert "11 new page records" in text
    assert "1 page records left out because their time is impossible" in text


def test_a_koreader_folder_chosen_in_the_file_menu_is_imported(desktop, qloop, tmp_path):
    controller = desktop.statistics
    page = controller.page
    koreader = tmp_path / "KOBOeReader" / ".adds" / "koreader"
    two_books(koreader / "settings" / "statistics.sqlite3")
    asked: list[str] = []
    controller.choose_path = choosing(koreader, asked)
    menu = next(
        action.menu()
        for action in desktop.window.file_menu.actions()
        if action.menu() is not None and "Statistics" in action.text()
    )
    (from_folder,) = [action for action in menu.actions() if "KOReader folder" in action.text()]

    from_folder.trigger()
    wait_for(qloop, lambda: page.showing_data and open_boxes(page))

    assert asked == ["folder"]
    assert desktop.window.tabs.currentIndex() == controller.index
    assert len(page.book_rows()) == 2
    assert str(koreader / "settings" / "statistics.sqlite3") in open_boxes(page)[0].text()


@POPUP_NOISE
def test_a_file_that_is_no_statistics_file_is_explained_and_changes_nothing(
    desktop, qloop, tmp_path
):
    controller = desktop.statistics
    page = controller.page
    broken = tmp_path / "statistics.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    controller.choose_path = choosing(broken, [])

    QTest.mouseClick(page.empty_import_button, Qt.MouseButton.LeftButton)
    page.import_file_action.trigger()
    wait_for(qloop, lambda: open_boxes(page))

    (box,) = open_boxes(page)
    assert box.windowTitle() == "Not a KOReader statistics file"
    assert "not an SQLite database" in box.text()
    assert queries.history_books() == [] and not page.showing_data
    assert page.empty_import_button.isEnabled()


def test_cancelling_the_chooser_imports_nothing(desktop, qloop):
    controller = desktop.statistics
    asked: list[str] = []
    controller.choose_path = choosing(None, asked)
    controller.page.import_folder_action.trigger()
    wait_for(qloop, lambda: asked == ["folder"])
    qloop.run_until_complete(asyncio.sleep(0.05))
    assert open_boxes(controller.page) == [] and queries.history_books() == []


KO = "koreader/settings/statistics.sqlite3"
KOBO = ".adds/koreader/settings/statistics.sqlite3"


@pytest.mark.parametrize(
    ("files", "chosen", "found"),
    [
        (["statistics.sqlite3"], "statistics.sqlite3", "statistics.sqlite3"),
        (["copy.sqlite3"], "copy.sqlite3", "copy.sqlite3"),
        (["statistics.sqlite3"], ".", "statistics.sqlite3"),
        ([KO], "koreader", KO),
        ([KO], ".", KO),
        ([KOBO], ".adds/koreader", KOBO),
        ([KOBO], ".", KOBO),
        (["statistics.sqlite3", "settings/statistics.sqlite3"], ".", "statistics.sqlite3"),
    ],
)
def test_the_statistics_file_in_what_the_user_chose(tmp_path, files, chosen, found):
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    assert statistics_file_in(tmp_path / chosen) == tmp_path / found


@pytest.mark.parametrize("chosen", ["empty", "gone"])
def test_a_folder_without_statistics_is_refused(tmp_path, chosen):
    (tmp_path / "empty" / "settings").mkdir(parents=True)
    with pytest.raises(StatisticsNotFoundError):
        statistics_file_in(tmp_path / chosen)


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        (ImportSummary(2, 0, 50, 50), "Nothing new: the reading of its 2 books was already"),
        (ImportSummary(1, 1, 0, 7), "1 book in the file, 1 with new reading.\n7 new page"),
        (ImportSummary(3, 1, 5, 9, dropped=2), "2 page records left out"),
    ],
)
def test_the_import_report(summary, expected):
    assert expected in report_text(Path("/media/KOBO/statistics.sqlite3"), summary)
