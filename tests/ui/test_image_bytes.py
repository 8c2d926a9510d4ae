"""Cover bytes shown in the window reach Qt only as JPEG, PNG, GIF or WebP: Qt's other image
plugins (ICO, SVG and TGA here, PDF where installed) never see them."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PySide6.QtGui import QImage

from bookorbit_desktop.library.metadata.images import COVER_FORMATS
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.cover_loader import NO_COVER
from bookorbit_desktop.ui.image_bytes import image_file, image_from, pixmap_from
from bookorbit_desktop.ui.library.book_panel import BookPanel
from tests.factories import add_book
from tests.hostile_images import HOSTILE_COVERS
from tests.library.books import jpeg


@pytest.mark.parametrize("fmt", COVER_FORMATS)
def test_the_four_cover_formats_are_shown(qapp, fmt):
    output = io.BytesIO()
    Image.new("RGB", (60, 90), (10, 120, 40)).save(output, fmt)
    assert image_from(output.getvalue()).size().toTuple() == (60, 90)
    assert not pixmap_from(output.getvalue()).isNull()


@pytest.mark.parametrize("kind", sorted(HOSTILE_COVERS))
def test_another_format_is_shown_as_no_image(qapp, kind):
    data = HOSTILE_COVERS[kind]
    assert image_from(data).isNull() and pixmap_from(data).isNull()


def test_qt_alone_would_have_read_some_of_them(qapp):
    """Why the check comes first: Qt guesses ICO and SVG from the bytes by itself."""
    assert not QImage.fromData(HOSTILE_COVERS["ico"]).isNull()
    assert not QImage.fromData(HOSTILE_COVERS["svg"]).isNull()


@pytest.mark.parametrize("kind", ["ico", "svg"])
def test_a_stored_cover_file_of_another_format_shows_the_placeholder(qtbot, library, kind):
    """A file put in a stored cover's place (covers are JPEGs BookOrbit wrote) is not read."""
    book = add_book("Dune", ["Frank Herbert"])
    Book.update(cover_path=f"covers/{book.id}.jpg").where(Book.id == book.id).execute()
    stored = library.covers_dir / f"{book.id}.jpg"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(HOSTILE_COVERS[kind])
    assert image_file(stored).isNull()
    service = LibraryService(library)
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    panel.show_book(book.id)
    assert panel.cover.accessibleName() == NO_COVER
    stored.write_bytes(jpeg(60, 90))  # the same place with a JPEG: shown
    panel.show_book(book.id)
    assert panel.cover.accessibleName() == "Cover"
