"""What to send to the reading journal for a set of highlights (pure).

Each highlight is one `quote` entry (its text); its note, when it has one, is one `note` entry.

| local map says                   | the highlight now              | action                      |
|----------------------------------|--------------------------------|-----------------------------|
| nothing sent                     | has the text                   | insert                      |
| sent, same text                  | unchanged                      | nothing                     |
| sent, other text (an edited note)| changed                        | update that journal entry   |
| "sending": the answer was lost   | anything                       | confirm first (read back)   |
| sent                             | gone (note removed, deleted)   | nothing: never deleted      |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

QUOTE = "quote"
NOTE = "note"
SENDING = "sending"
SENT = "sent"
PRIVACY = {"public": 1, "followers": 2, "private": 3}


@dataclass(frozen=True)
class Wanted:
    """One journal entry a highlight should have."""

    highlight_id: int
    kind: str  # QUOTE or NOTE
    text: str
    hc_book_id: int
    edition_id: int | None
    page: int | None  # a page of the edition, when known
    edition_pages: int | None
    created: int  # Unix seconds


@dataclass(frozen=True)
class Sent:
    highlight_id: int
    kind: str
    journal_id: int | None
    text: str
    state: str


@dataclass
class JournalPlan:
    inserts: list[Wanted] = field(default_factory=list)
    updates: list[tuple[int, Wanted]] = field(default_factory=list)  # (journal id, wanted)
    unconfirmed: list[tuple[Sent, Wanted]] = field(default_factory=list)
    unchanged: int = 0


def page_number(page: str | None, edition_pages: int | None) -> int | None:
    """The page as a number within the edition, or None (a label such as "xii", or beyond)."""
    if page is None or not page.isdigit():
        return None
    number = int(page)
    if number < 1 or (edition_pages is not None and number > edition_pages):
        return None
    return number


def wanted_entries(
    highlight_id: int,
    text: str,
    note: str,
    page: str | None,
    created: int,
    *,
    hc_book_id: int,
    edition_id: int | None,
    edition_pages: int | None,
) -> list[Wanted]:
    number = page_number(page, edition_pages)
    common = (hc_book_id, edition_id, number, edition_pages, created)
    entries = []
    if text.strip():
        entries.append(Wanted(highlight_id, QUOTE, text.strip(), *common))
    if note.strip():
        entries.append(Wanted(highlight_id, NOTE, note.strip(), *common))
    return entries


def plan(wanted: Iterable[Wanted], sent: Mapping[tuple[int, str], Sent]) -> JournalPlan:
    result = JournalPlan()
    for entry in wanted:
        done = sent.get((entry.highlight_id, entry.kind))
        if done is None:
            result.inserts.append(entry)
        elif done.state != SENT or done.journal_id is None:
            result.unconfirmed.append((done, entry))
        elif done.text != entry.text:
            result.updates.append((done.journal_id, entry))
        else:
            result.unchanged += 1
    return result


def journal_object(entry: Wanted, privacy: int) -> dict[str, object]:
    """The `ReadingJournalCreateType` for one entry."""
    values: dict[str, object] = {
        "book_id": entry.hc_book_id,
        "event": entry.kind,
        "entry": entry.text,
        "privacy_setting_id": privacy,
        "tags": [],
        "action_at": dt.datetime.fromtimestamp(entry.created, dt.UTC).date().isoformat(),
    }
    if entry.edition_id is not None:
        values["edition_id"] = entry.edition_id
    if entry.page is not None:
        position: dict[str, object] = {"type": "pages", "value": entry.page}
        if entry.edition_pages:
            position["possible"] = entry.edition_pages
        values["metadata"] = {"position": position}
    return values
