"""The Highlights page and a book's Highlights box follow what another connection writes (an
export the receiver stored, the command line in another process), without leaving the page:
the whole window at 1366x768, a real library, the write on a connection of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bookorbit_desktop.library.highlights import store
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.ui.highlights.book_box import BookHighlights
from tests.factories import add_book
from tests.ui.highlights.test_views import searched
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (fixture)

T = 1_700_000_000


async def until(condition: Callable[[], bool]) -> None:
    """The app's loop runs meanwhile: what follows a change is read off it."""
    for _ in range(250):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the window never showed the change")


def _export_elsewhere(qloop, book_id: int, entries: list[Entry]) -> None:
    """What the receiver stores, written on a worker thread's own connection."""
    write = off_loop(
        store.record,
        store.Target(book_id),
        entries,
        source="xmnote",
        origin="192.168.1.23",
        now=float(T),
    )
    qloop.run_until_complete(write)


def _open_page(desktop):  # noqa: F811
    show_all(desktop, start_hidden=False)
    desktop.window.resize(1366, 768)
    page = desktop.highlights
    desktop.window.tabs.setCurrentWidget(page)
    return page


def test_the_page_shows_an_export_that_arrives_while_it_is_open(desktop, qloop):  # noqa: F811
    dune = add_book("Dune", ["Frank Herbert"])
    page = _open_page(desktop)
    qloop.run_until_complete(page.task)
    assert page.count_label.text().startswith("No highlights yet.")
    page.query.setText("spice")
    qloop.run_until_complete(searched(page))
    assert page.count_label.text() == "No highlight holds “spice”."

    _export_elsewhere(qloop, dune.id, [Entry(T, "The spice must flow.")])
    assert desktop.change_watch.check()
    qloop.run_until_complete(until(lambda: page.count_label.text() == "1 highlight"))
    assert "The spice must flow." in page.results.toPlainText()
    assert page.query.text() == "spice"  # the user's search stays


def test_following_a_change_keeps_the_search_the_scroll_and_the_selection(
    desktop,  # noqa: F811
    qloop,
):
    dune = add_book("Dune", ["Frank Herbert"])
    lines = [Entry(T + i, f"Spice line {i}: " + "the desert " * 30) for i in range(40)]
    _export_elsewhere(qloop, dune.id, lines)
    page = _open_page(desktop)
    page.query.setText("spice")
    qloop.run_until_complete(searched(page))
    assert page.count_label.text() == "40 highlights"
    bar = page.results.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    place = bar.value()
    cursor = page.results.textCursor()
    start = page.results.toPlainText().index("Spice line 7:")
    cursor.setPosition(start)
    cursor.setPosition(start + len("Spice line 7"), cursor.MoveMode.KeepAnchor)
    page.results.setTextCursor(cursor)
    bar.setValue(place)

    _export_elsewhere(qloop, dune.id, [Entry(T + 100, "Spice line 40: the last one")])
    assert desktop.change_watch.check()
    qloop.run_until_complete(until(lambda: page.count_label.text() == "41 highlights"))
    assert page.query.text() == "spice"
    assert bar.value() == place
    assert page.results.textCursor().selectedText() == "Spice line 7"


def test_the_books_highlights_box_follows_an_export_keeping_the_place(
    desktop,  # noqa: F811
    qloop,
):
    dune = add_book("Dune", ["Frank Herbert"])
    lines = [Entry(T + i, f"Line {i}: " + "the desert " * 30) for i in range(40)]
    _export_elsewhere(qloop, dune.id, lines)
    show_all(desktop, start_hidden=False)
    desktop.window.resize(1366, 768)
    assert desktop.window.library_view.select_book(dune.id)
    box = desktop.window.book_panel.findChild(BookHighlights)
    assert box is not None and box.title() == "Highlights (40)"
    bar = box.browser.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    place = bar.value()

    _export_elsewhere(qloop, dune.id, [Entry(T + 100, "Fear is the mind-killer.")])
    assert desktop.change_watch.check()
    qloop.run_until_complete(until(lambda: box.title() == "Highlights (41)"))
    assert "Fear is the mind-killer." in box.browser.toPlainText()
    assert bar.value() == place
