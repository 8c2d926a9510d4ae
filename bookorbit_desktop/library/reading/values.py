"""Pure validation of the reading-state values a user types: status, rating, dates, progress.

Each function takes text (or an already typed value) and returns the stored form, or raises
`InvalidValueError` with a message that says what is accepted. Used by the CLI and the window.
"""

from __future__ import annotations

import datetime
import math
import re

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.reading.rules import FINISHED

# Reading statuses, in the order the UI lists them.
READING_STATUSES = (
    "unread",
    "want_to_read",
    "reading",
    "rereading",
    "on_hold",
    "read",
    "skimmed",
    "abandoned",
)

# Words that clear an optional value (`--rating none`, `--started none`).
CLEAR_WORDS = frozenset({"", "none", "clear", "-"})
RATING_MIN = 0.5
RATING_MAX = 5.0
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_status(value: str) -> str:
    """A status from READING_STATUSES; "Want to read" and "want-to-read" are accepted."""
    key = "_".join(value.strip().casefold().replace("-", " ").split())
    if key not in READING_STATUSES:
        raise InvalidValueError(
            f"Unknown reading status {value!r}. Use one of: {', '.join(READING_STATUSES)}."
        )
    return key


def parse_rating(value: str | float | None) -> float | None:
    """A rating from 0.5 to 5 in half steps, or None to clear it."""
    if value is None or (isinstance(value, str) and value.strip().casefold() in CLEAR_WORDS):
        return None
    try:
        number = float(value.strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except ValueError:
        raise InvalidValueError(
            f"The rating {value!r} is not a number. Give 0.5 to 5 in half steps, or 'none'."
        ) from None
    if not math.isfinite(number) or not RATING_MIN <= number <= RATING_MAX:
        raise InvalidValueError(
            f"The rating {value} is out of range. Give 0.5 to 5 in half steps, or 'none' to "
            "clear it."
        )
    if number * 2 != round(number * 2):
        raise InvalidValueError(
            f"The rating {value} is not a half step. Use 0.5, 1, 1.5 ... 4.5 or 5."
        )
    return number


def format_rating(rating: float | None) -> str:
    """Stars for a 0.5..5 rating in half steps: 3.5 -> "★★★½" ("" for none)."""
    if rating is None or rating <= 0:
        return ""
    whole = int(rating)
    return "★" * whole + ("½" if rating - whole >= 0.5 else "")


def stars(rating: float) -> str:
    """A rating to read: its stars, or "No stars" for none (0)."""
    return format_rating(rating) or "No stars"


def rating_choice(rating: float) -> str:
    """A rating as a list offers it: its stars and its number, 3.5 -> "★★★½  (3.5)"."""
    return f"{format_rating(rating)}  ({rating:g})"


def parse_date(
    value: str | datetime.date | None, *, field: str, today: datetime.date
) -> str | None:
    """An ISO date (YYYY-MM-DD, or 'today'), not in the future; None clears it."""
    if value is None:
        return None
    day: datetime.date | None
    if isinstance(value, datetime.date):
        day = value
    else:
        text = value.strip().casefold()
        if text in CLEAR_WORDS:
            return None
        if text == "today":
            return today.isoformat()
        try:
            day = datetime.date.fromisoformat(text) if _ISO_DAY.match(text) else None
        except ValueError:
            day = None
        if day is None:
            raise InvalidValueError(
                f"The {field} date {value!r} is not a date. Write it as YYYY-MM-DD "
                "(for example 2024-03-31), 'today', or 'none' to clear it."
            )
    assert day is not None
    if day > today:
        raise InvalidValueError(
            f"The {field} date {day.isoformat()} is in the future (today is {today.isoformat()})."
        )
    return day.isoformat()


def percent(fraction: float) -> str:
    """A reading progress as the app shows it everywhere: "45 %"."""
    return f"{fraction * 100:.0f} %"


def status_percent(status: str, progress: float) -> str:
    """A book's progress beside its status: a finished book is read through ("100 %"),
    whatever position a device last reported."""
    return percent(1.0 if status in FINISHED else progress)


def parse_progress(value: str | float) -> float:
    """A reading progress as a fraction 0..1; "45%" is accepted as 0.45."""
    text = value.strip() if isinstance(value, str) else None
    try:
        if text is not None and text.endswith("%"):
            number = float(text[:-1].strip().replace(",", ".")) / 100
        elif text is not None:
            number = float(text.replace(",", "."))
        else:
            number = float(value)
    except ValueError:
        raise InvalidValueError(
            f"The progress {value!r} is not a number. Give a fraction from 0 to 1 (0.45) or a "
            "percentage (45%)."
        ) from None
    if not math.isfinite(number) or not 0.0 <= number <= 1.0:
        raise InvalidValueError(
            f"The progress {value} is out of range. Give a fraction from 0 to 1 (0.45) or a "
            "percentage from 0% to 100%."
        )
    return number


def check_dates(started: str | None, finished: str | None) -> None:
    """A book cannot be finished before it was started."""
    if started and finished and finished < started:
        raise InvalidValueError(
            f"The finish date {finished} is before the start date {started}. Correct one of "
            "them (or clear the start date with 'none')."
        )
