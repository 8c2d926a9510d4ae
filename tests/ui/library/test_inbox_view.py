"""The Inbox page in the assembled app: approving one book (from the keyboard) and then all,
the library table taking them in, the count in the tab title and the tray tooltip."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.ui.tray import Tray
from tests.factories import add_book, make_epub
from tests.ui.assembled import local_desktop


@pytest.fixture
def desktop(library, qtbot, qloop, tmp_path):
    add_book("Approved", file=make_epub(tmp_path / "a.epub", "Approved"))
    held = [
        add_book(title, file=make_epub(tmp_path / f"{title}.epub", title))
        for title in ("Dune", "Emma")
    ]
    inbox.set_enabled(True)
    inbox.hold([book.id for book in held])
    desktop = local_desktop(library, shown=True)
    qloop.run_until_complete(asyncio.sleep(0.5))  # the first reads end
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def _table_titles(desktop, qloop) -> set[str]:
    qloop.run_until_complete(desktop.controller.reload())
    model = desktop.window.library_view.model
    return {
        model.index(row, 0).data(Qt.ItemDataRole.DisplayRole) for row in range(model.rowCount())
    }


def test_approve_one_then_all(desktop, qtbot, qloop):
    view = desktop.controller.inbox
    window = desktop.window
    tray = Tray(desktop.hub)
    try:
        index = window.tabs.indexOf(view)
        assert window.tabs.tabText(index) == "In&box (2)"
        assert "2 books in the Inbox" in tray.icon.toolTip().splitlines()
        assert _table_titles(desktop, qloop) == {"Approved"}

        window.tabs.setCurrentIndex(index)
        view.tree.setFocus()
        view.tree.setCurrentItem(view.tree.topLevelItem(0))
        assert view.approve_button.isEnabled()
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)  # Enter approves the selection
        qloop.run_until_complete(asyncio.sleep(0.3))
        assert [view.tree.topLevelItem(0).text(0)] == ["Emma"]
        assert window.tabs.tabText(index) == "In&box (1)"
        assert "1 book in the Inbox" in tray.icon.toolTip().splitlines()
        assert _table_titles(desktop, qloop) == {"Approved", "Dune"}

        qtbot.mouseClick(view.approve_all_button, Qt.MouseButton.LeftButton)
        qloop.run_until_complete(asyncio.sleep(0.3))
        assert view.count == 0 and not view.approve_all_button.isEnabled()
        assert window.tabs.tabText(index) == "In&box"
        assert not any("Inbox" in line for line in tray.icon.toolTip().splitlines())
        assert _table_titles(desktop, qloop) == {"Approved", "Dune", "Emma"}
    finally:
        tray.hide()


def test_an_import_from_the_window_fills_the_inbox(desktop, qloop, tmp_path):
    make_epub(tmp_path / "new" / "solaris.epub", "Solaris", ["Stanisław Lem"])
    view = desktop.controller.inbox
    qloop.run_until_complete(desktop.controller.import_paths([str(tmp_path / "new")]))
    qloop.run_until_complete(asyncio.sleep(0.3))
    assert [view.tree.topLevelItem(n).text(0) for n in range(view.count)] == [
        "Dune",
        "Emma",
        "Solaris",
    ]
    index = desktop.window.tabs.indexOf(view)
    assert desktop.window.tabs.tabText(index) == "In&box (3)"
    assert "Solaris" not in _table_titles(desktop, qloop)


async def _until(condition) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


def test_remove_asks_then_removes_the_book_and_keeps_its_file(desktop, qtbot, qloop, tmp_path):
    view = desktop.controller.inbox
    window = desktop.window
    window.tabs.setCurrentIndex(window.tabs.indexOf(view))
    window.activateWindow()
    qtbot.waitActive(window)
    view.tree.setFocus()
    view.tree.setCurrentItem(view.tree.topLevelItem(1))  # Emma
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    task = view._busy

    def box() -> QMessageBox | None:
        shown = [b for b in view.findChildren(QMessageBox) if b.isVisible()]
        return shown[0] if shown else None

    qloop.run_until_complete(_until(lambda: box() is not None))
    assert "Remove 1 book from the library?" in box().text()
    qtbot.mouseClick(box().button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qloop.run_until_complete(task)
    assert [view.tree.topLevelItem(n).text(0) for n in range(view.count)] == ["Dune"]
    assert Book.get_or_none(Book.title == "Emma") is None
    assert (tmp_path / "Emma.epub").is_file()
