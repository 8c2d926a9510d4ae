"""The Shelves tab in the assembled window: shelves with counts, each book in the library,
likely (Link) or missing (Open on Hardcover), from the keyboard too; the empty states; a shelf
of 2,000 books shown in steps; Add to Want to Read asking before it changes a status."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from bookorbit_desktop.hardcover.matching.store import get_match, pin
from bookorbit_desktop.hardcover.pull import store as pulled
from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.ui.shelves.model import STEP
from tests.factories import add_book
from tests.ui.assembled import local_desktop

HOBBIT_ISBN = "9780547928227"


class UrlCatcher(QObject):
    """Stands where the desktop's browser would: Qt hands it the https addresses opened."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def urls():
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "open")
    yield catcher
    QDesktopServices.unsetUrlHandler("https")


def _pull(entries, lists=()) -> None:
    rows = [
        pulled.PulledRow(
            1000 + hc_id,
            hc_id,
            {"status_id": status},
            None,
            title=title,
            authors=(author,),
            isbns=isbns,
            slug=title.lower().replace(" ", "-"),
        )
        for hc_id, title, author, status, isbns in entries
    ]
    pulled.save_page(rows, 1, {})
    pulled.save_lists(lists, 1, {})


@pytest.fixture
def books(library):
    dune = add_book("Dune", ["Frank Herbert"], status="reading").id
    pin(dune, 1, edition_id=None, edition_pages=None, reason="picked")
    hobbit = add_book("The Hobbit", ["Tolkien, J. R. R."], isbn13=HOBBIT_ISBN).id
    add_book("Emma", ["Emma Donoghue"])
    _pull(
        [
            (1, "Dune", "Frank Herbert", 2, ()),
            (2, "The Hobbit", "J.R.R. Tolkien", 1, (HOBBIT_ISBN,)),
            (3, "Emma", "Jane Austen", 1, ()),
        ],
        [{"id": 5, "name": "Classics", "slug": "classics", "book_ids": [3, 1]}],
    )
    return {"dune": dune, "hobbit": hobbit}


@pytest.fixture
def desktop(library, qtbot, qloop):
    desktop = local_desktop(library, shown=True)
    qloop.run_until_complete(asyncio.sleep(0.3))
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def _open_tab(desktop, qloop):
    page = desktop.controller.shelves.page
    tabs = desktop.window.tabs
    tabs.setCurrentIndex(tabs.indexOf(page))
    qloop.run_until_complete(page.reload())
    return page


def _choose(page, qloop, name: str) -> None:
    for row in range(page.shelf_list.count()):
        if page.shelf_list.item(row).text().startswith(name):
            page.shelf_list.setCurrentRow(row)
    qloop.run_until_complete(page.reload())


def _select(page, title: str) -> None:
    for row in range(page.model.rowCount()):
        if page.model.index(row, 0).data() == title:
            page.table.selectRow(row)
            return
    raise AssertionError(f"{title} not on the shelf")


def test_shelves_show_each_book_linked_likely_or_missing(books, desktop, qtbot, qloop, urls):
    page = _open_tab(desktop, qloop)
    assert desktop.window.tabs.tabText(desktop.window.tabs.indexOf(page)) == "Sh&elves"
    texts = [page.shelf_list.item(n).text() for n in range(page.shelf_list.count())]
    assert texts == [
        "Want to Read (2 books, 0 in the library)",
        "Currently Reading (1 book, 1 in the library)",
        "Classics (2 books, 1 in the library)",
    ]
    assert page.counts.text() == "2 books: 0 in the library, 1 likely, 1 missing"
    states = {
        page.model.index(r, 0).data(): page.model.index(r, 2).data()
        for r in range(page.model.rowCount())
    }
    assert states == {"The Hobbit": "Likely — Link?", "Emma": "Missing"}
    _select(page, "The Hobbit")
    why = page.model.index(page.table.currentIndex().row(), 3).data()
    assert f"same ISBN {HOBBIT_ISBN}" in why
    assert page.link_button.isEnabled() and not page.go_button.isEnabled()

    # Link: the user's word, recorded as a pick; the shelf reads again.
    qtbot.mouseClick(page.link_button, Qt.MouseButton.LeftButton)
    qloop.run_until_complete(asyncio.sleep(0.5))
    match = get_match(books["hobbit"])
    assert match.hc_book_id == 2 and match.pinned and "same ISBN" in match.reason
    assert page.shelf_list.item(0).text() == "Want to Read (2 books, 1 in the library)"
    assert "Linked “The Hobbit”" in desktop.window.statusBar().currentMessage()

    # Missing: Enter opens its Hardcover page.
    _select(page, "Emma")
    assert page.open_button.isEnabled() and not page.link_button.isEnabled()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert urls.opened == ["https://hardcover.app/books/emma"]
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert len(urls.opened) == 2

    # Linked: Go to Book shows it in the library.
    _choose(page, qloop, "Currently Reading")
    _select(page, "Dune")
    assert page.go_button.isEnabled()
    qtbot.mouseClick(page.go_button, Qt.MouseButton.LeftButton)
    assert desktop.window.tabs.currentIndex() == 0
    assert desktop.window.library_view.selected_book_ids() == [books["dune"]]


def test_accessible_names_and_empty_states(library, desktop, qloop):
    page = _open_tab(desktop, qloop)
    assert page.no_shelves.isVisible() and "No shelves yet" in page.no_shelves.text()
    assert page.shelf_list.accessibleName() == "Your Hardcover shelves"
    assert page.table.accessibleName() == "Books on the shelf"
    _pull([], [{"id": 9, "name": "Empty list", "slug": "empty", "book_ids": []}])
    qloop.run_until_complete(page.reload())
    assert not page.no_shelves.isVisible()
    assert page.empty_shelf.isVisible() and "This shelf is empty" in page.empty_shelf.text()


def test_a_shelf_of_2000_books_is_shown_in_steps(library, desktop, qloop):
    _pull([(n, f"Wish {n}", "Bea Writer", 1, ()) for n in range(1, 2001)])
    page = _open_tab(desktop, qloop)
    assert page.shelf_list.item(0).text() == "Want to Read (2,000 books, 0 in the library)"
    assert page.counts.text() == "2,000 books: 0 in the library, 0 likely, 2,000 missing"
    assert page.model.rowCount() == STEP
    page.table.scrollToBottom()
    qloop.run_until_complete(asyncio.sleep(0.1))
    assert page.model.rowCount() > STEP


def test_add_to_want_to_read_asks_before_changing_a_status(books, desktop, qtbot, qloop):
    want = desktop.controller.shelves.want
    view = desktop.window.library_view
    qloop.run_until_complete(desktop.controller.reload())
    assert view.select_book(books["dune"])
    assert want.action in view.table.actions()  # the context menu
    task = want.trigger()
    qloop.run_until_complete(asyncio.sleep(0.3))
    assert "On Hardcover this book is “Currently Reading”" in want.box.text()
    want.box.button(QMessageBox.StandardButton.No).click()
    qloop.run_until_complete(task)
    assert ReadingState.get_by_id(books["dune"]).status == "reading"
    assert view.select_book(books["hobbit"])
    qloop.run_until_complete(want.trigger())  # unread, no entry: nothing to ask
    assert ReadingState.get_by_id(books["hobbit"]).status == "want_to_read"
    assert "is on Want to Read" in desktop.window.statusBar().currentMessage()


def test_add_to_want_to_read_takes_several_books_in_one_undoable_step(books, desktop, qloop):
    want = desktop.controller.shelves.want
    view = desktop.window.library_view
    qloop.run_until_complete(desktop.controller.reload())
    view.table.selectAll()
    task = want.trigger()
    assert task is not None  # several books no longer refused
    qloop.run_until_complete(asyncio.sleep(0.3))
    assert want.box.windowTitle() == "Add 3 Books to Want to Read?"
    assert "Want to Read replaces the status (here or on Hardcover) of “Dune”" in want.box.text()
    want.box.button(QMessageBox.StandardButton.Yes).click()
    qloop.run_until_complete(task)
    assert {state.status for state in ReadingState.select()} == {"want_to_read"}
    assert desktop.window.statusBar().currentMessage().startswith("3 books on Want to Read")
    undo = desktop.book_actions.undo
    undo.refresh()
    assert undo.undo_action.text() == "&Undo Edit 3 Books"
    undo.undo_action.trigger()
    assert ReadingState.get_by_id(books["dune"]).status == "reading"
    assert ReadingState.get_by_id(books["hobbit"]).status == "unread"
