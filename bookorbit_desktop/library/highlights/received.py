"""Recording one book's XMNote export (what KOReader's Exporter sends over the Wi-Fi).

The export names its book by title and authors only; the library's own metadata rule
(`reading.document_match`) finds the one book they describe. Unknown or ambiguous, the
highlights wait for the user (`store.waiting`) like an unlinked document, within the cap of
`waiting_cap` (checked by the receiver before it writes). A reading status of complete or on
hold (3, 5) becomes a proposal; 2 (reading, also sent for "no status") nothing.

The receiver records an export in steps, so that no step holds the library's writer for long:
`snapshot` (a reader: the book and its stored highlights), `rules.plan` (off the library's
threads), `store.write` in parts, then `finish` (the proposal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bookorbit_desktop.library.highlights import proposals, store
from bookorbit_desktop.library.highlights.rules import XMNOTE_STATUSES, Entry, Stored
from bookorbit_desktop.library.highlights.store import Recorded, Target
from bookorbit_desktop.library.reading.document_match import match_book_by_metadata


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


def snapshot(export: Export) -> tuple[Target, list[Stored]]:
    """Where the export goes and what is stored there now (runs on a reader)."""
    book_id = match_book_by_metadata(export.title, export.authors)
    target = Target(book_id, export.title, export.authors)
    return target, store.stored(target)


def finish(export: Export, target: Target, recorded: Recorded, now: float) -> Received:
    """After the highlights are stored: KOReader's status proposal for a library book (runs
    on the writer)."""
    proposed = False
    status = XMNOTE_STATUSES.get(export.reading_status or 0)
    if target.book_id is not None and status is not None:
        made = proposals.propose(
            target.book_id, store.SOURCE_XMNOTE, status=status, rating=None, note=None, now=now
        )
        proposed = made is not None
    return Received(export.title, target.book_id, len(export.entries), recorded, proposed)
