"""Covers on the Hardcover page's rows: read off the window's thread, only for rows in view."""

from __future__ import annotations

import asyncio
import functools

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from bookorbit_desktop.library.metadata.generated_cover import cover_colour
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.services.library.cover_files import cover_files
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.cover_loader import SETTLE_MS
from bookorbit_desktop.ui.row_covers import ICON_SIZE
from tests.factories import add_book
from tests.ui.hardcover.conftest import make_controller


def write_cover(paths, name: str, colour: str) -> str:
    image = QImage(300, 450, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    (paths.data_dir / "covers").mkdir(parents=True, exist_ok=True)
    assert image.save(str(paths.data_dir / "covers" / name))
    return f"covers/{name}"


def centre_colour(icon) -> str:
    image = icon.pixmap(ICON_SIZE).toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2).name()


def index_of(view, book_id):
    return view.model.index(view.model.row_of_book(book_id), 0)


def icon_of(view, book_id):
    """The picture on a book's row."""
    return index_of(view, book_id).data(Qt.ItemDataRole.DecorationRole)


def row_rect(view, book_id):
    return view.tree.visualRect(index_of(view, book_id))


def show_page(hc, qtbot):
    """The page on screen in its window (closing the window hides it)."""
    view = hc.view
    view.resize(900, 500)
    window = view.window()
    window.resize(900, 500)
    window.show()
    qtbot.waitExposed(window)
    assert view.tree.isVisible()
    return view


async def refreshed(hc) -> None:
    """Refill the page and wait for the covers of the rows in view."""
    loaded = signal_future(hc.view.covers.loaded)
    hc.refresh()
    await loaded


def close(colour: QColor, rgb: tuple[int, int, int], within: int = 16) -> bool:
    """`colour` is `rgb` but for the loss of a JPEG and a scaling."""
    return all(abs(a - b) <= within for a, b in zip(colour.getRgb()[:3], rgb, strict=True))


def test_rows_in_view_get_their_covers_and_a_changed_cover_is_read_again(
    library, fake, keyring_backend, qtbot, qloop
):
    asked: list[list[int]] = []

    async def files(book_ids):
        asked.append(list(book_ids))
        return await cover_files(library, book_ids)

    hc = make_controller(library, fake, keyring_backend, qtbot, cover_files=files)
    red = add_book("Aa Red Cover", status="reading")
    Book.update(cover_path=write_cover(library, "red.png", "#ff0000")).where(
        Book.id == red.id
    ).execute()
    plain = add_book("Ab No Cover", status="reading")
    for number in range(200):  # far more rows than fit in view
        add_book(f"Zz Filler {number:03}", status="read")
    view = show_page(hc, qtbot)
    qloop.run_until_complete(refreshed(hc))
    assert red.id in asked[-1] and plain.id in asked[-1]
    assert 2 < len(asked[-1]) < 60, len(asked[-1])  # the rows in view, not all 202
    assert centre_colour(icon_of(view, red.id)) == "#ff0000"
    placeholder = view.covers.placeholder.cacheKey()
    assert icon_of(view, plain.id).cacheKey() != placeholder  # its generated cover
    assert close(QColor(centre_colour(icon_of(view, plain.id))), cover_colour("Ab No Cover"))
    # Refilled: the cover in memory is on the new row at once, before any loading.
    hc.refresh()
    assert centre_colour(icon_of(view, red.id)) == "#ff0000"
    # The cover file changes (same name, other bytes): the next load shows the new one.
    write_cover(library, "red.png", "#0000ff")
    qloop.run_until_complete(refreshed(hc))
    assert centre_colour(icon_of(view, red.id)) == "#0000ff"


def test_a_cover_that_cannot_be_read_keeps_the_placeholder_a_gone_one_is_generated(
    library, fake, keyring_backend, qtbot, qloop
):
    hc = make_controller(
        library, fake, keyring_backend, qtbot, cover_files=functools.partial(cover_files, library)
    )
    broken = add_book("Broken Cover", status="reading")
    (library.data_dir / "covers").mkdir(parents=True, exist_ok=True)
    (library.data_dir / "covers" / "bad.jpg").write_bytes(b"not an image")
    Book.update(cover_path="covers/bad.jpg").where(Book.id == broken.id).execute()
    gone = add_book("Cover Gone", status="reading")  # its file was deleted, no book file
    Book.update(cover_path="covers/gone.jpg").where(Book.id == gone.id).execute()
    view = show_page(hc, qtbot)
    qloop.run_until_complete(refreshed(hc))
    placeholder = view.covers.placeholder.cacheKey()
    assert icon_of(view, broken.id).cacheKey() == placeholder
    assert close(QColor(centre_colour(icon_of(view, gone.id))), cover_colour("Cover Gone"))


def write_image(paths, name: str, width: int, height: int) -> str:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#00aa00"))
    (paths.data_dir / "covers").mkdir(parents=True, exist_ok=True)
    assert image.save(str(paths.data_dir / "covers" / name))
    return f"covers/{name}"


def test_every_row_has_the_same_height_whatever_its_cover(
    library, fake, keyring_backend, qtbot, qloop
):
    hc = make_controller(
        library, fake, keyring_backend, qtbot, cover_files=functools.partial(cover_files, library)
    )
    tall = add_book("Aa Tall Cover", status="reading")
    wide = add_book("Ab Wide Cover", status="reading")  # a comic's double page
    none = add_book("Ac No Cover", status="reading")  # a CBZ without a cover picture
    series = [
        add_book(f"Ad Saga {n}", series="Saga", series_index=n, status="read") for n in (1, 2)
    ]
    for book, path in (
        (tall, write_image(library, "tall.png", 300, 450)),
        (wide, write_image(library, "wide.png", 600, 300)),
    ):
        Book.update(cover_path=path).where(Book.id == book.id).execute()
    view = show_page(hc, qtbot)
    qloop.run_until_complete(refreshed(hc))
    rows = [tall, wide, none, *series]
    heights = {book.title: row_rect(view, book.id).height() for book in rows}
    assert len(set(heights.values())) == 1, heights
    assert heights["Aa Tall Cover"] >= ICON_SIZE.height()
    for book in rows:
        assert icon_of(view, book.id).actualSize(ICON_SIZE) == ICON_SIZE


async def until(condition) -> None:
    while not condition():
        await asyncio.sleep(0.01)


def test_closing_the_page_cancels_its_cover_loading_and_starts_none(
    library, fake, keyring_backend, qtbot, qloop
):
    """Once the page is closed (as when the app quits) no cover load runs or starts, so none
    is left to run after the event loop is gone."""
    asked: list[list[int]] = []
    cancelled: list[list[int]] = []

    async def files(book_ids):
        asked.append(list(book_ids))
        try:
            await asyncio.Event().wait()  # a disk that never answers
        except asyncio.CancelledError:
            cancelled.append(list(book_ids))
            raise
        return {}

    hc = make_controller(library, fake, keyring_backend, qtbot, cover_files=files)
    add_book("Slow Cover", status="reading")
    view = show_page(hc, qtbot)
    hc.refresh()
    qloop.run_until_complete(asyncio.wait_for(until(lambda: asked), 10))
    view.window().close()
    qloop.run_until_complete(asyncio.wait_for(until(lambda: cancelled), 10))
    assert cancelled == asked  # the load under way was cancelled
    # Shown again and closed before the view settles: the waiting load never starts.
    view.window().show()
    view.covers.schedule()
    view.window().close()
    qloop.run_until_complete(asyncio.sleep(4 * SETTLE_MS / 1000))
    assert len(asked) == 1
