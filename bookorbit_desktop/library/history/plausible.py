"""Which KOReader page records can be real: the one rule the import and the queries share.

A reader's clock can be wrong (a Kobo that lost its time reports 1970), and a file can be
damaged or forged, so a record is kept only when:

| field      | kept when                                                     |
|------------|---------------------------------------------------------------|
| start_time | from `EARLIEST_START` (19 November 2007) to now + 1 day       |
| duration   | from 0 to `MAX_DURATION` (one day)                            |

19 November 2007 is the day the first Kindle went on sale: KOReader began on the Kindle and
runs on no e-reader older than it, so no page can have been read with it before that day.
The day of margin after now covers a reader whose clock is a few hours ahead of this
computer's. A page shown for more than a day is a reader left open, not reading.
"""

from __future__ import annotations

import datetime as dt

EARLIEST_START = int(dt.datetime(2007, 11, 19, tzinfo=dt.UTC).timestamp())
AHEAD_SECONDS = 86_400
MAX_DURATION = 86_400


def start_range(now: float) -> tuple[int, int]:
    """(earliest, latest) start time a record may have, seen at `now` (Unix seconds)."""
    return EARLIEST_START, int(now) + AHEAD_SECONDS


def plausible_start(start: int | None, now: float) -> bool:
    """Whether a stored time (a session's start, a book's first or last reading) can be real."""
    earliest, latest = start_range(now)
    return start is not None and earliest <= start <= latest
