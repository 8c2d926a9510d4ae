"""Books without a cover in the assembled window at 1366x768: the grid shows each one's
generated cover with its title and authors under it, the book panel says the cover is
generated, and writing the metadata into the book's EPUB leaves the generated cover out."""

from __future__ import annotations

import asyncio
import zipfile

import pytest

from bookorbit_desktop.library.editing.file_write import write_into_files
from bookorbit_desktop.library.metadata.generated_cover import cover_colour
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.cover_loader import GENERATED_COVER
from bookorbit_desktop.ui.library.cover_grid import COVER
from tests.factories import add_book, make_epub
from tests.ui.assembled import local_desktop
from tests.ui.small_screen import small_screen_fixture  # noqa: F401  (the `small_screen` fixture)


@pytest.fixture
def desktop(library, qtbot, qloop, small_screen, tmp_path):
    add_book("Dune", ["Frank Herbert"], file=make_epub(tmp_path / "dune.epub", "Dune"))
    add_book("Emma", ())  # no author at all
    desktop = local_desktop(library, shown=True)
    desktop.window.resize(small_screen.size())
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def book_id(title: str) -> int:
    return Book.get(Book.title == title).id


def close(colour, rgb, within: int = 12) -> bool:
    return all(abs(a - b) <= within for a, b in zip(colour.getRgb()[:3], rgb, strict=True))


def test_the_grid_shows_generated_covers_with_title_and_authors(desktop, qloop):
    view = desktop.window.library_view
    view.show_grid(True)
    grid = view.grid

    async def covers_loaded() -> None:
        loaded = signal_future(grid.covers.loaded)
        grid.covers.schedule()
        await asyncio.wait_for(loaded, 10)

    qloop.run_until_complete(covers_loaded())
    shot = grid.viewport().grab().toImage()
    line = grid.fontMetrics().lineSpacing()
    for title, authors in (("Dune", True), ("Emma", False)):
        image = grid.cover(book_id(title)).toImage()
        assert image.size() == COVER.boundedTo(image.size())
        background = image.pixelColor(image.width() // 2, image.height() * 9 // 20)
        assert close(background, cover_colour(title)), title
        cell = grid.visualRect(view.model.index(view.model.row_of(book_id(title)), 0))
        # The authors' line: under the cover and the title's two lines.
        top = cell.top() + 2 + 6 + COVER.height() + 4 + 2 * line
        strip = {
            shot.pixel(x, y)
            for x in range(cell.left() + 8, cell.right() - 8)
            for y in range(top + 2, top + line - 2)
        }
        assert (len(strip) > 1) is authors, title  # text drawn, or nothing at all


def test_the_book_panel_says_the_cover_is_generated(desktop, library):
    panel = desktop.window.book_panel
    panel.show_book(book_id("Dune"))
    assert panel.cover.accessibleName() == GENERATED_COVER
    assert "never written into the book's file" in panel.cover.toolTip()
    assert not panel.cover.pixmap().isNull()
    assert Book.get(Book.title == "Dune").cover_path is None


def test_writing_the_metadata_leaves_the_generated_cover_out(desktop, library):
    dune = book_id("Dune")
    desktop.window.book_panel.show_book(dune)  # the generated cover is made and shown
    (written,) = write_into_files(library, dune)
    with zipfile.ZipFile(written.path) as epub:
        names = epub.namelist()
        opf = next(epub.read(n) for n in names if n.endswith(".opf"))
    assert not [n for n in names if n.lower().endswith((".jpg", ".jpeg", ".png"))]
    assert b"bookorbit-cover" not in opf
