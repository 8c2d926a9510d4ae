"""What the push may send while a field is in conflict: Hardcover's value, i.e. nothing.

`sync.store` passes its candidates through `held_all` before the reconciler sees it,
so a field changed on both sides is never silently overwritten on either side. Privacy has no
value of its own in the reading state: the entry's privacy is the settings' unless the pull
took Hardcover's (`hardcover_followed`), which then is the library's value for the entry until
the user changes the privacy setting (`sync.settings.save` forgets it) or keeps their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.rule import library_status
from bookorbit_desktop.hardcover.sync.candidate import Candidate
from bookorbit_desktop.hardcover.sync.model import Local

PRIVACY = "privacy_id"


def held_all(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates with their fields in conflict held at Hardcover's values (one query)."""
    open_books = {c.book_id for c in store.conflicts()}
    privacy = store.followed_field(PRIVACY)
    if privacy:
        candidates = [_taken_privacy(c, privacy) for c in candidates]
    if not open_books:
        return candidates
    return [
        replace(c, local=held(c.local, c.book_ids)) if open_books & set(c.book_ids) else c
        for c in candidates
    ]


def _taken_privacy(candidate: Candidate, privacy: dict[int, Any]) -> Candidate:
    taken = next((privacy[b] for b in candidate.book_ids if b in privacy), None)
    if taken is None:
        return candidate
    return replace(candidate, local=replace(candidate.local, privacy_id=int(taken)))


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
        elif conflict.field == PRIVACY and conflict.remote is not None:
            changes["privacy_id"] = int(conflict.remote)
    return replace(local, **changes)
