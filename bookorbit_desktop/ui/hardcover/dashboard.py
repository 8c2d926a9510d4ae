"""Where each book stands with Hardcover, for the page's filters, and what its row says.
Plain functions. The state itself is one rule below the window:
`library.store.dashboard_rows.STATE` in SQL for the page's order and counts, and `state_of`, the
same rule for one book.

A book is in exactly one state: excluded by the user; in conflict (a field changed both here
and on hardcover.app since the last sync: nothing of it goes out until the user picks, with
Review Conflicts…); waiting for the user's decision (several candidates, or Hardcover shows a
later page than the library); not matched (no Hardcover book
found, or not looked up yet); failed (the last push failed, or matching raised); held (the user
cancelled the sync that showed its change: it waits for Send or Discard); pending (linked,
with a change Hardcover does not have yet, or never sent); synced (linked and confirmed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bookorbit_desktop.services.library.service import STATUS_LABELS, progress_text

# (state, label) in the order of the filter list; None is "every book".
STATES = (
    (None, "All books"),
    ("synced", "Synced"),
    ("pending", "Pending"),
    ("held", "Held"),
    ("needs_review", "Needs review"),
    ("not_matched", "Not matched"),
    ("failed", "Failed"),
    ("excluded", "Excluded"),
    ("removed", "Entry removed"),
    ("conflict", "Conflict"),
)
LABELS = {state: label for state, label in STATES if state is not None}
_REASONS = {
    "pending": "Goes out with the next sync",
    "held": "You cancelled the sync that showed this change: Send Held or Discard Held…",
    "ahead": "Hardcover shows a later page than this library",
    "conflict": "Changed here and on hardcover.app: Review Conflicts… to choose which stays",
}


def reason(match: Mapping[str, object], state: str) -> str:
    """Why the book is in `state`, in a few words."""
    if state == "conflict":
        return _REASONS[state]
    if match.get("sync_state") in ("failed", "blocked", "ahead") and match.get("sync_reason"):
        return str(match["sync_reason"])
    if match.get("sync_state") == "ahead":
        return _REASONS["ahead"]
    if match.get("reason") and state != "synced":
        return str(match["reason"])
    return _REASONS.get(state, "")


def filter_label(label: str, count: int) -> str:
    return f"{label} ({count:,})"


def row_cells(
    book: Mapping[str, Any], match: Mapping[str, object], state: str, *, in_series: bool
) -> tuple[str, str, str, str, str]:
    """The page's columns for a book: title ("#2 Title" inside its series' group), authors,
    reading ("Reading · 42 % · p. 139 of 332"), sync state, and what it is linked to or why not."""
    why = reason(match, state)
    if match.get("summary"):
        why = f"{match['summary']} — {why}" if why else str(match["summary"])
    status = str(book.get("status"))
    reading = STATUS_LABELS.get(status, status)
    progress = progress_text(float(book.get("progress") or 0.0), book.get("pages"), status)
    title = str(book["title"])
    number = book.get("series_index")
    if in_series and number is not None:
        title = f"#{number:g} {title}"
    return (
        title,
        ", ".join(book.get("authors") or []),
        f"{reading} · {progress}" if progress else reading,
        LABELS[state],
        why,
    )
