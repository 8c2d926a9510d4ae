"""The page's "N new books wait for your review" and what Sync Now does are one rule
(`hardcover.sync.plan.awaiting_review`): when the page says new books wait for a review, Sync
Now shows the review before anything goes out, even under the size that reviews any pass.
Real widgets offscreen, the fake Hardcover on 127.0.0.1."""

from __future__ import annotations

import asyncio

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.sync.waiting import MAX_NEW_BY_ITSELF
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.ui.sync.progress_text import REVIEW_THRESHOLD
from bookorbit_desktop.ui.sync.review_dialog import ReviewDialog
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK
from tests.ui.hardcover.conftest import connect, refresh

NEW = 15  # more than the worker publishes by itself, fewer than a pass that is always reviewed


def linked_new_books(fake, count: int) -> list[int]:
    ids = []
    for n in range(count):
        hc_book = fake.catalog.add_book(f"New {n}", authors=["Ann Author"], users_count=5)
        edition = fake.catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
        book = add_book(f"New {n}", ["Ann Author"])
        pin(book.id, hc_book, edition_id=edition, edition_pages=300, reason="pick")
        update_reading_state(book.id, status="read", finished="2026-01-10")
        ids.append(book.id)
    return ids


def test_the_new_books_the_page_says_wait_for_review_are_reviewed_by_sync_now(hc, fake, qloop):
    assert MAX_NEW_BY_ITSELF < NEW <= REVIEW_THRESHOLD
    connect(hc, fake, qloop)
    linked_new_books(fake, NEW)
    refresh(hc, qloop)
    assert f"{NEW} new books wait for your review" in hc.view.details_label.text()
    reviews = []

    def opened(dialog):
        if isinstance(dialog, ReviewDialog):
            reviews.append(dialog.tree.topLevelItemCount())
            asyncio.get_event_loop().call_soon(dialog.reject)

    hc.dialog_opened.connect(opened)
    qloop.run_until_complete(hc.sync_now())
    assert reviews == [NEW]  # reviewed, as the page said
    assert fake.catalog.tables["user_books"] == {}  # cancelled at the review: nothing sent
