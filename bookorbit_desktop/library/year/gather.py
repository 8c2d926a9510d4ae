"""The year in review from the library: the reads of the year's books (`reads.gather`), then
a few aggregate queries for the year alone, whatever the library's size (KOReader's seconds
per local date and its sessions of the year, the facts of the books the year's reads are of,
the abandoned reads and the highlights made), handed to the pure `figures.year_figures`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection

from bookorbit_desktop.library.history.rules import DAY_SECONDS, LocalDays, hour_totals
from bookorbit_desktop.library.reads.gather import reads_between
from bookorbit_desktop.library.store.languages import languages_of
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.year.figures import (
    BookFacts,
    KoreaderInput,
    YearFigures,
    year_bounds,
    year_figures,
    year_reads,
)


def year_review(year: int, local_day: LocalDays | None = None) -> YearFigures:
    """Every figure of `year` (local dates of this computer, or of `local_day`)."""
    local = local_day or LocalDays()
    reads = year_reads(reads_between(*year_bounds(year)), year)
    book_ids = {read.book_id for read in (*reads.counted.finished, *reads.counted.no_date)}
    return year_figures(
        year,
        reads,
        book_facts(book_ids),
        koreader_input(year, local),
        _abandoned(year),
        _highlights(year),
    )


def book_facts(book_ids: Collection[int]) -> dict[int, BookFacts]:
    """Title, authors (in order), tags, languages (in order) and rating of each of `book_ids`:
    four queries, the ids bound once as one JSON array."""
    ids = json.dumps(sorted(book_ids))
    wanted = "IN (SELECT value FROM json_each(?))"
    authors: dict[int, list[str]] = {}
    for book_id, name in database.execute_sql(
        f"""SELECT ba.book_id, a.name FROM book_author ba JOIN author a ON a.id = ba.author_id
            WHERE ba.book_id {wanted} ORDER BY ba.book_id, ba.position""",
        (ids,),
    ):
        authors.setdefault(book_id, []).append(name)
    tags: dict[int, list[str]] = {}
    for book_id, name in database.execute_sql(
        f"""SELECT bt.book_id, t.name FROM book_tag bt JOIN tag t ON t.id = bt.tag_id
            WHERE bt.book_id {wanted} ORDER BY bt.book_id, t.name""",
        (ids,),
    ):
        tags.setdefault(book_id, []).append(name)
    languages = languages_of(sorted(book_ids))
    return {
        book_id: BookFacts(
            title,
            tuple(authors.get(book_id, ())),
            tuple(tags.get(book_id, ())),
            tuple(languages[book_id]),
            rating,
        )
        for book_id, title, rating in database.execute_sql(
            f"""SELECT b.id, b.title, s.rating FROM book b
                LEFT JOIN reading_state s ON s.book_id = b.id WHERE b.id {wanted}""",
            (ids,),
        )
    }


def koreader_input(year: int, local: LocalDays) -> KoreaderInput:
    """KOReader's seconds and pages per local date of `year`, and its seconds per hour."""
    start, end = year_bounds(year)
    days = [
        (dt.date.fromisoformat(day), int(seconds), int(pages))
        for day, seconds, pages in database.execute_sql(
            """SELECT day, SUM(seconds), SUM(pages) FROM history_day WHERE day BETWEEN ? AND ?
               GROUP BY day ORDER BY day""",
            (start.isoformat(), end.isoformat()),
        )
    ]
    if not days:
        return KoreaderInput([], [0] * 24)
    # A day either side of the UTC year holds every local start of the year.
    epoch = dt.date(1970, 1, 1)
    first = ((start - epoch).days - 1) * DAY_SECONDS
    last = ((end - epoch).days + 2) * DAY_SECONDS
    sessions = [
        (begin, seconds)
        for begin, seconds in database.execute_sql(
            "SELECT start, seconds FROM history_session WHERE start >= ? AND start < ?",
            (first, last),
        )
        if local(begin).year == year
    ]
    return KoreaderInput(days, hour_totals(sessions, local.hour))


def _abandoned(year: int) -> int:
    """Books with a read abandoned in `year` (on its finish date, else its start)."""
    start, end = year_bounds(year)
    row = database.execute_sql(
        """SELECT COUNT(DISTINCT book_id) FROM book_read WHERE state = 'abandoned'
           AND COALESCE(finished, started) BETWEEN ? AND ?""",
        (start.isoformat(), end.isoformat()),
    ).fetchone()
    return int(row[0])


def year_span(year: int) -> tuple[float, float]:
    """The Unix times `year` starts and ends at, in this computer's time zone."""
    return dt.datetime(year, 1, 1).timestamp(), dt.datetime(year + 1, 1, 1).timestamp()


def _highlights(year: int) -> int:
    """Highlights made in `year` (local time) and not deleted."""
    row = database.execute_sql(
        """SELECT COUNT(*) FROM highlight WHERE created >= ? AND created < ?
           AND deleted_at IS NULL""",
        year_span(year),
    ).fetchone()
    return int(row[0])
