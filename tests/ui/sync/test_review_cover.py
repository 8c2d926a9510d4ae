"""The review's details pane shows the selected book's Hardcover cover, fetched from the fake
Hardcover's image server on 127.0.0.1 in the background: a fixed 80 px high, only for the row
still selected when it arrives; a book without a stored cover, or whose cover cannot be
fetched, keeps the text alone."""

from __future__ import annotations

import asyncio
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from bookorbit_desktop.hardcover.api.client import ENDPOINT_ENV
from bookorbit_desktop.library.store.models import HardcoverMatch
from bookorbit_desktop.services.hardcover.service import HardcoverService
from bookorbit_desktop.services.hardcover.sync import BookResult
from bookorbit_desktop.services.metadata.remote_covers import RemoteCovers
from bookorbit_desktop.ui.sync.review_dialog import BOOK, COVER_HEIGHT, ReviewDialog
from tests.factories import add_book
from tests.ui.hardcover.conftest import connect, make_controller
from tests.ui.sync.test_manual_sync import isbn

ADD = ({"changes": ("add to Hardcover as Read",)},)


def link(title: str, hc_book_id: int, image_url: str | None) -> BookResult:
    book = add_book(title)
    candidate = {"book_id": hc_book_id, "title": title, "image_url": image_url}
    HardcoverMatch.create(
        book=book.id,
        state="linked",
        reason="isbn13",
        hc_book_id=hc_book_id,
        candidates=[candidate],
        updated_at=time.time(),
    )
    return BookResult(book.id, title, "would_send", ADD)


def select(dialog: ReviewDialog, title: str) -> None:
    (item,) = dialog.tree.findItems(title, Qt.MatchFlag.MatchExactly, BOOK)
    dialog.tree.setCurrentItem(item)


def test_the_details_show_the_selected_books_cover(
    library, fake, qtbot, qloop, tmp_path, monkeypatch
):
    monkeypatch.setenv(ENDPOINT_ENV, fake.url)  # covers on loopback: the configured address only
    left_hand, dune = fake.cover_url("left-hand.png"), fake.cover_url("missing-dune.png")
    books = [
        link("Left Hand", 11, left_hand),
        link("Emma", 12, None),
        link("Dune", 13, dune),  # the image server has no such cover
    ]
    covers = RemoteCovers(tmp_path / "covers")
    fetched: list[str] = []

    async def cover(url: str) -> bytes | None:
        data = await covers.fetch(url)
        fetched.append(url)
        return data

    async def settled(url: str, times: int) -> None:
        for _ in range(250):
            if fetched.count(url) >= times:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"{url} fetched {fetched.count(url)} times, not {times}")

    async def scenario() -> None:
        dialog = ReviewDialog(books, None, HardcoverService().match_details(), cover)
        qtbot.addWidget(dialog)
        dialog.show()
        await settled(dune, 1)  # the first row, Dune, is selected at once
        select(dialog, "Left Hand")
        text = dialog.details.text()
        await settled(left_hand, 1)
        shown = dialog.cover.pixmap()
        assert not shown.isNull() and shown.height() == COVER_HEIGHT
        assert dialog.cover.isVisible()
        assert dialog.details.text() == text  # the cover comes beside the text

        select(dialog, "Emma")  # no cover stored: the text alone
        assert dialog.cover.pixmap().isNull() and not dialog.cover.isVisible()
        assert "Emma" in dialog.details.text()

        select(dialog, "Dune")
        text = dialog.details.text()
        await settled(dune, 2)
        assert dialog.cover.pixmap().isNull() and not dialog.cover.isVisible()
        assert dialog.details.text() == text  # a cover that failed changes nothing

        select(dialog, "Left Hand")  # from the cache now, yet still after the next click
        select(dialog, "Emma")
        await settled(left_hand, 2)
        assert dialog.cover.pixmap().isNull()  # Left Hand's cover never shows beside Emma
        dialog.reject()

    qloop.run_until_complete(scenario())


def test_sync_now_hands_the_pages_cover_loader_to_the_review(
    library, fake, keyring_backend, qtbot, qloop, tmp_path, monkeypatch
):
    monkeypatch.setenv(ENDPOINT_ENV, fake.url)  # covers on loopback: the configured address only
    covers = RemoteCovers(tmp_path / "covers")
    hc = make_controller(library, fake, keyring_backend, qtbot, remote_cover=covers.fetch)
    for n in range(21):  # more than a pass sends unreviewed
        title = f"Book Number {n}"
        image = {"url": fake.cover_url(f"book-{n}.png"), "width": 20, "height": 30}
        hc_book = fake.catalog.add_book(title, users_count=50, cached_image=image)
        fake.catalog.add_edition(hc_book, isbn_13=isbn(n + 1), pages=300, users_count=10)
        add_book(title, status="reading", isbn13=isbn(n + 1))
    connect(hc, fake, qloop)
    heights: list[int] = []
    looks: list[asyncio.Future[None]] = []

    async def look_and_cancel(dialog: ReviewDialog) -> None:
        for _ in range(250):  # the first row is selected at once; its cover follows
            if not dialog.cover.pixmap().isNull():
                break
            await asyncio.sleep(0.02)
        heights.append(dialog.cover.pixmap().height())
        dialog.done(QDialog.DialogCode.Rejected)

    def opened(dialog: QDialog) -> None:
        if isinstance(dialog, ReviewDialog):
            looks.append(asyncio.ensure_future(look_and_cancel(dialog)))

    hc.dialog_opened.connect(opened)
    qloop.run_until_complete(hc.sync_now())
    assert heights == [COVER_HEIGHT]
