"""Books waiting in the Inbox over the real catalog: not in the lists, the search or the
downloads until approved."""

from __future__ import annotations

from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.models import BookFile
from tests.factories import add_book
from tests.server.opds.support import (
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    entry_titles,
    write_book_file,
)


async def test_a_held_book_is_hidden_until_approved(catalog: Catalog):
    folder = catalog.ctx.paths.data_dir / "books"
    add_book("Emma", ["Jane Austen"], file=write_book_file(folder, "emma.epub", b"emma"))
    dune = add_book("Dune", ["Frank Herbert"], file=write_book_file(folder, "dune.epub", b"dune"))
    file_id = BookFile.get(BookFile.book == dune.id).id
    inbox.hold([dune.id])

    for href in ("/opds/books", "/opds/recent", "/opds/search?q=dune"):
        root, _ = await catalog.feed(href)
        assert "Dune" not in entry_titles(root), href
    response = await catalog.get(f"/opds/download/{file_id}.epub")
    assert response.status == 404

    inbox.approve([dune.id])
    root, _ = await catalog.feed("/opds/search?q=dune")
    assert entry_titles(root) == ["Dune"]
    response = await catalog.get(f"/opds/download/{file_id}.epub")
    assert response.status == 200 and await response.read() == b"dune"
