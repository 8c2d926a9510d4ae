"""The year in review for the window: its figures off the loop, the covers the share picture
shows, and the highlights it shows only when the user ticks them."""

from __future__ import annotations

from collections.abc import Sequence

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.year.figures import KoreaderYear, YearFigures, YearRead
from bookorbit_desktop.library.year.gather import year_review, year_span
from bookorbit_desktop.library.year.report import headlines, hours_text
from bookorbit_desktop.services.library.cover_files import cover_files

__all__ = [
    "KoreaderYear",
    "YearFigures",
    "YearRead",
    "cover_files",
    "headlines",
    "hours_text",
    "load_year_off_loop",
    "year_highlights",
]


async def load_year_off_loop(year: int) -> YearFigures:
    """`year_review(year)` in a worker thread on its own connection."""
    return await off_loop(year_review, year)


def year_highlights(year: int, count: int = 2) -> list[str]:
    """The texts of the latest `count` highlights made in `year` (local time), not deleted."""
    first, last = year_span(year)
    rows = database.execute_sql(
        """SELECT text FROM highlight WHERE created >= ? AND created < ? AND deleted_at IS NULL
           ORDER BY created DESC LIMIT ?""",
        (first, last, count),
    )
    return [text for (text,) in rows]


async def year_highlights_off_loop(year: int) -> list[str]:
    return await off_loop(year_highlights, year)


async def share_covers(paths: Paths, reads: Sequence[YearRead]) -> dict[int, str]:
    """The cover file of each book finished (its own, else its generated one)."""
    return await cover_files(paths, list(dict.fromkeys(read.book_id for read in reads)))
