"""A sync change in the user's words: a read's new dates and page, a rating as stars, the
names of the fields a note speaks of."""

from __future__ import annotations

from typing import Any

from bookorbit_desktop.hardcover.sync.model import Local, Read


def describe_read(read: Read | None, fields: dict[str, Any], local: Local) -> list[str]:
    old = (
        {}
        if read is None
        else {
            "started_at": read.started,
            "finished_at": read.finished,
            "progress_pages": read.pages,
        }
    )
    words = []
    for key, label in (("started_at", "started"), ("finished_at", "finished")):
        if fields[key] != old.get(key) and (read is not None or fields[key] is not None):
            words.append(f"{label} {fields[key] or 'unknown'}")
    pages = fields["progress_pages"]
    if pages is not None and pages != old.get("progress_pages"):
        total = f" of {local.edition_pages}" if local.edition_pages else ""
        words.append(f"p. {pages}{total}")
    return words


def stars(rating: float) -> str:
    return f"{rating:g}★"


LABELS = {
    "status_id": "status",
    "rating": "rating",
    "privacy_id": "privacy",
    "edition_id": "edition",
    "started": "start date",
    "finished": "finish date",
    "pages": "progress",
}
