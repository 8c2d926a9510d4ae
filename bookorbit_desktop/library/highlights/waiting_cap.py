"""A cap on what exports for books the library does not know may keep.

Anyone on the Wi-Fi may post an export for a title the library has never heard of, and such
highlights wait for the user to pick their book; without a cap a stranger could fill the disk.
The cap is checked *before* anything of an export is written (`refusal`, asked by the receiver
between the merge and the first write): an export whose new waiting highlights would take the
address that sent it, or all addresses together, past a limit is refused whole with a sentence
that says so (`WaitingFull`), and nothing of it is stored. What already waits is never dropped
to make room, so a stranger can neither push out the user's own waiting highlights nor make the
library write without end (dropping the oldest after each stored export kept the rows within
the cap, but every post was written in full first: 60 posts of 1 MB went through the library's
write-ahead log, and the folder grew by more than 100 MB).

| limit | per address | all addresses |
|---|---|---|
| highlights waiting for a book | 5,000 | 10,000 |
| their text, notes, chapters, pages, titles and authors | 3 MiB | 6 MiB |

A waiting highlight counts for the address that last wrote it (its `origin`), and the earlier
texts kept of it (`versions`: an update keeps the text and note it replaces) for the address
that replaced them, so re-posting edited notes fills the same share. An export that adds
nothing (a device sending the same export again) is never refused; an update counts by how
much it grows plus the text it keeps. A library book's highlights are never counted. The
Highlights page shows the cap and what the waiting exports use of it (`usage`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.store.models import database

MAX_HIGHLIGHTS = 10_000  # a few long books' worth of highlights waiting to be picked
# Of text, notes and names; the library file and its log take about three times as much
# while a stranger fills it, so the folder grows by about 20 MB at most.
MAX_BYTES = 6 * 1024 * 1024
ADDRESS_HIGHLIGHTS = 5_000  # one device's share: a stranger cannot take it all
ADDRESS_BYTES = 3 * 1024 * 1024

# What one waiting highlight takes (`size` below, the same sum in SQL), and one earlier text.
_SIZE = """
    LENGTH(CAST(text AS BLOB)) + LENGTH(CAST(note AS BLOB))
    + IFNULL(LENGTH(CAST(chapter AS BLOB)), 0) + IFNULL(LENGTH(CAST(page AS BLOB)), 0)
    + IFNULL(LENGTH(CAST(pending_title AS BLOB)), 0)
    + IFNULL(LENGTH(CAST(pending_authors AS BLOB)), 0)
"""
_KEPT_SIZE = "LENGTH(CAST(v.text AS BLOB)) + LENGTH(CAST(v.note AS BLOB))"


class WaitingFull(Exception):
    """An export the cap refuses; the message says why and what the user can do."""


@dataclass(frozen=True)
class Usage:
    highlights: int
    bytes: int
    max_highlights: int = MAX_HIGHLIGHTS
    max_bytes: int = MAX_BYTES

    def fits(self, highlights: int, size: int) -> bool:
        """True when `highlights` more waiting highlights of `size` bytes stay within it."""
        if highlights <= 0 and size <= 0:
            return True  # nothing grows: a re-sent export is never refused
        return (
            self.highlights + highlights <= self.max_highlights
            and self.bytes + size <= self.max_bytes
        )


def _utf8(text: str | None) -> int:
    return len((text or "").encode("utf-8", "surrogatepass"))


def size(entry: Entry, title: str, authors: str) -> int:
    """Bytes one waiting highlight takes, as `usage` counts them."""
    parts = (entry.text, entry.note, entry.chapter, entry.page, title, authors)
    return sum(_utf8(part) for part in parts)


def growth(
    title: str,
    authors: str,
    added: Sequence[Entry],
    updated: Iterable[tuple[Entry, Entry]],
) -> tuple[int, int]:
    """(highlights, bytes) an export adds to what waits: its new entries, and what its
    (before, after) updates grow by, with the text and note each keeps when it replaces them."""
    grown = sum(size(entry, title, authors) for entry in added)
    for before, after in updated:
        grown += max(0, size(after, title, authors) - size(before, title, authors))
        if (before.text, before.note) != (after.text, after.note):
            grown += _utf8(before.text) + _utf8(before.note)
    return len(added), grown


def usage(origin: str | None = None) -> Usage:
    """What the waiting exports keep now, against the cap: all of them, or those `origin`
    (an address) wrote last, against its share."""
    mine, kept_mine = ("", "") if origin is None else (" AND origin = ?", " AND v.replaced_by = ?")
    params = () if origin is None else (origin, origin)
    cursor = database.execute_sql(
        f"SELECT COUNT(*), IFNULL(SUM({_SIZE}), 0),"
        f" (SELECT IFNULL(SUM({_KEPT_SIZE}), 0) FROM highlight_version v"
        f"  JOIN highlight h ON h.id = v.highlight_id WHERE h.book_id IS NULL{kept_mine})"
        f" FROM highlight WHERE book_id IS NULL{mine}",
        params,
    )
    count, waiting, kept = cursor.fetchone()
    total = int(waiting) + int(kept)
    if origin is None:
        return Usage(int(count), int(total), MAX_HIGHLIGHTS, MAX_BYTES)
    return Usage(int(count), int(total), ADDRESS_HIGHLIGHTS, ADDRESS_BYTES)


def refusal(origin: str, highlights: int, grown: int) -> str | None:
    """Why an export from `origin` adding `highlights` waiting highlights of `grown` bytes
    cannot be kept, or None when it fits (runs on a reader)."""
    if not usage(origin).fits(highlights, grown):
        return (
            f"Too many highlights from this device wait for books that are not in the library "
            f"(at most {ADDRESS_HIGHLIGHTS:,} and {ADDRESS_BYTES // (1024 * 1024)} MiB). "
            "Link or dismiss some on BookOrbit Desktop's Highlights page, then export again."
        )
    if not usage().fits(highlights, grown):
        return (
            f"Too many highlights wait for books that are not in the library "
            f"(at most {MAX_HIGHLIGHTS:,} and {MAX_BYTES // (1024 * 1024)} MiB in all). "
            "Link or dismiss some on BookOrbit Desktop's Highlights page, then export again."
        )
    return None
