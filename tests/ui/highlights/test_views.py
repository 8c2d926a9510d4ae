"""A book's highlights in its panel, and the Highlights page's search, on a real library."""

from __future__ import annotations

import asyncio
import socket

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from bookorbit_desktop.library.highlights import proposals, store
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.highlights import service
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.services.server import DesktopServer
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.highlights.book_box import BookHighlights, panel_with_highlights
from bookorbit_desktop.ui.highlights.page import RESULT_LIMIT, HighlightsPage
from bookorbit_desktop.ui.highlights.receiver_box import ReceiverAccess, ReceiverBox
from tests.factories import add_book

T = 1_700_000_000


async def searched(page: HighlightsPage) -> None:
    """Wait for the pause after typing, then for the search it starts (read off the loop)."""
    while page._timer.isActive():
        await asyncio.sleep(0.02)
    assert page.task is not None
    await page.task


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
    panel = panel_with_highlights(LibraryService(library).book_details, lambda *_: None)
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


def test_the_page_searches_every_highlight(qtbot, qloop, library):
    _seed()
    page = HighlightsPage(LibraryService(library).list_books)
    qtbot.addWidget(page)
    qloop.run_until_complete(page.refresh())
    assert page.count_label.text() == "2 highlights"
    page.query.setText("spice")
    qloop.run_until_complete(searched(page))
    assert page.count_label.text() == "1 highlight"
    assert "Dune · " in page.results.toPlainText()
    page.query.setText("nothing like this")
    qloop.run_until_complete(page.refresh())
    assert page.count_label.text() == "No highlight holds “nothing like this”."


def test_the_page_says_when_it_shows_only_the_first_results(qtbot, qloop, library):
    book = add_book("Long", ["A"])
    entries = [Entry(T + i, f"line {i}") for i in range(RESULT_LIMIT + 5)]
    store.record(store.Target(book.id), entries, source="sidecar", origin="x", now=1.0)
    page = HighlightsPage(LibraryService(library).list_books)
    qtbot.addWidget(page)
    qloop.run_until_complete(page.refresh())
    assert page.count_label.text() == f"The first {RESULT_LIMIT} highlights; type to narrow."
    assert len(page.views) == RESULT_LIMIT + 1


def test_waiting_exports_and_proposals_are_decided_on_the_page(qtbot, qloop, library):
    dune, _ = _seed()
    store.record(
        store.Target(None, "Dune (Special Edition)", "F. Herbert"),
        [Entry(T + 500, "A new one")],
        source="xmnote",
        origin="192.168.1.23",
        now=2.0,
    )
    proposals.propose(dune.id, "sidecar", status="read", rating=5, note="Loved it", now=3.0)
    page = HighlightsPage(LibraryService(library).list_books)
    qtbot.addWidget(page)
    page.show()
    box = page.waiting
    assert box.isVisible() and box.tree.topLevelItemCount() == 2
    assert box.tree.topLevelItem(0).text(0) == "Dune (Special Edition) — F. Herbert"
    assert box.tree.topLevelItem(1).text(0) == "Dune: Read, rating 5★ (note: Loved it)"
    assert not box.link_button.isEnabled() and not box.apply_button.isEnabled()

    box.tree.setCurrentItem(box.tree.topLevelItem(0))

    async def scenario():
        opened = signal_future(box.chooser_opened)
        task = box.link_selected()
        (chooser,) = await opened
        qtbot.keyClicks(chooser.filter_edit, "dune")
        chooser.table.selectRow(0)
        with qtbot.waitSignal(box.message) as message:
            qtbot.mouseClick(chooser.ok_button, Qt.MouseButton.LeftButton)
            await task
        return message.args[0]

    chooser_text = qloop.run_until_complete(scenario())
    assert chooser_text == "“Dune (Special Edition)”: 1 highlight added to the book."
    assert [v.text for v in service.book_highlights(dune.id)][-1] == "A new one"
    qloop.run_until_complete(page.task)
    assert page.count_label.text() == "3 highlights"
    box.tree.setCurrentItem(box.tree.topLevelItem(0))
    assert box.apply_button.isEnabled()

    before = ReadingState.get_by_id(dune.id).status

    async def apply_with_a_date():
        # Nothing says when Dune was finished: the user is asked, today prefilled.
        opened = signal_future(box.chooser_opened)
        box.apply_button.click()
        (dialog,) = await opened
        assert ReadingState.get_by_id(dune.id).status == before != "read"  # nothing yet
        assert not box.dismiss_button.isEnabled()  # one decision at a time
        box.tree.clearSelection()  # the list moves on meanwhile: the date is still Dune's
        dialog.date_edit.setDate(QDate(2026, 11, 20))
        with qtbot.waitSignal(box.message):
            dialog.accept()
            await box._busy

    qloop.run_until_complete(apply_with_a_date())
    state = ReadingState.get_by_id(dune.id)
    assert (state.status, state.finished, state.finished_source) == ("read", "2026-11-20", "user")
    assert not box.isVisible()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_receiver_is_switched_on_from_the_page(qtbot, qloop, library):
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    server = DesktopServer(library, addresses=lambda host: ["192.168.1.20"])
    qloop.run_until_complete(server.start())
    try:
        box = ReceiverBox(ReceiverAccess(server.restart, lambda: server.info))
        qtbot.addWidget(box)
        assert box.status.text() == "Off: KOReader's highlight exports are not received."
        assert not box.apply_button.isEnabled()
        box.on_check.setChecked(True)
        box.port_spin.setValue(_free_port())
        assert box.apply_button.isEnabled()
        box.apply()
        qloop.run_until_complete(box.task)
        port = server.info.highlights_port
        assert port == box.port_spin.value()
        assert box.status.text().startswith(f"Receiving on port {port}. In KOReader: open a book")
        assert f"type 192.168.1.20:{port}/send#, and tick" in box.status.text()
        with socket.socket() as taken:  # another program takes the port meanwhile
            qloop.run_until_complete(server.stop())
            taken.bind(("127.0.0.1", port))
            taken.listen()
            qloop.run_until_complete(server.start())
            box.refresh()
            assert "calibre's content server" in box.status.text()
    finally:
        qloop.run_until_complete(server.stop())
