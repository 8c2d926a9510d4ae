"""Only JPEG, PNG, GIF and WebP are ever decoded as a cover, at every door a cover comes in by:
a book's own cover item (import, and the cover made later), a metadata source's download and
a file the user chooses. Other formats are refused with a reason, the book imports without
that cover, and no helper program (Ghostscript for EPS) is ever started."""

from __future__ import annotations

import io
import warnings

import pytest
from PIL import Image

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.editing.values import parse_cover
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.metadata.covers import (
    UnusableCover,
    ensure_cover,
    make_cover,
    usable_cover,
)
from bookorbit_desktop.library.metadata.images import COVER_FORMATS, image_format, open_image
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.metadata_sources import openlibrary, outside
from bookorbit_desktop.metadata_sources.covers import CoverError, download_cover
from tests.fakes.metadata_sources import FakeBookSources
from tests.hostile_images import HOSTILE_COVERS, ghostscript_runs
from tests.library.conftest import epub_with_cover

__all__ = ["ghostscript_runs"]  # the fixture, used by name

HOSTILE = pytest.mark.parametrize("kind", sorted(HOSTILE_COVERS))
REFUSED = r"not an image BookOrbit can read \(a JPEG, PNG, GIF or WebP file\)"


def _image(fmt: str) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (60, 90), (10, 120, 40)).save(output, fmt)
    return output.getvalue()


@pytest.mark.parametrize("fmt", COVER_FORMATS)
def test_the_four_cover_formats_are_read_and_stored(fmt):
    data = _image(fmt)
    assert image_format(data) == fmt and usable_cover(data)
    with Image.open(io.BytesIO(make_cover(data))) as stored:
        assert stored.format == "JPEG" and stored.size == (60, 90)


@HOSTILE
def test_another_format_is_no_cover_and_runs_nothing(kind, ghostscript_runs):
    data = HOSTILE_COVERS[kind]
    assert image_format(data) is None
    assert not usable_cover(data)
    with pytest.raises(UnusableCover, match=REFUSED):
        make_cover(data)
    assert not ghostscript_runs.exists()


def test_pillows_decompression_bomb_limit_still_holds(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 60 * 90 - 1)
    data = _image("PNG")
    with pytest.raises(Image.DecompressionBombWarning), open_image(data):
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the warning never escapes as a warning
        assert image_format(data) is None and not usable_cover(data)
        with pytest.raises(UnusableCover, match="too many pixels"):
            make_cover(data)


@HOSTILE
def test_a_book_whose_cover_item_is_another_format_imports_without_it(
    kind, library, tmp_path, ghostscript_runs
):
    plain = epub_with_cover(tmp_path / "in" / "plain.epub", "Plain")  # a JPEG cover item
    hostile = epub_with_cover(
        tmp_path / "in" / "hostile.epub", "Hostile", cover=HOSTILE_COVERS[kind]
    )
    summary = import_paths([plain, hostile], library, workers=0)
    books = {b.title: b for b in Book.select().where(Book.id.in_(summary.book_ids))}
    assert set(books) == {"Plain", "Hostile"}
    assert books["Hostile"].cover_path is None  # imported, without that cover
    assert books["Plain"].cover_path is not None
    # The cover made later from the book's file (window, catalog) refuses it too.
    made = ensure_cover(library, f"covers/{books['Hostile'].id}.jpg", [hostile])
    assert made is None
    assert not ghostscript_runs.exists()


@HOSTILE
def test_the_users_own_file_of_another_format_is_refused(kind, tmp_path, ghostscript_runs):
    chosen = tmp_path / f"cover.{kind}"
    chosen.write_bytes(HOSTILE_COVERS[kind])
    with pytest.raises(InvalidValueError, match="Choose a JPEG, PNG, GIF or WebP file"):
        parse_cover(chosen)
    assert not ghostscript_runs.exists()


@HOSTILE
async def test_a_sources_cover_of_another_format_is_refused(kind, monkeypatch, ghostscript_runs):
    async with FakeBookSources(cover=HOSTILE_COVERS[kind]) as fake, outside.open_session() as s:
        monkeypatch.setenv(openlibrary.BASE_URL_ENV, fake.openlibrary_url)
        with pytest.raises(CoverError, match=REFUSED):
            await download_cover(s, f"{fake.base}/covers/b/id/42-L.jpg")
    assert not ghostscript_runs.exists()
