"""The catalog's Authors list, Atom and JSON, is in the order of the authors' sort texts
("Camus, Albert"), folded as the library folds texts, and pages through it exactly."""

from __future__ import annotations

from bookorbit_desktop.library.metadata.author_sort import author_sort
from bookorbit_desktop.library.store.models import Author
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book
from tests.server.opds.json_support import navigation_titles, walk_json_pages
from tests.server.opds.support import (
    A,
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    walk_pages,
    write_book_file,
)

NAMES = ["Émile Zola", "村上春樹", "Ursula K. Le Guin", "Homer", "Antoine de Saint-Exupéry"]
NAMES += ["Albert Camus", "Alexandre Dumas", "Andy Weir"]
IN_ORDER = [
    "Albert Camus",  # camus, albert
    "Antoine de Saint-Exupéry",  # de saint-exupery, antoine (the particle folded with it)
    "Alexandre Dumas",
    "Homer",
    "Ursula K. Le Guin",
    "Andy Weir",
    "Émile Zola",  # zola, emile
    "村上春樹",
]


def _shelve(catalog: Catalog) -> None:
    folder = catalog.ctx.paths.data_dir / "books"
    for number, name in enumerate(NAMES):
        add_book(f"Book {number}", [name], file=write_book_file(folder, f"{number}.epub", b"x"))
        Author.update(sort_name=author_sort(name)).where(Author.name == name).execute()


async def test_authors_are_listed_by_sort_text_page_by_page(catalog: Catalog):
    _shelve(catalog)
    set_setting("opds.page_size", 3)
    atom = [
        entry.findtext(f"{A}title")
        for page in await walk_pages(catalog, "/opds/authors")
        for entry in page.findall(f"{A}entry")
    ]
    assert atom == IN_ORDER
    pages = await walk_json_pages(catalog, "/opds/v2/authors")
    assert len(pages) == 3
    assert [title for page in pages for title in navigation_titles(page)] == IN_ORDER


async def test_an_author_filed_anew_moves_in_the_list(catalog: Catalog):
    _shelve(catalog)
    Author.update(sort_name="Aaa").where(Author.name == "Émile Zola").execute()
    pages = await walk_json_pages(catalog, "/opds/v2/authors")
    assert navigation_titles(pages[0])[:2] == ["Émile Zola", "Albert Camus"]
