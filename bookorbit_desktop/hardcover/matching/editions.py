"""Choosing which edition of a linked Hardcover book the local book is.

Pure. Progress is sent to Hardcover as pages of one edition, so the choice matters. In order:
the book's language; a text edition (an audiobook never is one: its "pages" are not pages);
one with a page count; the edition whose ISBN the file carries; an ebook; then the edition
most readers use; the lowest id breaks the last ties so the choice is stable. An edition
without a page count may still be chosen (the sync then sends status and dates only), but
never an audiobook.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bookorbit_desktop.hardcover.matching.catalog import EditionInfo


@dataclass(frozen=True)
class EditionChoice:
    edition: EditionInfo | None
    reason: str
    language_matches: bool | None = None  # None when either language is unknown


def _language_rank(edition: EditionInfo, language: str | None) -> int:
    if language is None or edition.language is None:
        return 1
    return 2 if edition.language == language else 0


def edition_key(
    edition: EditionInfo, language: str | None, isbn_edition_ids: frozenset[int] = frozenset()
) -> tuple[int, int, int, int, int, int]:
    """Sort key, larger is better (see the module docstring for the order)."""
    return (
        _language_rank(edition, language),
        0 if edition.is_audio else 1,
        1 if edition.pages else 0,
        1 if edition.id in isbn_edition_ids else 0,
        1 if edition.is_ebook else 0,
        edition.users_count,
    )


def describe_edition(edition: EditionInfo) -> str:
    """ "ebook · en · 412 pages · 1,234 readers"."""
    parts = [edition.edition_format or edition.format_label]
    if edition.language:
        parts.append(edition.language)
    parts.append(f"{edition.pages} pages" if edition.pages else "no page count")
    parts.append(f"{edition.users_count:,} readers")
    return " · ".join(parts)


def choose_edition(
    editions: Iterable[EditionInfo],
    *,
    language: str | None,
    isbn_edition_ids: Iterable[int] = (),
) -> EditionChoice:
    """The best edition for a local book in `language` (a base code, or None if unknown)."""
    wanted = frozenset(isbn_edition_ids)
    unique = {e.id: e for e in editions}
    text = [e for e in unique.values() if not e.is_audio]
    if not text:
        reason = "only audiobook editions" if unique else "no editions known"
        return EditionChoice(None, reason)
    best = max(text, key=lambda e: (*edition_key(e, language, wanted), -e.id))
    matches = None if language is None or best.language is None else best.language == language
    notes = [describe_edition(best)]
    if matches is False:
        notes.append(f"no {language} edition on Hardcover")
    if not best.pages:
        notes.append("progress will sync as status and dates only")
    return EditionChoice(best, "; ".join(notes), matches)
