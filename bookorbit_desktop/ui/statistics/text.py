"""How reading time and dates read on the Statistics page and in the book panel."""

from __future__ import annotations

import datetime as dt


def duration_text(seconds: int) -> str:
    """`45 min`, `3 h 05 min`, `0 min`."""
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def hours_axis(seconds: float) -> str:
    """An axis label: `0`, `30 min`, `1.5 h`, `12 h`."""
    if seconds <= 0:
        return "0"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    hours = seconds / 3600
    return f"{hours:.1f} h" if hours < 10 and hours != int(hours) else f"{round(hours)} h"


def day_text(day: dt.date | None) -> str:
    return "" if day is None else day.strftime("%d %b %Y").lstrip("0")
