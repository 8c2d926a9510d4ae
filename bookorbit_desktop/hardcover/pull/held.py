"""What the push may send while a field is in conflict: Hardcover's value, i.e. nothing.

`sync.store` passes its candidates through `held_all` before the reconciler sees it,
so a field changed on both sides is never silently overwritten on either side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.rule import library_status
from bookorbit_desktop.hardcover.sync.model import Local

if TYPE_CHECKING:
    from bookorbit_desktop.hardcover.sync.store import Candidate


def held_all(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates with their fields in conflict held at Hardcover's values (one query)."""
    open_books = {c.book_id for c in store.conflicts()}
    if not open_books:
        return candidates
    return [
        replace(c, local=held(c.local, c.book_ids)) if open_books & set(c.book_ids) else c
        for c in candidates
    ]


def held(local: Local, book_ids: Iterable[int]) -> Local:
    """`local` with every field in conflict set to Hardcover's value, until the user picks."""
    found = store.conflicts(book_ids)
    if not found:
        return local
    changes: dict[str, Any] = {}
    for conflict in found:
        if conflict.field == "status_id":
            changes["status"] = library_status(conflict.remote, local.status)
        elif conflict.field in ("rating", "started", "finished"):
            changes[conflict.field] = conflict.remote
    return replace(local, **changes)
