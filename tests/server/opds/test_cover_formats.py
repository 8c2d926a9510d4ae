"""The catalog's covers and thumbnails never decode a cover that is not a JPEG, PNG, GIF or
WebP, so a book whose cover item is EPS, PSD, TGA, ICO, PDF or SVG starts no helper program
(Ghostscript for EPS) when a reader's device asks for its thumbnail."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.metadata.generated_cover import generated_covers
from bookorbit_desktop.library.store.models import Book
from tests.hostile_images import HOSTILE_COVERS, ghostscript_runs
from tests.library.conftest import epub_with_cover
from tests.server.opds.support import (
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
)

__all__ = ["ghostscript_runs"]  # the fixture, used by name


@pytest.mark.parametrize("kind", sorted(HOSTILE_COVERS))
async def test_a_thumbnail_of_another_format_is_never_decoded(
    kind, catalog: Catalog, ghostscript_runs
):
    paths = catalog.ctx.paths
    hostile = epub_with_cover(
        paths.data_dir / "books" / f"{kind}.epub", "Hostile", cover=HOSTILE_COVERS[kind]
    )
    (book_id,) = import_paths([hostile], paths, workers=0).book_ids
    assert Book.get_by_id(book_id).cover_path is None
    # A row that names a cover anyway (kept from an older import) makes none from the file.
    Book.update(cover_path=f"covers/{book_id}.jpg").where(Book.id == book_id).execute()
    generated = generated_covers(paths, [book_id])[book_id]
    response = await catalog.get(f"/opds/covers/{book_id}")
    assert response.status == 200 and await response.read() == generated.read_bytes()
    response = await catalog.get(f"/opds/thumbnails/{book_id}.jpg")
    assert response.status == 200
    with Image.open(BytesIO(await response.read())) as thumbnail:
        assert thumbnail.format == "JPEG"
    # A stored cover file replaced by another format is refused when its thumbnail is made.
    (paths.covers_dir / f"{book_id}.jpg").write_bytes(HOSTILE_COVERS[kind])
    response = await catalog.get(f"/opds/thumbnails/{book_id}.jpg")
    assert response.status == 404 and "cannot be read" in await response.text()
    assert not ghostscript_runs.exists()
