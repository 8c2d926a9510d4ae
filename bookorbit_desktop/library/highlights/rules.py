"""Identity and merge of highlights, and what an export may propose about a book.

A highlight is identified, as KOReader identifies it, by its book and its creation time (Unix
seconds; an edit never changes it). The XMNote export sends that instant as a number, the
sidecar as device-local wall-clock text, so a sidecar read on a computer in another time zone
lands whole quarter-hours away: such a pair with the same text is the same highlight too.

| incoming vs stored                          | result                                      |
|---------------------------------------------|---------------------------------------------|
| no stored highlight with its identity       | added                                       |
| same identity, nothing differs              | unchanged (a re-send never duplicates)      |
| same identity, note/text/chapter/page differ | updated (an edited note replaces the old)   |
| incoming edit time older than the stored one | unchanged (an old copy never reverts)       |
| chapter or page missing in the incoming copy | the stored value is kept                    |
| stored highlight the user deleted            | stays deleted                               |
| stored highlight absent from the export      | kept (exports send subsets on purpose)      |

Statuses: KOReader's "complete" proposes read, "abandoned" (shown as "On hold" on the device)
proposes on hold; XMNote's readingStatus 3 and 5 mean the same, and its 2 ("reading", also sent
when the device has no status) proposes nothing, so it never lowers a finished book. A rating
1..5 proposes itself. A proposal is only made when it differs from the book's state.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

TIME_ZONE_SLACK_SECONDS = 14 * 3600  # the widest offset between two time zones
TIME_ZONE_STEP_SECONDS = 15 * 60  # every time zone offset is a whole number of quarter-hours

SIDECAR_STATUSES = {"complete": "read", "abandoned": "on_hold"}
XMNOTE_STATUSES = {3: "read", 5: "on_hold"}
RATING_RANGE = range(1, 6)


@dataclass(frozen=True)
class Entry:
    """One highlight as a device describes it."""

    created: int  # Unix seconds when it was made
    text: str
    note: str = ""
    chapter: str | None = None
    page: str | None = None  # the page label when the book has stable ones, else the page
    updated: int | None = None  # Unix seconds of the device's last edit, when it says


@dataclass(frozen=True)
class Stored:
    id: int
    entry: Entry
    deleted: bool = False


@dataclass(frozen=True)
class Plan:
    """What recording one export changes: new entries, (id, new entry) updates, counts."""

    added: list[Entry] = field(default_factory=list)
    updated: list[tuple[int, Entry]] = field(default_factory=list)
    unchanged: int = 0
    kept_deleted: int = 0


@dataclass(frozen=True)
class Proposal:
    """A change of reading state an export suggests; applied only when the user confirms."""

    status: str | None
    rating: int | None
    note: str | None


def _text_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def same_highlight(a: Entry, b: Entry) -> bool:
    """True when `a` and `b` are one highlight (same creation instant, see the docstring)."""
    if a.created == b.created:
        return True
    gap = abs(a.created - b.created)
    return (
        gap <= TIME_ZONE_SLACK_SECONDS
        and gap % TIME_ZONE_STEP_SECONDS == 0
        and bool(_text_key(a.text))
        and _text_key(a.text) == _text_key(b.text)
    )


def merged(stored: Entry, incoming: Entry) -> Entry | None:
    """The stored highlight after `incoming`, or None when nothing changes."""
    older = incoming.updated is not None and stored.updated is not None
    if older and incoming.updated < stored.updated:  # type: ignore[operator]
        return None
    updated = max((t for t in (stored.updated, incoming.updated) if t is not None), default=None)
    result = replace(
        stored,
        text=incoming.text or stored.text,
        note=incoming.note,
        chapter=incoming.chapter or stored.chapter,
        page=incoming.page or stored.page,
        updated=updated,
    )
    return None if result == stored else result


class _Index:
    """The stored highlights of one book, found by creation instant, or by text at a whole
    number of quarter-hours away (a bounded number of look-ups, so a merge stays linear)."""

    def __init__(self, rows: Sequence[Stored]) -> None:
        self.rows = list(rows)
        self.by_instant: dict[int, int] = {}
        self.by_text: dict[tuple[str, int], int] = {}  # (text key, instant) -> first row
        self.texts: set[str] = set()
        for index, row in enumerate(self.rows):
            self._note(index, row.entry)

    def _note(self, index: int, entry: Entry) -> None:
        key = _text_key(entry.text)
        self.by_instant.setdefault(entry.created, index)
        self.by_text.setdefault((key, entry.created), index)
        self.texts.add(key)

    def find(self, entry: Entry) -> int | None:
        if entry.created in self.by_instant:
            return self.by_instant[entry.created]
        key = _text_key(entry.text)
        if not key or key not in self.texts:
            return None
        steps = TIME_ZONE_SLACK_SECONDS // TIME_ZONE_STEP_SECONDS
        found = [
            self.by_text.get((key, entry.created + step * TIME_ZONE_STEP_SECONDS))
            for step in range(-steps, steps + 1)
        ]
        # A row noted under an earlier text of its own matches only by the text it has now.
        current = (i for i in found if i is not None and _text_key(self.rows[i].entry.text) == key)
        return min(current, default=None)

    def add(self, row: Stored) -> int:
        self.rows.append(row)
        self._note(len(self.rows) - 1, row.entry)
        return len(self.rows) - 1

    def replace(self, index: int, row: Stored) -> None:
        """An updated row is found by its new text too (its instant never changes)."""
        self.rows[index] = row
        self._note(index, row.entry)


def plan(stored: Sequence[Stored], incoming: Sequence[Entry]) -> Plan:
    """How to record `incoming` next to the book's `stored` highlights (rules table above).
    Linear in the number of highlights: every step is a look-up in a dictionary."""
    known = _Index(stored)
    added: list[Entry] = []
    updated: dict[int, Entry] = {}  # stored id -> its entry after the export, in first order
    unchanged = kept_deleted = 0
    new_at: dict[int, int] = {}  # index in `known` of an entry added by this plan -> in added
    for entry in incoming:
        index = known.find(entry)
        if index is None:
            new_at[known.add(Stored(-1, entry))] = len(added)
            added.append(entry)
            continue
        row = known.rows[index]
        if row.deleted:
            kept_deleted += 1
            continue
        after = merged(row.entry, entry)
        if after is None:
            unchanged += 1
            continue
        known.replace(index, replace(row, entry=after))
        if index in new_at:  # the export carried the same highlight twice: the later one wins
            added[new_at[index]] = after
        else:
            updated.pop(row.id, None)  # the later change of one highlight goes last
            updated[row.id] = after
    before = {row.id: row.entry for row in stored}
    # One highlight sent twice in one export can change and change back: no update then.
    changes = [(i, e) for i, e in updated.items() if before.get(i) != e]
    return Plan(added, changes, unchanged, kept_deleted)


def proposal(
    status: str | None,
    rating: int | None,
    note: str | None,
    *,
    current_status: str,
    current_rating: float | None,
) -> Proposal | None:
    """What a device's summary proposes for a book in `current_status`, or None.

    `status` is a local reading status already mapped from the device's word or number.
    """
    wanted_status = status if status is not None and status != current_status else None
    wanted_rating = None
    if (
        rating is not None
        and rating in RATING_RANGE
        and (current_rating is None or float(rating) != current_rating)
    ):
        wanted_rating = rating
    if wanted_status is None and wanted_rating is None:
        return None
    clean_note = note.strip() if note and note.strip() else None
    return Proposal(wanted_status, wanted_rating, clean_note)
