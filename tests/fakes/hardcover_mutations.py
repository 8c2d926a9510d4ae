"""The fake Hardcover's user_book mutations, with the side effects observed on the real API.

Errors are returned in the `error` field with HTTP 200, as Hardcover does (hardcover-api.md
§1.4); the server-side effects follow §2.8 / §7.4, each unconfirmed detail behind a switch in
`Behaviour`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakes.hardcover_catalog import CURRENTLY_READING, READ, Catalog
from tests.fakes.hardcover_goals import GOAL_MUTATIONS
from tests.fakes.hardcover_journal import JOURNAL_MUTATIONS

if TYPE_CHECKING:
    from tests.fakes.hardcover_resolvers import ExecutionContext

BOOK_GONE = "We weren't able to find that book. Was it deleted?"
ALREADY_ON_SHELF = "This book is already in your library."
NOT_YOURS = "You do not have permission to change this."
NOT_FOUND = "Not found."
_READ_FIELDS = ("edition_id", "started_at", "finished_at", "progress_pages", "progress_seconds")
_RATINGS = {step / 2 for step in range(11)}


def _now(catalog: Catalog) -> str:
    return catalog.stamp()


def _activity(catalog: Catalog, user_id: int, event: str, **data: Any) -> None:
    catalog.activities.append({"user_id": user_id, "event": event, **data})


def _own_user_book(context: ExecutionContext, user_book_id: int) -> dict[str, Any] | str:
    row = context.catalog.get("user_books", user_book_id)
    if row is None:
        return NOT_FOUND
    if row["user_id"] != context.user_id:
        return NOT_YOURS
    return row


def _edition_pages(catalog: Catalog, edition_id: int | None) -> int | None:
    edition = catalog.get("editions", edition_id)
    return None if edition is None else edition.get("pages")


def _open_read(catalog: Catalog, user_book: dict[str, Any], started_at: str | None) -> None:
    catalog.add_read(user_book["id"], edition_id=user_book.get("edition_id"), started_at=started_at)
    if started_at:
        _activity(catalog, user_book["user_id"], "started_reading", user_book_id=user_book["id"])


def insert_user_book(context: ExecutionContext, object: dict[str, Any]) -> dict[str, Any]:
    catalog = context.catalog
    book = catalog.get("books", object["book_id"])
    if book is None or not catalog.is_live(book):
        return {"id": None, "error": BOOK_GONE, "user_book": None}
    if object.get("rating") is not None and float(object["rating"]) not in _RATINGS:
        return {
            "id": None,
            "error": "Rating must be between 0 and 5 in half steps.",
            "user_book": None,
        }
    existing = catalog.user_book_for(context.user_id, book["id"])
    if existing is not None:
        if context.behaviour.insert_existing == "error":
            return {"id": None, "error": ALREADY_ON_SHELF, "user_book": None}
        return update_user_book(context, id=existing["id"], object=object)
    today = catalog.today().isoformat()
    values = {k: v for k, v in object.items() if k != "book_id"}
    user_book_id = catalog.add_user_book(
        context.user_id,
        book["id"],
        status_id=values.pop("status_id", 1) or 1,
        edition_id=values.pop("edition_id", None),
        privacy_setting_id=values.pop("privacy_setting_id", None),
        rating=values.pop("rating", None),
        date_added=values.pop("date_added", None) or today,
    )
    user_book = catalog.tables["user_books"][user_book_id]
    user_book.update(values)
    status = user_book["status_id"]
    _activity(catalog, context.user_id, "status", user_book_id=user_book_id, status_id=status)
    if status == READ:
        catalog.add_read(
            user_book_id,
            edition_id=user_book["edition_id"],
            started_at=None,
            finished_at=today,
            progress_pages=_edition_pages(catalog, user_book["edition_id"]),
        )
    elif status == CURRENTLY_READING:
        started = today if context.behaviour.currently_reading_sets_started else None
        _open_read(catalog, user_book, started)
    return {"id": user_book_id, "error": None, "user_book": user_book}


def update_user_book(context: ExecutionContext, id: int, object: dict[str, Any]) -> dict[str, Any]:
    catalog = context.catalog
    found = _own_user_book(context, id)
    if isinstance(found, str):
        return {"id": None, "error": found, "user_book": None}
    user_book = found
    if object.get("rating") is not None and float(object["rating"]) not in _RATINGS:
        return {
            "id": None,
            "error": "Rating must be between 0 and 5 in half steps.",
            "user_book": None,
        }
    old_status = user_book["status_id"]
    changes = {k: v for k, v in object.items() if k != "book_id"}
    user_book.update(changes)
    user_book["updated_at"] = _now(catalog)
    reads = sorted(catalog.reads_of(user_book["id"]), key=lambda r: r["id"])
    latest = reads[-1] if reads else None
    if "edition_id" in changes:
        unfinished = [r for r in reads if not r.get("finished_at")]
        if unfinished:
            unfinished[0]["edition_id"] = changes["edition_id"]
    new_status = user_book["status_id"]
    if new_status != old_status:
        _activity(catalog, context.user_id, "status", user_book_id=id, status_id=new_status)
        if new_status == CURRENTLY_READING and (latest is None or latest.get("finished_at")):
            _open_read(catalog, user_book, None)
        elif new_status == READ:
            if latest is not None and not latest.get("finished_at"):
                latest["finished_at"] = catalog.today().isoformat()
            elif latest is None:
                catalog.add_read(
                    id,
                    edition_id=user_book.get("edition_id"),
                    finished_at=catalog.today().isoformat(),
                )
    return {"id": id, "error": None, "user_book": user_book}


def delete_user_book(context: ExecutionContext, id: int) -> dict[str, Any] | None:
    catalog = context.catalog
    found = _own_user_book(context, id)
    if isinstance(found, str):
        # UserBookDeleteType has no error field; Hardcover answers with nulls.
        return {"id": None, "book_id": None, "user_id": None, "user_book": None}
    for read in catalog.reads_of(id):
        catalog.delete_row("user_book_reads", read["id"])
    catalog.delete_row("user_books", id)
    return {"id": id, "book_id": found["book_id"], "user_id": found["user_id"], "user_book": None}


def _apply_read(context: ExecutionContext, read: dict[str, Any], given: dict[str, Any]) -> None:
    replace = context.behaviour.read_update_mode == "replace"
    before = read.get("started_at")
    for field in _READ_FIELDS:
        if field in given:
            read[field] = given[field]
        elif replace:
            read[field] = None
    if read.get("started_at") and read.get("started_at") != before:
        user_book = context.catalog.get("user_books", read["user_book_id"]) or {}
        _activity(
            context.catalog,
            user_book.get("user_id", 0),
            "started_reading",
            user_book_id=read["user_book_id"],
        )


def insert_user_book_read(
    context: ExecutionContext, user_book_id: int, user_book_read: dict[str, Any]
) -> dict[str, Any]:
    found = _own_user_book(context, user_book_id)
    if isinstance(found, str):
        return {"id": None, "error": found, "user_book_read": None}
    read_id = context.catalog.add_read(user_book_id)
    read = context.catalog.tables["user_book_reads"][read_id]
    _apply_read(context, read, user_book_read)
    context.catalog.touch(user_book_id)
    return {"id": read_id, "error": None, "user_book_read": read}


def _own_read(context: ExecutionContext, read_id: int) -> dict[str, Any] | str:
    read = context.catalog.get("user_book_reads", read_id)
    if read is None:
        return NOT_FOUND
    owner = _own_user_book(context, read["user_book_id"])
    return owner if isinstance(owner, str) else read


def update_user_book_read(
    context: ExecutionContext, id: int, object: dict[str, Any]
) -> dict[str, Any]:
    found = _own_read(context, id)
    if isinstance(found, str):
        return {"id": None, "error": found, "user_book_read": None}
    was_open = not found.get("finished_at")
    _apply_read(context, found, object)
    context.catalog.touch(found["user_book_id"])
    user_book = context.catalog.get("user_books", found["user_book_id"]) or {}
    if was_open and found.get("finished_at") and user_book.get("status_id") != READ:
        # Live (2026-09): a finish date on the open read sets the entry's status to Read.
        user_book["status_id"] = READ
        _activity(
            context.catalog, context.user_id, "status", user_book_id=user_book["id"], status_id=READ
        )
    return {"id": id, "error": None, "user_book_read": found}


def delete_user_book_read(context: ExecutionContext, id: int) -> dict[str, Any]:
    found = _own_read(context, id)
    if isinstance(found, str):
        return {"id": None, "error": found, "user_book_read": None}
    context.catalog.delete_row("user_book_reads", id)
    context.catalog.touch(found["user_book_id"])
    return {"id": id, "error": None, "user_book_read": None}


MUTATIONS: dict[str, Callable[..., Any]] = {
    "insert_user_book": insert_user_book,
    "update_user_book": update_user_book,
    "delete_user_book": delete_user_book,
    "insert_user_book_read": insert_user_book_read,
    "update_user_book_read": update_user_book_read,
    "delete_user_book_read": delete_user_book_read,
    **JOURNAL_MUTATIONS,
    **GOAL_MUTATIONS,
}
