"""Where a reading date came from: the words stored in `reading_state.*_source`. Pure.

One place for them, so the library (which records them) and the Hardcover sync (which decides
from them what may be sent) never spell them twice:

| source    | the date is                                      | evidence                     |
|-----------|--------------------------------------------------|------------------------------|
| user      | typed or chosen by the user (an edit, Mark Read, | the user's word              |
|           | an approved history date)                        |                              |
| history   | a session's day in the reading history (first    | strong, but a proposal until |
|           | session for a start, last one for a finish)      | the user approves it         |
| sync      | the day a kosync push arrived ("date of sync")   | weak: pushes made offline    |
|           |                                                  | arrive later                 |
| hardcover | taken from the user's Hardcover entry            | Hardcover's own              |

None (NULL) means no date, or a date stored before sources were kept; it counts as the user's.
"""

from __future__ import annotations

USER, HISTORY, SYNC, HARDCOVER = "user", "history", "sync", "hardcover"
DATE_SOURCES = (USER, HISTORY, SYNC, HARDCOVER)

# How the window names a date's source beside the date (None: nothing to add).
SOURCE_LABELS = {SYNC: "date of sync", HISTORY: "from reading history", HARDCOVER: "from Hardcover"}


def source_label(source: str | None) -> str | None:
    """The words the window shows beside a date, e.g. "date of sync"; None for the user's."""
    return SOURCE_LABELS.get(source or "")
