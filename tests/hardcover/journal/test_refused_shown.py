"""A journal entry Hardcover refused is shown on the book's highlights in the window, with
Hardcover's reason, against the loopback fake Hardcover and a real offscreen widget."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.journal import store as journal_store
from bookorbit_desktop.hardcover.journal.send import send_highlights
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.library.highlights import store
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.services.highlights import service
from bookorbit_desktop.ui.highlights.book_box import BookHighlights
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK

pytestmark = pytest.mark.asyncio


async def test_the_book_box_shows_why_hardcover_refused_a_quote(
    qapp, library, hardcover, hc_client
):
    catalog = hardcover.catalog
    hc_book = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=5)
    edition = catalog.add_edition(hc_book, pages=400, reading_format_id=EBOOK)
    dune = add_book("Dune", ["Frank Herbert"])
    pin(dune.id, hc_book, edition_id=edition, edition_pages=400, reason="pick")
    entries = [Entry(1_709_300_000, "Fear is the mind-killer.")]
    store.record(store.Target(dune.id), entries, source="xmnote", origin="x", now=1.0)
    journal_store.choose([dune.id], on=True)
    box = BookHighlights(service.book_highlights, service.markdown)
    box.show_book(dune.id)
    assert "Refused by Hardcover" not in box.browser.toPlainText()
    catalog.delete_book(hc_book)
    await send_highlights(hc_client, user_id=hardcover.user_id, reviewed=True)
    box.show_book(dune.id)
    assert "Refused by Hardcover: Book not found" in box.browser.toPlainText()
