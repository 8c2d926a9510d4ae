"""KOReader documents that belong to no book yet, and linking one to a book by hand."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bookorbit_desktop.fields import from_attributes
from bookorbit_desktop.library.history import queries as history
from bookorbit_desktop.library.reading import pushes as progress


@dataclass(frozen=True)
class UnlinkedRow:
    document: str  # KOReader's document id (partial MD5 or file-name digest)
    device: str
    percentage: float  # 0..1, the newest push
    timestamp: int  # Unix seconds of the newest push
    pushes: int
    title: str | None  # what KOReader sent about the file, when it sent anything
    authors: str | None
    filename: str | None
    candidates: tuple[int, ...]  # books sharing this document id, when there are several

    @property
    def label(self) -> str:
        """The best human name for the document."""
        return self.title or self.filename or f"Document {self.document[:12]}…"


@dataclass(frozen=True)
class LinkOutcome:
    book_id: int
    pushes_moved: int
    reading_changed: bool


HISTORY_DEVICE = "Reading statistics"


def list_unlinked() -> list[UnlinkedRow]:
    """Documents pushed by kosync, then documents known only from reading statistics."""
    rows = [
        from_attributes(
            UnlinkedRow,
            doc,
            percentage=float(doc.percentage),
            candidates=tuple(doc.candidates),
        )
        for doc in progress.unlinked_documents()
    ]
    pushed = {row.document for row in rows}
    for doc in history.unlinked_history():
        if doc.md5 in pushed:
            continue
        rows.append(
            UnlinkedRow(
                document=doc.md5,
                device=HISTORY_DEVICE,
                percentage=min(doc.pages_read / doc.pages, 1.0) if doc.pages else 0.0,
                timestamp=doc.last_read or 0,
                pushes=0,
                title=doc.title or None,
                authors=doc.authors.replace("\n", ", ") or None,
                filename=None,
                candidates=doc.candidates,
            )
        )
    return rows


def link(
    document: str,
    book_id: int,
    *,
    on_reading_changed: Callable[[int], None] | None = None,
    clock: Callable[[], float] = time.time,
) -> LinkOutcome:
    """Link `document` to `book_id`; the book adopts the document's reading history."""
    result = progress.link_document(document, book_id, now=clock())
    if result.reading_changed and on_reading_changed is not None:
        on_reading_changed(result.book_id)
    return LinkOutcome(result.book_id, result.events_moved, result.reading_changed)
