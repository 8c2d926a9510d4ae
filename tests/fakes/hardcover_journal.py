"""The fake Hardcover's reading journal: insert and update of quotes and notes.

Refusals come back in the `errors` list with HTTP 200, as `ReadingJournalOutput` carries them.
Privacy 0 is accepted and stored (Hardcover does, and the entry cannot be read back).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fakes.hardcover_resolvers import ExecutionContext

EVENTS = frozenset({"quote", "note", "status_read", "progress_updated", "rated"})


def _refused(message: str) -> dict[str, Any]:
    return {"errors": [message], "id": None, "reading_journal": None}


def insert_reading_journal(context: ExecutionContext, object: dict[str, Any]) -> dict[str, Any]:
    catalog = context.catalog
    book = catalog.get("books", object["book_id"])
    if book is None or not catalog.is_live(book):
        return _refused("Book not found")
    if object["event"] not in EVENTS:
        return _refused(f"Unknown event {object['event']}")
    if object["privacy_setting_id"] not in (0, 1, 2, 3):
        return _refused("Unknown privacy setting")
    edition = object.get("edition_id")
    if (
        edition is not None
        and (catalog.get("editions", edition) or {}).get("book_id") != book["id"]
    ):
        return _refused("Edition does not belong to the book")
    now = dt.datetime.combine(catalog.today(), dt.time(), dt.UTC).isoformat()
    row_id = catalog._insert(
        "reading_journals",
        {
            "user_id": context.user_id,
            "book_id": book["id"],
            "edition_id": edition,
            "event": object["event"],
            "entry": object.get("entry"),
            "privacy_setting_id": object["privacy_setting_id"],
            "metadata": object.get("metadata") or {},
            "tags": object.get("tags") or [],
            "action_at": object.get("action_at") or now,
            "created_at": now,
            "updated_at": now,
            "likes_count": 0,
            "object_type": "ReadingJournal",
        },
    )
    row = catalog.get("reading_journals", row_id)
    return {"errors": None, "id": row_id, "reading_journal": row}


def update_reading_journal(
    context: ExecutionContext, id: int, object: dict[str, Any]
) -> dict[str, Any]:
    row = context.catalog.get("reading_journals", id)
    if row is None or row["user_id"] != context.user_id:
        return _refused("Not found")
    for key in ("entry", "event", "edition_id", "privacy_setting_id", "metadata", "action_at"):
        if key in object:
            row[key] = object[key]
    return {"errors": None, "id": id, "reading_journal": row}


JOURNAL_MUTATIONS = {
    "insert_reading_journal": insert_reading_journal,
    "update_reading_journal": update_reading_journal,
}
