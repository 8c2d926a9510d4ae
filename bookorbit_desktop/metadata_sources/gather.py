"""Ask one source about one book: every outcome is a `SourceResult` (never an exception,
never a traceback), so a source failing, slow or refusing is a status beside the others'
answers (`services.metadata.fetch_run` asks each source on its own); nothing is applied here.
"""

from __future__ import annotations

import logging

from bookorbit_desktop.metadata_sources.records import (
    MALFORMED,
    NO_RESULT,
    OK,
    Lookup,
    SourceError,
    SourceResult,
)
from bookorbit_desktop.metadata_sources.source import Source

log = logging.getLogger(__name__)


async def ask(source: Source, book: Lookup) -> SourceResult:
    """One source's answer for `book` as a status, a message and its candidates."""
    try:
        found = await source.lookup(book)
    except SourceError as error:
        log.info("%s for book %s: %s", source.label, book.book_id, error.message)
        return SourceResult(source.name, error.status, error.message)
    except (KeyError, TypeError, ValueError, AttributeError) as error:  # an answer's odd shape
        log.info("%s sent book %s an unreadable answer: %r", source.label, book.book_id, error)
        message = f"{source.label} sent an answer we cannot read. Try again later."
        return SourceResult(source.name, MALFORMED, message)
    if not found:
        return SourceResult(source.name, NO_RESULT, f"{source.label} knows no such book.")
    return SourceResult(source.name, OK, f"{len(found)} found", tuple(found))
