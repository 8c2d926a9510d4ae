"""Highlights as JSON rows and as a Markdown document (pure).

A JSON row is `{book_id, text, note, chapter, page, created, updated}`; the times are ISO 8601
in UTC: `created` when the highlight was made on the device, `updated` the device's last edit
when the export said, else when this library last recorded a change to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bookorbit_desktop.library.highlights.store import HighlightRow


def iso(seconds: float) -> str:
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def json_row(row: HighlightRow) -> dict[str, Any]:
    entry = row.entry
    return {
        "book_id": row.book_id,
        "text": entry.text,
        "note": entry.note,
        "chapter": entry.chapter,
        "page": entry.page,
        "created": iso(entry.created),
        "updated": iso(entry.updated if entry.updated is not None else row.changed_at),
    }


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines() or [""])


def markdown(title: str, authors: Sequence[str], rows: Sequence[HighlightRow]) -> str:
    """One book's highlights: chapters as headings, each highlight quoted, its note after."""
    lines = [f"# {title}"]
    if authors:
        lines += ["", f"*{', '.join(authors)}*"]
    chapter: str | None = None
    for row in rows:
        entry = row.entry
        if entry.chapter and entry.chapter != chapter:
            chapter = entry.chapter
            lines += ["", f"## {chapter}"]
        lines += ["", _quote(entry.text)]
        if entry.note:
            lines += ["", entry.note]
        where = f"page {entry.page}, " if entry.page else ""
        lines += ["", f"<sub>{where}{iso(entry.created)[:10]}</sub>"]
    if not rows:
        lines += ["", "No highlights yet."]
    return "\n".join(lines) + "\n"
