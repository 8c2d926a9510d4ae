"""Where each book stands with Hardcover, for the page's filters and counts. Plain functions.

A book is in exactly one state: excluded by the user; waiting for the user's decision (several
candidates, or Hardcover shows a later page than the library); not matched (no Hardcover book
found, or not looked up yet); failed (the last push failed, or matching raised); pending (linked,
with a change Hardcover does not have yet, or never sent); synced (linked and confirmed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

# (state, label) in the order of the filter list; None is "every book".
STATES = (
    (None, "All books"),
    ("synced", "Synced"),
    ("pending", "Pending"),
    ("needs_review", "Needs review"),
    ("not_matched", "Not matched"),
    ("failed", "Failed"),
    ("excluded", "Excluded"),
)
LABELS = {state: label for state, label in STATES if state is not None}
_REASONS = {
    "pending": "Goes out with the next sync",
    "ahead": "Hardcover shows a later page than this library",
}


def book_state(match: Mapping[str, object], queued: bool) -> str:
    """The dashboard state of one book from its match (`MatchInfo`) and whether it has a
    change waiting in the outbox."""
    state = match.get("state") or "unmatched"
    sync_state = match.get("sync_state")
    if state == "excluded":
        return "excluded"
    if state == "needs_review" or sync_state == "ahead":
        return "needs_review"
    if state in ("no_match", "unmatched"):
        return "not_matched"
    if state == "error" or sync_state in ("failed", "blocked"):
        return "failed"
    if queued or sync_state is None:
        return "pending"
    return "synced"


def reason(match: Mapping[str, object], state: str) -> str:
    """Why the book is in `state`, in a few words."""
    if match.get("sync_state") in ("failed", "blocked", "ahead") and match.get("sync_reason"):
        return str(match["sync_reason"])
    if match.get("sync_state") == "ahead":
        return _REASONS["ahead"]
    if match.get("reason") and state != "synced":
        return str(match["reason"])
    return _REASONS.get(state, "")


def counts(states: Iterable[str]) -> dict[str | None, int]:
    """How many books are in each state, and in all (key None)."""
    counted = Counter(states)
    result: dict[str | None, int] = {state: counted.get(state, 0) for state in LABELS}
    result[None] = sum(counted.values())
    return result


def filter_label(label: str, count: int) -> str:
    return f"{label} ({count:,})"


def series_groups(
    books: Iterable[tuple[int, str | None, float | None]],
) -> list[tuple[str | None, list[int]]]:
    """Books (id, series, number in it) in display order, grouped: each series with two or more
    of the books becomes one group (in series order, unnumbered last, otherwise as given) where
    its first book was; every other book is a group of one with no series name."""
    given = list(books)
    members: dict[str, list[tuple[int, int, float | None]]] = {}
    for position, (book_id, series, number) in enumerate(given):
        if series:
            members.setdefault(series, []).append((position, book_id, number))
    groups: list[tuple[str | None, list[int]]] = []
    placed: set[str] = set()
    for book_id, series, _number in given:
        if not series or len(members[series]) < 2:
            groups.append((None, [book_id]))
        elif series not in placed:
            placed.add(series)
            ordered = sorted(members[series], key=lambda m: (m[2] is None, m[2] or 0.0, m[0]))
            groups.append((series, [m[1] for m in ordered]))
    return groups
