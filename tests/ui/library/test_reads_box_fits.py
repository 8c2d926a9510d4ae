"""The book panel's Reads list with twelve reads of one book, through the real window at
1366x768 (and maximised above a taskbar, and a normal window on that screen): the list shows a
few reads and scrolls by itself, its dates whole in the narrow panel, and a read the user
clicks brings Edit Read… and Delete into sight, even the twelfth, which opens in Edit Read."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QPoint, Qt

from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.services.library import reads
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.library.reads_box import READS_SHOWN, ReadsBox
from bookorbit_desktop.ui.text import plain_tooltip
from tests.factories import add_book, make_epub
from tests.ui.assembled import local_desktop
from tests.ui.library.test_table_fits_panel import WINDOWS
from tests.ui.library.test_table_fits_sidebar import settle

TITLE = "Jonathan Strange & Mr Norrell"


@pytest.fixture
def twelve_reads(library, tmp_path) -> int:
    """A book with the facts a real one has (publisher, pages, its file) read twelve times."""
    path = make_epub(tmp_path / "Books" / "Susanna Clarke" / f"{TITLE}.epub", TITLE)
    book = add_book(TITLE, ["Susanna Clarke"], file=path, isbn13="9780747574118").id
    facts = {"publisher": "Bloomsbury Publishing", "published": "2004-09-08", "pages": 1006}
    Book.update(**facts).where(Book.id == book).execute()
    for year in range(2010, 2022):
        reads.add_read(book, f"{year}-01-01", f"{year}-02-01", "done")
    return book


@pytest.fixture
def shown(library, qtbot, qloop, twelve_reads):
    desktop = local_desktop(library, shown=True)
    desktop.window.sidebar_action.setChecked(True)
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def in_sight(widget, area) -> bool:
    """`widget` whole inside the visible part of the scroll area `area`."""
    viewport = area.viewport()
    top = widget.mapTo(viewport, QPoint(0, 0))
    return top.y() >= 0 and top.y() + widget.height() <= viewport.height()


def click_read(qtbot, box: ReadsBox, row: int) -> None:
    item = box.tree.topLevelItem(row)
    box.tree.scrollToItem(item)  # the list's own scroll bar
    place = box.tree.visualItemRect(item).center()
    qtbot.mouseClick(box.tree.viewport(), Qt.MouseButton.LeftButton, pos=place)


@pytest.mark.parametrize("size", WINDOWS)
def test_a_read_chosen_among_twelve_shows_its_buttons(shown, qtbot, qloop, twelve_reads, size):
    window = shown.window
    window.resize(*size)
    settle(qloop)
    assert window.library_view.select_book(twelve_reads)
    panel = window.book_panel
    box = panel.findChild(ReadsBox)
    qtbot.waitUntil(lambda: box.tree.topLevelItemCount() == 12)
    settle(qloop)
    tree, details = box.tree, panel.details

    # A few reads in sight, the others a scroll of the list away: the section stays short.
    assert tree.verticalScrollBar().maximum() > 0
    assert tree.viewport().height() < (READS_SHOWN + 1) * tree.sizeHintForRow(0)
    assert box.height() < details.viewport().height() // 2
    dates = tree.fontMetrics()
    for column in (0, 1):  # the dates whole in the narrow panel
        assert tree.columnWidth(column) > dates.horizontalAdvance("2010-01-01"), column
    assert tree.topLevelItem(0).toolTip(3) == plain_tooltip("this library")  # whole if cut

    # The user scrolls the panel until the list's first read shows at its bottom edge...
    scroll = details.verticalScrollBar()
    first = tree.visualItemRect(tree.topLevelItem(0))
    bottom = tree.viewport().mapTo(details.widget(), first.bottomLeft()).y()
    scroll.setValue(max(0, bottom + 2 - details.viewport().height()))
    settle(qloop)
    shown_bottom = tree.viewport().mapTo(details.viewport(), first.bottomLeft()).y()
    assert 0 < shown_bottom <= details.viewport().height()
    click_read(qtbot, box, 0)  # ... and clicks it: Edit Read… and Delete come into sight
    settle(qloop)
    assert box.selected() is box.lines[0]
    for button in (box.add_button, box.edit_button, box.delete_button):
        assert button.isEnabled() and in_sight(button, details), button.text()

    click_read(qtbot, box, 11)  # the twelfth read, a scroll of the list away
    settle(qloop)
    assert in_sight(box.edit_button, details)

    async def edit_read() -> tuple[str, str]:
        opened = signal_future(box.dialog_opened)
        qtbot.mouseClick(box.edit_button, Qt.MouseButton.LeftButton)
        (dialog,) = await opened
        seen = dialog.started_edit.text(), dialog.finished_edit.text()
        dialog.reject()
        await asyncio.sleep(0.05)
        return seen

    assert qloop.run_until_complete(edit_read()) == ("2021-01-01", "2021-02-01")
