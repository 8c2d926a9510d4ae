"""A book's highlights in its panel, and the Highlights page's search, on a real library."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from bookorbit_desktop.library.highlights import store
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.services import highlights as service
from bookorbit_desktop.services.library import LibraryService
from bookorbit_desktop.ui.highlights.book_box import BookHighlights, book_panel_with_highlights
from bookorbit_desktop.ui.highlights.page import RESULT_LIMIT, HighlightsPage
from tests.factories import add_book

T = 1_700_000_000


def _seed():
    dune = add_book("Dune", ["Frank Herbert"])
    emma = add_book("Emma", ["Jane Austen"])
    store.record(
        store.Target(dune.id),
        [
            Entry(T, "Fear is the mind-killer.", "The litany", "Book One", "12"),
            Entry(T + 60, "The spice must flow.", ""),
        ],
        source="xmnote",
        origin="192.168.1.23",
        now=1.0,
    )
    return dune, emma


def test_the_panel_shows_each_books_highlights(qtbot, library):
    dune, emma = _seed()
    panel = book_panel_with_highlights(LibraryService(library).book_details, lambda *_: None)
    qtbot.addWidget(panel)
    box = panel.findChild(BookHighlights)
    assert box is not None
    panel.show_book(dune.id)
    assert box.title() == "Highlights (2)"
    text = box.browser.toPlainText()
    assert "Fear is the mind-killer." in text and "Note: The litany" in text
    assert "Book One · p. 12 · " in text
    assert not box.empty_label.isVisibleTo(panel)
    box.copy_markdown()
    assert QApplication.clipboard().text().startswith("# Dune\n\n*Frank Herbert*")
    panel.show_book(emma.id)
    assert box.title() == "Highlights"
    assert box.empty_label.isVisibleTo(panel) and not box.browser.isVisibleTo(panel)


def test_the_page_searches_every_highlight(qtbot, library):
    _seed()
    page = HighlightsPage(service.search)
    qtbot.addWidget(page)
    page.refresh()
    assert page.count_label.text() == "2 highlights"
    page.query.setText("spice")
    qtbot.waitUntil(lambda: page.count_label.text() == "1 highlight")
    assert "Dune · " in page.results.toPlainText()
    page.query.setText("nothing like this")
    page.refresh()
    assert page.count_label.text() == "No highlight holds “nothing like this”."


def test_the_page_says_when_it_shows_only_the_first_results(qtbot, library):
    book = add_book("Long", ["A"])
    entries = [Entry(T + i, f"line {i}") for i in range(RESULT_LIMIT + 5)]
    store.record(store.Target(book.id), entries, source="sidecar", origin="x", now=1.0)
    page = HighlightsPage(service.search)
    qtbot.addWidget(page)
    page.refresh()
    assert page.count_label.text() == f"The first {RESULT_LIMIT} highlights; type to narrow."
    assert len(page.views) == RESULT_LIMIT + 1
