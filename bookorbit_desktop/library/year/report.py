"""The year in review as `stats year --json` prints it: the figures' own names, dates in ISO
form, the KOReader figures under "koreader" (null for a year without KOReader statistics)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from bookorbit_desktop.library.year.figures import YearFigures


def as_json(figures: YearFigures) -> dict[str, Any]:
    found = _plain(asdict(figures))
    found["books"] = len(figures.finished)
    found["pages"] = figures.pages
    found["reads_without_pages"] = figures.unpaged
    if figures.koreader is not None:
        found["koreader"]["days"] = [
            {"date": day.isoformat(), "seconds": seconds} for day, seconds in figures.koreader.days
        ]
    for key in ("top_authors", "top_tags", "top_languages"):
        found[key] = [{"name": name, "reads": count} for name, count in getattr(figures, key)]
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def hours_text(seconds: int) -> str:
    """`45 min`, `12 h 05 min`."""
    minutes = seconds // 60
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def pages_text(figures: YearFigures, *, unit: bool = False) -> str:
    """`1,234`, `1,234 (2 books without a page count)`, or `not known` when no finished book
    has one (with `unit`: `1,234 pages`, `1,234 pages; 2 books without a page count`, `pages
    not known`): a page count the library lacks is never shown as 0 pages."""
    unknown = figures.unpaged
    if figures.finished and unknown == len(figures.finished):
        return "pages not known" if unit else "not known"
    books = f"{unknown} book{'' if unknown == 1 else 's'} without a page count"
    if unit:
        pages = f"{figures.pages:,} page{'' if figures.pages == 1 else 's'}"
        return f"{pages}; {books}" if unknown else pages
    return f"{figures.pages:,}" + (f" ({books})" if unknown else "")


def headlines(figures: YearFigures) -> list[tuple[str, str]]:
    """The year's headline figures as (name, value), the ones KOReader measured saying so: what
    the page puts on top and the share picture shows."""
    found = [
        ("Books finished", f"{len(figures.finished):,}"),
        ("Pages finished", pages_text(figures)),
        ("Re-reads", f"{figures.rereads:,}"),
    ]
    if figures.average_rating is not None:
        found.append(("Average rating", f"{figures.average_rating:.1f} / 5"))
    if figures.koreader is not None:
        found.append(("Time read (KOReader)", hours_text(figures.koreader.seconds)))
        streak = figures.koreader.longest_streak
        found.append(("Longest streak (KOReader)", f"{streak} day{'' if streak == 1 else 's'}"))
    if figures.top_authors:
        found.append(("Top author", figures.top_authors[0][0]))
    return found
