"""The body KOReader's XMNote exporter POSTs, validated into plain values (pure).

    {"title", "author" ("\\n"-joined), "type": 1, "locationUnit": 1, "source": "KOReader",
     "readingStatus": 2|3|5 (2025.10 on), "readingStatusChangedDate",
     "entries": [{"text", "note" ("" when none), "chapter"?, "time" (creation, Unix s),
                  "page"? (a number)}],
     "fuzzyReadingDurations": [...] or {} when there are no statistics}

Anything else is a `PayloadError` saying what is wrong (`TooLargeError` for more than
`MAX_ENTRIES` highlights, answered 413); the limits keep one request small enough to hold in
memory while a book with thousands of highlights still fits. JSON nested too deeply for the
parser is a `PayloadError` too, never a crash.
"""

from __future__ import annotations

import json
import math
from typing import Any

from bookorbit_desktop.library.highlights.received import Export
from bookorbit_desktop.library.highlights.rules import Entry

MAX_ENTRIES = 20_000
MAX_TEXT_CHARS = 100_000  # one highlight or note
MAX_NAME_CHARS = 2_000  # title, authors, chapter


class PayloadError(ValueError):
    """The body is not an XMNote export."""


class TooLargeError(PayloadError):
    """The export carries more highlights than one request may."""


def _string(value: Any, what: str, limit: int, *, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise PayloadError(f"{what} must be text")
    if len(value) > limit:
        raise PayloadError(f"{what} is longer than {limit} characters")
    return value


def _page(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return str(int(value))
    if isinstance(value, str) and value.strip():
        return _string(value.strip(), "page", MAX_NAME_CHARS)
    return None


def _entry(item: Any, number: int) -> Entry:
    if not isinstance(item, dict):
        raise PayloadError(f"entry {number} is not an object")
    created = item.get("time")
    if isinstance(created, bool) or not isinstance(created, int | float):
        raise PayloadError(f"entry {number} has no creation time")
    if not math.isfinite(created) or not 0 <= created < 2**40:
        raise PayloadError(f"entry {number} has an impossible creation time")
    return Entry(
        created=int(created),
        text=_string(item.get("text", ""), f"entry {number} text", MAX_TEXT_CHARS) or "",
        note=_string(item.get("note", ""), f"entry {number} note", MAX_TEXT_CHARS) or "",
        chapter=_string(item.get("chapter"), f"entry {number} chapter", MAX_NAME_CHARS) or None,
        page=_page(item.get("page")),
    )


def parse_export(body: bytes) -> Export:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise PayloadError(f"the body is not JSON ({error})") from None
    except RecursionError:
        raise PayloadError("the body is nested too deeply") from None
    if not isinstance(data, dict):
        raise PayloadError("the body is not a JSON object")
    title = (_string(data.get("title"), "title", MAX_NAME_CHARS, required=True) or "").strip()
    if not title:
        raise PayloadError("the title is empty")
    authors = _string(data.get("author"), "author", MAX_NAME_CHARS) or ""
    entries = data.get("entries", [])
    if entries == {}:  # KOReader's JSON encoder writes an empty Lua table as an object
        entries = []
    if not isinstance(entries, list):
        raise PayloadError("entries must be a list")
    if len(entries) > MAX_ENTRIES:
        raise TooLargeError(
            f"{len(entries)} highlights in one book; at most {MAX_ENTRIES:,} are taken at once"
        )
    status = data.get("readingStatus")
    usable = isinstance(status, int) and not isinstance(status, bool)
    return Export(
        title=title,
        authors=authors.strip(),
        reading_status=status if usable else None,
        entries=[_entry(item, number) for number, item in enumerate(entries, 1)],
    )
