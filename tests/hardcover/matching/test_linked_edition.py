"""A link made by matching stores the edition it links, so the book's summary (the sync
review's target) names that edition's format and pages, not the edition an ISBN named."""

from __future__ import annotations

from bookorbit_desktop.hardcover.matching.matcher import Matcher
from bookorbit_desktop.hardcover.matching.store import get_match
from bookorbit_desktop.services.hardcover.service import HardcoverService
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK


async def test_the_summary_names_the_linked_edition_not_the_isbn_one(library, hardcover, hc_client):
    catalog = hardcover.catalog
    left = catalog.add_book("The Left Hand of Darkness", authors=["Ursula K. Le Guin"])
    catalog.add_edition(left, isbn_13="9780441478125", edition_format="Paperback")  # no pages
    ebook = catalog.add_edition(left, pages=320, reading_format_id=EBOOK, users_count=40)
    emma = catalog.add_book("Emma", authors=["Jane Austen"], users_count=900)
    catalog.add_edition(emma, pages=474, edition_format="Kindle Edition")
    by_isbn = add_book("The Left Hand of Darkness", ["Ursula K. Le Guin"], status="reading",
                       isbn13="9780441478125")  # fmt: skip
    by_search = add_book("Emma", ["Jane Austen"], status="reading")

    await Matcher(hc_client).run()

    record = get_match(by_isbn.id)
    assert record is not None and (record.hc_edition_id, record.edition_pages) == (ebook, 320)
    service = HardcoverService()
    assert service.match_info(by_isbn.id)["summary"] == (
        "The Left Hand of Darkness — Ursula K. Le Guin, ebook, 320 pages"
    )
    assert (
        service.match_details()[by_search.id]["summary"] == "Emma — Jane Austen, ebook, 474 pages"
    )
