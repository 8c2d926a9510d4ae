"""Recording one book's XMNote export (what KOReader's Exporter sends over the Wi-Fi).

The export names its book by title and authors only; the library's own metadata rule
(`reading.document_match`) finds the one book they describe. Unknown or ambiguous, the
highlights wait for the user (`store.waiting`) like an unlinked document. A reading status of
complete or on hold (3, 5) becomes a proposal; 2 (reading, also sent for "no status") nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bookorbit_desktop.library.highlights import proposals, store
from bookorbit_desktop.library.highlights.rules import XMNOTE_STATUSES, Entry
from bookorbit_desktop.library.highlights.store import Recorded, Target
from bookorbit_desktop.library.reading.document_match import match_book_by_metadata
from bookorbit_desktop.library.store.models import database


@dataclass(frozen=True)
class Export:
    """One book of an XMNote export, already validated."""

    title: str
    authors: str  # "\n"-joined when the book has several
    reading_status: int | None
    entries: Sequence[Entry]


@dataclass(frozen=True)
class Received:
    title: str
    book_id: int | None  # None: waits for the user to pick the book
    highlights: int  # how many the export carried
    recorded: Recorded
    proposed: bool


def record_export(export: Export, origin: str, now: float) -> Received:
    """Store one export in one transaction (run on the library's writer)."""
    with database.atomic():
        book_id = match_book_by_metadata(export.title, export.authors)
        recorded = store.record(
            Target(book_id, export.title, export.authors),
            export.entries,
            source=store.SOURCE_XMNOTE,
            origin=origin,
            now=now,
        )
        status = XMNOTE_STATUSES.get(export.reading_status or 0)
        proposed = False
        if book_id is not None and status is not None:
            made = proposals.propose(
                book_id, store.SOURCE_XMNOTE, status=status, rating=None, note=None, now=now
            )
            proposed = made is not None
    return Received(export.title, book_id, len(export.entries), recorded, proposed)
