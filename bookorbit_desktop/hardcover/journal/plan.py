"""What to send to the reading journal for a set of highlights (pure).

Each highlight is one `quote` entry (its text); its note, when it has one, is one `note` entry.

| local map says                   | the highlight now              | action                      |
|----------------------------------|--------------------------------|-----------------------------|
| nothing sent                     | has the text                   | insert                      |
| sent, same text                  | unchanged                      | nothing                     |
| sent, other text (an edited note)| changed                        | update that journal entry   |
| "sending": the answer was lost   | anything                       | confirm first (read back)   |
| sent                             | gone (note removed, deleted)   | nothing: never deleted      |
| "refused" by Hardcover           | anything                       | insert again, once it is due|
| "waiting": Hardcover stored none | anything                       | insert again, once it is due|
| any, its next attempt not due    | anything                       | held (no request)           |
| refused or waiting, not due      | its text was edited            | insert the new text at once |

An entry that failed (refused, no answer, or its lost answer could not be checked) waits before
the next attempt, longer after each failure in a row (`retry_delay`), so a permanent refusal or
a Hardcover that keeps failing costs a few requests a day instead of one every pass of the
worker. The failures in a row survive until the entry is in the journal, or its text changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

QUOTE = "quote"
NOTE = "note"
SENDING = "sending"
SENT = "sent"
REFUSED = "refused"  # Hardcover answered and refused the insert: nothing is in the journal
WAITING = "waiting"  # certainly not in the journal (429, 401, read back and not found)
# Waits after the 1st, 2nd, ... failure in a row; the last one repeats.
BACKOFF_SECONDS = (300.0, 1_200.0, 3_600.0, 4 * 3_600.0, 12 * 3_600.0)
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
    attempts: int = 0  # failures in a row
    next_attempt_at: float | None = None  # None: at once
    refused: str | None = None  # Hardcover's reason for the last refusal


@dataclass
class JournalPlan:
    inserts: list[Wanted] = field(default_factory=list)
    updates: list[tuple[int, Wanted]] = field(default_factory=list)  # (journal id, wanted)
    unconfirmed: list[tuple[Sent, Wanted]] = field(default_factory=list)
    unchanged: int = 0
    held: int = 0  # failed before; their next attempt is not due yet


def retry_delay(attempts: int) -> float:
    """Seconds to wait after `attempts` failures in a row (1 or more)."""
    return BACKOFF_SECONDS[min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1]


def is_due(done: Sent, now: float) -> bool:
    return done.next_attempt_at is None or done.next_attempt_at <= now


def edited_while_out(done: Sent, entry: Wanted) -> bool:
    """Not in the journal and the highlight's text changed since the last try: a new text
    is a new attempt (it goes at once and counts its failures from zero)."""
    return done.state in (REFUSED, WAITING) and done.text != entry.text


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


def plan(
    wanted: Iterable[Wanted], sent: Mapping[tuple[int, str], Sent], now: float | None = None
) -> JournalPlan:
    """What a pass does at `now`; None ignores the waits (the user asked for this pass)."""
    result = JournalPlan()
    for entry in wanted:
        done = sent.get((entry.highlight_id, entry.kind))
        if (
            done is not None
            and now is not None
            and not is_due(done, now)
            and not edited_while_out(done, entry)
        ):
            result.held += 1
        elif done is None or done.state in (REFUSED, WAITING):
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
