"""Mark Read: the dates a book gets when the user says it is read. Pure.

A click is not evidence of when a book was read. The finish is the user's word or the reading
history's last session; the start is the first session of that read, or the book's first
push; today is only ever a date the user chooses (the window's dialog prefills it, the
command line takes `--finished today`). "No date" is a word of the user's too (`--finished
none`, the dialog's No date button): they read it but do not know when:

| date     | given by the user | else                                  | else                    |
|----------|-------------------|---------------------------------------|-------------------------|
| finished | that date (user)  | the latest read's last session's day  | "no date" given: none   |
|          |                   | (history), even when the user said    | (user); else asked:     |
|          |                   | "no date": evidence dates the read    | `DateNeededError`       |
| started  | that date (user)  | the date the book already has (its    | the latest read's first |
|          |                   | source kept)                          | session (history), else |
|          |                   |                                       | the first push (sync),  |
|          |                   |                                       | else unknown            |

"No date" says the user does not know, not that the read has no end: the history's last
session, when there is one, is what they forgot, so it dates the read. Without evidence the
book is finished with no date, recorded as the user's (`finished` NULL, source user), and the
Hardcover sync sends a Read whose read has no finish date.

A start from the evidence that would come after the finish is not evidence of this read: it
stays unknown. A start of the user's (given now, or kept) after the finish is an error.

The same evidence dates every other date a user's edit implies without giving it
(`implied_start`): choosing Reading, or typing a progress on an unread book, starts the book
on its first session or first push, else leaves the start unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.reading.sources import HISTORY, SYNC, USER
from bookorbit_desktop.library.reading.values import check_dates

FINISH_NEEDED = (
    "The reading history does not say when you finished this book. Give the date you finished "
    "it (or today)."
)


# The word for "finished, but I do not know when": `--finished none`, the dialog's No date.
NO_DATE = "none"


class DateNeededError(InvalidValueError):
    """Nothing says when the book was finished: the user must give the date."""

    title = "When did you finish it?"


@dataclass(frozen=True)
class Evidence:
    """What the library knows about when the book was read, as local ISO days."""

    first_session: str | None = None  # the latest read's first session in the history
    last_session: str | None = None  # its last session
    first_push: str | None = None  # the day of the book's first kosync push


@dataclass(frozen=True)
class Marked:
    started: str | None
    started_source: str | None
    finished: str | None  # None: the user's "no date"
    finished_source: str


def mark_read_dates(
    *,
    finished: str | None,
    started: str | None,
    current_started: str | None,
    current_started_source: str | None,
    evidence: Evidence,
    no_date: bool = False,
) -> Marked:
    """The dates of a book marked read, by the module's table. `finished` / `started`: what
    the user gave (None: nothing); `no_date`: the user said they do not know when it ended;
    `current_*`: the start date the book has now."""
    last = history_finish(evidence, started or current_started)
    finish: str | None
    if finished is not None:
        finish, finish_source = finished, USER
    elif last is not None:
        finish, finish_source = last, HISTORY
    elif no_date:
        finish, finish_source = None, USER
    else:
        raise DateNeededError(FINISH_NEEDED)
    start: str | None
    start_source: str | None
    if started is not None:
        start, start_source = started, USER
    elif current_started is not None:
        start, start_source = current_started, current_started_source
    else:
        start, start_source = implied_start(evidence, before=finish)
    check_dates(start, finish)  # the user's own start (given or kept) stays theirs
    return Marked(start, start_source, finish, finish_source)


def history_finish(evidence: Evidence, started: str | None) -> str | None:
    """The history's last session as the finish of the read begun on `started`: None when
    that session came before it (the history's latest read is an earlier one: a reread
    with no session yet)."""
    last = evidence.last_session
    return None if last is None or (started is not None and last < started) else last


def implied_start(
    evidence: Evidence, *, after: str | None = None, before: str | None = None
) -> tuple[str | None, str | None]:
    """The start date (and its source) the evidence gives a read the user did not date: the
    latest read's first session, else the first push; unknown when that day is not within
    (`after`, `before`] (evidence of another read: a reread begins after the last finish)."""
    for day, source in ((evidence.first_session, HISTORY), (evidence.first_push, SYNC)):
        if day is None:
            continue
        if (after is not None and day <= after) or (before is not None and day > before):
            return None, None
        return day, source
    return None, None
