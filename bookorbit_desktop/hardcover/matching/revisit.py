"""A book's match states, and when a matching pass looks at a book again. Pure.

The matcher asks before it spends a request on a book, and Sync Now asks to know whether a pass
would look anything up: one rule for both, so the button is offered exactly when matching would
do something.
"""

from __future__ import annotations

UNMATCHED, LINKED, NEEDS_REVIEW, NO_MATCH = "unmatched", "linked", "needs_review", "no_match"
EXCLUDED, ERROR = "excluded", "error"
# The user removed the book's Hardcover entry: linked still, but nothing adds it back until
# the user links it (Pick, Re-match) or adds it again on purpose.
REMOVED = "removed"
STATES = (UNMATCHED, LINKED, NEEDS_REVIEW, NO_MATCH, EXCLUDED, ERROR, REMOVED)


def worth_matching(state: str | None, *, pinned: bool, changed: bool, on_profile: bool) -> bool:
    """Whether a matching pass (re)considers a book whose match is in `state` (None: never
    looked up); `changed`: the metadata matching reads changed since; `on_profile`: an entry
    for the link is known on the user's Hardcover profile."""
    if state is None or state in (UNMATCHED, ERROR):
        return True
    if pinned or state in (EXCLUDED, REMOVED):
        return False
    if state in (NO_MATCH, NEEDS_REVIEW):
        return changed  # e.g. a Hardcover id was saved in the file since
    # An automatic link is revisited after a metadata edit only while nothing was sent for it.
    return changed and not on_profile
