"""The review names the edition each book goes to: the Hardcover title, the edition's format
in words and its pages, read from the stored match; the Hardcover ids only in the tooltip."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from bookorbit_desktop.library.store.models import HardcoverMatch
from bookorbit_desktop.services.hardcover.matches import edition_words
from bookorbit_desktop.services.hardcover.service import HardcoverService
from bookorbit_desktop.services.hardcover.sync import BookResult
from bookorbit_desktop.ui.sync.review_dialog import BOOK, NO_TARGET, TARGET, ReviewDialog
from tests.factories import add_book
from tests.ui.shown import tooltip_text

ADD = ({"changes": ("add to Hardcover as Read",)},)
HC_BOOK, HC_EDITION = 48213, 77519  # ids that must never show outside the tooltip


@pytest.mark.parametrize(
    ("description", "pages", "words"),
    [
        ("ebook · en · 320 pages · 12 readers", 320, "ebook, 320 pages"),
        ("Kindle Edition · en · 320 pages · 12 readers", None, "ebook, 320 pages"),
        ("Paperback · en · 1,204 pages · 3 readers", None, "paperback, 1,204 pages"),
        ("Mass Market Paperback · en · no page count · 3 readers", 288, "paperback, 288 pages"),
        ("Hardcover · de · 412 pages · 0 readers", 412, "hardcover, 412 pages"),
        ("Audible Audio · en · no page count · 9 readers", None, "audiobook"),
        ("physical · en · 200 pages · 1 readers", 200, "print, 200 pages"),
        ("Library Binding · en · 96 pages · 1 readers", 96, "library binding, 96 pages"),
        ("unknown · en · 150 pages · 1 readers", 150, "format not stored, 150 pages"),
        (None, 250, "format not stored, 250 pages"),
        (None, None, None),
    ],
)
def test_edition_words(description, pages, words):
    assert edition_words(description, pages) == words


def link(book_id: int, edition: str) -> None:
    candidate = {
        "book_id": HC_BOOK,
        "title": "The Left Hand of Darkness",
        "authors": ["Ursula K. Le Guin"],
        "year": 1969,
        "edition": edition,
    }
    HardcoverMatch.create(
        book=book_id,
        state="linked",
        reason="isbn13",
        hc_book_id=HC_BOOK,
        hc_edition_id=HC_EDITION,
        edition_pages=320,
        candidates=[candidate],
        updated_at=time.time(),
    )


def row(dialog: ReviewDialog, title: str):
    (item,) = dialog.tree.findItems(title, Qt.MatchFlag.MatchExactly, BOOK)
    return item


def test_the_review_names_the_linked_edition_in_words(library, qtbot):
    linked = add_book("Left Hand")
    unlinked = add_book("Emma")
    link(linked.id, "ebook · en · 320 pages · 41 readers")
    books = [BookResult(linked.id, "Left Hand", "would_send", ADD),
             BookResult(unlinked.id, "Emma", "would_send", ADD)]  # fmt: skip
    dialog = ReviewDialog(books, None, HardcoverService().match_details())
    qtbot.addWidget(dialog)

    left = row(dialog, "Left Hand")
    expected = "The Left Hand of Darkness — Ursula K. Le Guin (1969), ebook, 320 pages"
    assert left.text(TARGET) == expected
    dialog.tree.setCurrentItem(left)
    shown = dialog.details.text()
    assert expected in shown
    for text in (left.text(TARGET), shown):
        assert str(HC_BOOK) not in text and str(HC_EDITION) not in text
        assert "readers" not in text and " · " not in text
    tooltip = tooltip_text(left.toolTip(TARGET))
    assert expected in tooltip and str(HC_BOOK) in tooltip and str(HC_EDITION) in tooltip

    emma = row(dialog, "Emma")
    assert emma.text(TARGET) == NO_TARGET == "No Hardcover book linked yet"
    assert tooltip_text(emma.toolTip(TARGET)) == NO_TARGET
    dialog.tree.setCurrentItem(emma)
    assert NO_TARGET in dialog.details.text()


def test_a_kindle_edition_reads_as_an_ebook_with_the_linked_pages(library, qtbot):
    book = add_book("Left Hand")
    link(book.id, "Kindle Edition · en · no page count · 5 readers")
    dialog = ReviewDialog(
        [BookResult(book.id, "Left Hand", "would_send", ADD)],
        None,
        HardcoverService().match_details(),
    )
    qtbot.addWidget(dialog)
    assert row(dialog, "Left Hand").text(TARGET).endswith("(1969), ebook, 320 pages")
