"""Each book's stored Hardcover match as the window shows it: the linked book and edition in
words ("Dune — Frank Herbert (1965), ebook, 412 pages"), its sync state and links, read for the
whole library or a few books at once. The Hardcover page's rows (`dashboard.rows`), the sync
review and `HardcoverService` all read matches here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from bookorbit_desktop.library.store.links import book_url
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.services.library.records import MatchInfo

UNKNOWN_LINKED_BOOK = "A Hardcover book whose title is not stored yet"
UNTITLED_BOOK = "Untitled book"


# The words for an edition's format, by what its stored description starts with
# ("Kindle Edition · en · 412 pages"): Hardcover's edition_format or its reading format.
_FORMAT_WORDS = (
    (re.compile(r"audio|audible", re.IGNORECASE), "audiobook"),
    (re.compile(r"e-?book|kindle|epub|kobo|nook|digital", re.IGNORECASE), "ebook"),
    (re.compile(r"paperback|mass market|softcover", re.IGNORECASE), "paperback"),
    (re.compile(r"hardcover|hardback|hard cover", re.IGNORECASE), "hardcover"),
    (re.compile(r"^physical$", re.IGNORECASE), "print"),
)
_PAGES = re.compile(r"([\d,]+) pages")
NO_FORMAT = "format not stored"


def edition_words(description: str | None, pages: int | None) -> str | None:
    """ "ebook, 412 pages" for the linked edition, from its stored description and the pages
    stored with the link (which win); None when nothing is known of it."""
    first = (description or "").split(" · ")[0].strip()
    if pages is None and (found := _PAGES.search(description or "")):
        pages = int(found.group(1).replace(",", ""))
    words = next((word for pattern, word in _FORMAT_WORDS if pattern.search(first)), None)
    if words is None and first and first.casefold() not in {"unknown", "no page count"}:
        words = first.casefold()
    if pages is None:
        return words
    return f"{words or NO_FORMAT}, {pages:,} pages"


def linked_summary(
    record_candidates: list[dict[str, Any]], hc_book_id: int | None, pages: int | None = None
) -> str | None:
    """ "Dune — Frank Herbert (1965), ebook, 412 pages" for the linked candidate and edition
    (`pages`: the linked edition's, when stored)."""
    if hc_book_id is None:
        return None
    chosen = next((c for c in record_candidates if c.get("book_id") == hc_book_id), None)
    if chosen is None:  # its id stays in MatchInfo.hc_book_id, for links and tooltips
        return UNKNOWN_LINKED_BOOK
    authors = ", ".join(chosen.get("authors") or [])
    year = f" ({chosen['year']})" if chosen.get("year") else ""
    text = f"{chosen.get('title') or UNTITLED_BOOK}{' — ' + authors if authors else ''}{year}"
    edition = edition_words(chosen.get("edition"), pages)
    return f"{text}, {edition}" if edition else text


# Every stored match with its sync state, for the page: the stored candidate that is the
# linked Hardcover book comes as JSON text (NULL when none is).
_MATCH_DETAILS = (
    "SELECT m.book_id, m.state, m.reason, m.hc_book_id, m.hc_edition_id, m.edition_pages, "
    "m.pinned, m.user_book_id IS NOT NULL AND m.created_by_us, s.state, s.reason, "
    "CASE WHEN m.hc_book_id IS NOT NULL THEN (SELECT value FROM json_each("
    "CASE WHEN json_valid(m.candidates) THEN m.candidates ELSE '[]' END) "
    "WHERE json_extract(value, '$.book_id') = m.hc_book_id LIMIT 1) END "
    "FROM hardcover_match AS m LEFT JOIN hardcover_sync AS s ON s.book_id = m.book_id"
)


def match_details(book_ids: Sequence[int] | None = None) -> dict[int, MatchInfo]:
    """Every stored match (or these books'), for the Hardcover page and the sync review.

    SQLite picks the linked candidate out of a linked row's stored list and joins the sync state,
    in one plain query; the books asked for (one JSON array) are looked up by key, however many.
    """
    ids = () if book_ids is None else (json.dumps(list(book_ids)),)
    where = " WHERE m.book_id IN (SELECT value FROM json_each(?))" if ids else ""
    result: dict[int, MatchInfo] = {}
    for row in database.execute_sql(_MATCH_DETAILS + where, ids):
        book_id, state, reason, hc_book_id, hc_edition_id, pages, pinned, own, *synced = row
        sync_state, sync_reason, linked = synced
        candidate = json.loads(linked) if linked else None
        result[book_id] = MatchInfo(
            state=state,
            reason=reason,
            summary=linked_summary([candidate] if candidate else [], hc_book_id, pages),
            hc_book_id=hc_book_id,
            hc_edition_id=hc_edition_id,
            edition_pages=pages,
            pinned=bool(pinned),
            sync_state=sync_state,
            sync_reason=sync_reason,
            url=book_url(candidate.get("slug")) if candidate else None,
            cover_url=candidate.get("image_url") if candidate else None,
            own_entry=bool(own),
        )
    return result
