"""Each book's Hardcover link as plain values for listings and scripts (`books --json`,
`hardcover match --json`), read straight from the `hardcover_match` rows so that listing the
library needs none of the Hardcover code."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bookorbit_desktop.library.store.models import HardcoverMatch

BOOK_URL = "https://hardcover.app/books/{slug}"
NOT_MATCHED = "unmatched"
_MAX_IN = 500  # more ids than this: read every row rather than one huge IN (...)


def book_url(slug: object) -> str | None:
    """The Hardcover page of the book with this slug (None for no slug, or one not text)."""
    return BOOK_URL.format(slug=slug) if isinstance(slug, str) and slug else None


def link_of(row: HardcoverMatch | None) -> dict[str, Any]:
    """One book's link: state, reason, Hardcover book id, slug, URL and edition id."""
    if row is None:
        return {
            "state": NOT_MATCHED,
            "reason": None,
            "book_id": None,
            "slug": None,
            "url": None,
            "edition_id": None,
            "pinned": False,
        }
    # The chosen book's slug is kept with the candidates the matcher weighed.
    slug = next(
        (
            candidate.get("slug")
            for candidate in row.candidates or []
            if row.hc_book_id is not None and candidate.get("book_id") == row.hc_book_id
        ),
        None,
    )
    return {
        "state": row.state,
        "reason": row.reason,
        "book_id": row.hc_book_id,
        "slug": slug,
        "url": book_url(slug),
        "edition_id": row.hc_edition_id,
        "pinned": bool(row.pinned),
    }


def hardcover_links(book_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The link of each of `book_ids` (a book never matched is "unmatched"), in one query."""
    wanted = list(dict.fromkeys(book_ids))
    query = HardcoverMatch.select()
    if len(wanted) <= _MAX_IN:
        query = query.where(HardcoverMatch.book.in_(wanted))
    rows = {row.book_id: row for row in query}
    return {book_id: link_of(rows.get(book_id)) for book_id in wanted}


def candidates_of(book_id: int) -> list[dict[str, Any]]:
    """The candidates kept for a book's review (best first), each with its Hardcover URL."""
    row = HardcoverMatch.get_or_none(HardcoverMatch.book == book_id)
    if row is None:
        return []
    return [{**candidate, "url": book_url(candidate.get("slug"))} for candidate in row.candidates]
