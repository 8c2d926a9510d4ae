"""The whole window by keyboard, at 1366x768: each page is reached by its Ctrl+<n> shortcut,
and Tab visits every control the page shows, leaves it for the tabs and comes round again;
no control keeps the focus (the library table gives Tab up; the arrow keys move inside it)."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from bookorbit_desktop.ui.main_window import MainWindow
from tests.factories import add_book
from tests.ui.assembled import local_desktop
from tests.ui.small_screen import small_screen_fixture  # noqa: F401  (the `small_screen` fixture)


@pytest.fixture
def window(library, qtbot, qloop, small_screen):
    for title in ("Dune", "Emma", "Ulysses"):
        add_book(title, ["Someone"])
    desktop = local_desktop(library, shown=True)
    qloop.run_until_complete(asyncio.sleep(0.3))  # the pages' first reads end
    desktop.window.resize(small_screen.size())
    desktop.window.activateWindow()
    qtbot.waitActive(desktop.window)
    yield desktop.window
    qloop.run_until_complete(desktop.shutdown())


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def tab_stops(page: QWidget, window: MainWindow) -> set[QWidget]:
    """The controls of `page` that Tab should reach: shown, enabled, taking focus by Tab."""
    return {
        widget
        for widget in page.findChildren(QWidget)
        if widget.isVisible()
        and widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
    }


def walk_round(qtbot, tab_bar: QWidget) -> list[QWidget]:
    """Press Tab until the focus has gone from the tabs round the page and back to the tabs
    twice; where it went on the second round (a control that keeps the focus fails here).
    Nothing, when Tab goes from the tabs straight back to them."""
    visited: list[QWidget] = []
    for _press in range(MOST_PRESSES):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        widget = focused()
        if widget is tab_bar and visited and visited[-1] is tab_bar:
            return []  # a page with nothing to focus (what it says is text)
        assert not visited or widget is not visited[-1], f"Tab stays on {widget!r}"
        visited.append(widget)
        rounds = [at for at, seen in enumerate(visited) if seen is tab_bar]
        if len(rounds) >= 2:
            return visited[rounds[-2] + 1 : rounds[-1]]
    raise AssertionError(f"Tab never came back to the tabs: {visited[-5:]}")


MOST_PRESSES = 200


def test_tab_goes_round_every_page(window, qtbot):
    tab_bar = window.tabs.tabBar()
    pages = len(window._page_actions)
    assert pages == window.tabs.count() >= 8
    for index in range(pages):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + index), Qt.KeyboardModifier.ControlModifier)
        name = window.tabs.tabText(index)
        assert window.tabs.currentIndex() == index, name
        page = window.tabs.currentWidget()
        round_trip = walk_round(qtbot, tab_bar)
        missed = tab_stops(page, window) - set(round_trip)
        assert not missed, (name, missed)


def test_the_arrow_keys_move_inside_the_library_table(window, qtbot):
    table = window.library_view.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()
