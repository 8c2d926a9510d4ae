"""The dates a search compares with (`added:>2025-01-01`, `finished:2024`, `added:<30daysago`):
each one a period of days, from its first day up to (not including) the day after its last.

`2024` is that year, `2024-05` that month, `2024-05-03` that day; `today`, `yesterday`,
`thismonth`, `thisyear` and `30daysago` count from `today`, which the caller gives (the
search is the same on any day given the same today). A comparison takes the period whole:
`>2024` is after the year, `>=2024` from its start, `<2024` before it, `<=2024` up to its end,
`2024` (or `=2024`) within it."""

from __future__ import annotations

import re
from datetime import date, timedelta

DATE_WORDS = "2024, 2024-05, 2024-05-31, today, yesterday, thismonth, thisyear or 30daysago"
_DAYS_AGO = re.compile(r"(\d{1,5})daysago")
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def period(value: str, today: date) -> tuple[date, date] | None:
    """The days `value` names, as [first, after last); None when it names none."""
    word = value.strip().lower()
    if word in ("today", "yesterday"):
        day = today - timedelta(days=word == "yesterday")
        return day, day + timedelta(days=1)
    if word == "thismonth":
        start = today.replace(day=1)
        return start, _month_after(start)
    if word == "thisyear":
        return date(today.year, 1, 1), date(today.year + 1, 1, 1)
    if ago := _DAYS_AGO.fullmatch(word):
        days = int(ago.group(1))
        if days >= (today - date.min).days:
            return None
        day = today - timedelta(days=days)
        return day, day + timedelta(days=1)
    iso = _ISO.fullmatch(word)
    if iso is None:
        return None
    year, month, day_of = (int(part) if part else None for part in iso.groups())
    if year is None or not 1 <= year < 9999:  # a year after which a day still follows
        return None
    try:
        if month is None:
            return date(year, 1, 1), date(year + 1, 1, 1)
        start = date(year, month, day_of or 1)
    except ValueError:  # month 13, 31 April
        return None
    return start, _month_after(start) if day_of is None else start + timedelta(days=1)


def bounds(op: str, first: date, after: date) -> tuple[date | None, date | None]:
    """The days a comparison `op` with the period [first, after) holds, as [from, before):
    None for no bound."""
    return {
        "": (first, after),
        "=": (first, after),
        ">": (after, None),
        ">=": (first, None),
        "<": (None, first),
        "<=": (None, after),
    }[op]
