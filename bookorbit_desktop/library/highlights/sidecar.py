"""A KOReader sidecar (`<book>.sdr/metadata.<ext>.lua`, already parsed) as highlights.

Current files (2024 on) keep `annotations`, a list where an entry without `drawer` is a page
bookmark (not a highlight); older ones keep `highlight` (page -> list of highlights) and
`bookmarks` (whose entry with the same `datetime` holds the highlight's note in `text`). The
page is the stable page label (`pageref`) when the book has one, else the page number. Times
are device-local wall-clock text, read in `tz` (the computer's own zone unless given).
`summary` (status, rating, note) becomes a proposal, never a change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bookorbit_desktop.library.highlights.rules import SIDECAR_STATUSES, Entry

_WHEN = "%Y-%m-%d %H:%M:%S"
# The text older releases put in a bookmark that has no note ("Page 12 … @ 2021-03-04 …").
_AUTOMATIC_TEXT = re.compile(r"^Page \S+ .* @ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", re.DOTALL)


class SidecarError(ValueError):
    """The table is not a KOReader sidecar."""


@dataclass(frozen=True)
class Sidecar:
    digest: str | None  # partial_md5_checksum: the library's KOReader digest of the file
    title: str
    authors: str  # "\n"-joined, as KOReader keeps them
    entries: list[Entry] = field(default_factory=list)
    status: str | None = None  # a local reading status the summary proposes
    rating: int | None = None
    note: str | None = None
    skipped: int = 0  # highlights without a readable creation time


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _instant(value: Any, tz: dt.tzinfo | None) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.strptime(value.strip(), _WHEN)
    except ValueError:
        return None
    return int(moment.replace(tzinfo=tz).timestamp() if tz else moment.timestamp())


def _page(item: Mapping[str, Any], fallback: Any = None) -> str | None:
    for value in (item.get("pageref"), item.get("pageno"), fallback, item.get("page")):
        if isinstance(value, str) and value.strip() and not value.startswith("/"):
            return value.strip()  # a label; an xpointer ("/body/...") is no page
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(int(value))
    return None


def _items(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value[key] for key in sorted(value, key=str)]
    return []


def _current(annotations: Any, tz: dt.tzinfo | None) -> tuple[list[Entry], int]:
    entries, skipped = [], 0
    for item in _items(annotations):
        if not isinstance(item, dict) or item.get("drawer") is None:
            continue  # a page bookmark
        created = _instant(item.get("datetime"), tz)
        if created is None:
            skipped += 1
            continue
        entries.append(
            Entry(
                created,
                _text(item.get("text")) or "",
                _text(item.get("note")) or "",
                _text(item.get("chapter")),
                _page(item),
                _instant(item.get("datetime_updated"), tz),
            )
        )
    return entries, skipped


def _legacy(highlight: Any, bookmarks: Any, tz: dt.tzinfo | None) -> tuple[list[Entry], int]:
    notes: dict[str, str] = {}
    for mark in _items(bookmarks):
        if isinstance(mark, dict) and isinstance(mark.get("datetime"), str):
            text = _text(mark.get("text")) or ""
            if text and text != mark.get("notes") and not _AUTOMATIC_TEXT.match(text):
                notes[mark["datetime"]] = text
    entries, skipped = [], 0
    pages = highlight if isinstance(highlight, dict) else dict(enumerate(_items(highlight), 1))
    for page in sorted(pages, key=str):
        for item in _items(pages[page]):
            if not isinstance(item, dict):
                continue
            created = _instant(item.get("datetime"), tz)
            if created is None:
                skipped += 1
                continue
            text = _text(item.get("text")) or ""
            note = notes.get(item["datetime"], "")
            page_label = _page({}, page)
            entries.append(Entry(created, text, note, _text(item.get("chapter")), page_label))
    return entries, skipped


def _summary(summary: Any) -> tuple[str | None, int | None, str | None]:
    if not isinstance(summary, dict):
        return None, None, None
    status = SIDECAR_STATUSES.get(summary.get("status"))  # type: ignore[arg-type]
    rating = summary.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int | float):
        return status, None, _text(summary.get("note"))
    return status, int(rating), _text(summary.get("note"))


def read_sidecar(table: Any, *, tz: dt.tzinfo | None = None) -> Sidecar:
    """The highlights and summary of one parsed sidecar file."""
    if not isinstance(table, dict):
        raise SidecarError("the file holds no settings table")
    found = table.get("doc_props")
    props: dict[str, Any] = found if isinstance(found, dict) else {}
    digest = _text(table.get("partial_md5_checksum"))
    if "annotations" in table:
        entries, skipped = _current(table["annotations"], tz)
    else:
        entries, skipped = _legacy(table.get("highlight"), table.get("bookmarks"), tz)
    status, rating, note = _summary(table.get("summary"))
    return Sidecar(
        digest=digest.lower() if digest else None,
        title=(_text(props.get("title")) or "").strip(),
        authors=(_text(props.get("authors")) or "").strip(),
        entries=entries,
        status=status,
        rating=rating,
        note=note,
        skipped=skipped,
    )
