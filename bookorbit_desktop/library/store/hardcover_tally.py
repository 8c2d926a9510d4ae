"""The Hardcover counts as triggers keep them (`hardcover_tally_schema`, with the rule of
`outbox_counts_schema`): how many books have each combination of facts (match state,
sync state, yes/no facts), one statement of a few dozen rows whatever the size of the library.
What each combination means is the callers' rule: the sync's waiting work
(`hardcover.sync.store`), the page's states (`dashboard_rows`). `SENDABLE` picks the kept books
that are linked and not unread (`hardcover_facts.hc_book_id` their Hardcover book), the ones the
new books to publish are counted from, out of an index of their own.
"""

from __future__ import annotations

from typing import NamedTuple

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.outbox_counts_schema import FLAGS, SENDABLE

__all__ = ["SENDABLE", "Facts", "kept_facts", "tally"]

_BITS = {name: bit for bit, (name, _sql) in enumerate(FLAGS)}


class Facts(NamedTuple):
    """What a count knows of a book."""

    match_state: str | None  # None: no match row (never looked up)
    sync_state: str | None  # None: no sync row (Hardcover never confirmed anything)
    flags: int  # the yes/no facts of `FLAGS`, as bits

    def has(self, flag: str) -> bool:
        """Whether the yes/no fact `flag` (a name of `FLAGS`) holds."""
        return bool(self.flags >> _BITS[flag] & 1)


def kept_facts(match: str, synced: str, flags: int) -> Facts:
    """A book's facts from a kept row (`hardcover_facts`, `hardcover_tally`)."""
    return Facts(
        match if flags >> _BITS["matched"] & 1 else None,
        synced if flags >> _BITS["synced"] & 1 else None,
        int(flags),
    )


def tally() -> list[tuple[Facts, int]]:
    """Each combination of facts some books have, with how many books have it (the books that
    are unread with nothing else are in none)."""
    rows = database.execute_sql(
        "SELECT match_state, sync_state, flags, books FROM hardcover_tally WHERE books > 0"
    )
    return [(kept_facts(match, synced, flags), int(books)) for match, synced, flags, books in rows]
