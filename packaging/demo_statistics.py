"""A year of KOReader reading statistics for the screenshots' demo library.

`write_history` writes the `statistics.sqlite3` a Kobo running KOReader would upload after
reading the demo's books one after the other over the past year (evening sessions, a page a
minute or so, a day off now and then), each book's rows under its file's KOReader md5. The
same seed gives the same reading on the same day; the last read is today.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from tests.library.history.koreader_file import KoBook, write_statistics

# (title, authors, pages, first day read and last day read as days before today, last page)
READS = (
    ("Dune", "Frank Herbert", 400, 330, 298, 400),
    ("The Left Hand of Darkness", "Ursula K. Le Guin", 320, 262, 238, 320),
    ("Jonathan Strange & Mr Norrell", "Susanna Clarke", 600, 205, 142, 600),
    ("A Wizard of Earthsea", "Ursula K. Le Guin", 480, 128, 106, 302),
    ("Middlemarch", "George Eliot", 880, 96, 81, 273),
    ("Les Misérables", "Victor Hugo", 1232, 70, 23, 222),
    ("Piranesi", "Susanna Clarke", 280, 16, 0, 118),
)


def _sessions(rng: random.Random, day: dt.date, pages: int) -> list[tuple[dt.datetime, int]]:
    """When the day's reading began and how many pages each sitting read."""
    evening = dt.datetime.combine(day, dt.time(20, rng.randrange(0, 60)))
    if day.weekday() < 5 or pages < 20:
        return [(evening, pages)]
    afternoon = dt.datetime.combine(day, dt.time(14, rng.randrange(0, 60)))
    return [(afternoon, pages // 2), (evening, pages - pages // 2)]


def reading_rows(
    rng: random.Random, today: dt.date, pages: int, first: int, last: int, last_page: int
) -> list[tuple[int, int, int, int]]:
    """(page, start_time, duration, total_pages) rows from day `first` to day `last` before
    `today`, reaching `last_page` on the last day."""
    days = [today - dt.timedelta(days=n) for n in range(first, last - 1, -1)]
    read_days = [d for d in days[:-1] if rng.random() > 0.25] + [days[-1]]
    share = [rng.uniform(0.6, 1.4) for _ in read_days]
    rows: list[tuple[int, int, int, int]] = []
    page, done = 1, 0.0
    for day, weight in zip(read_days, share, strict=True):
        done += weight / sum(share) * last_page
        todo = max(1, round(done) - page + 1)
        for start, count in _sessions(rng, day, todo):
            moment = start.timestamp()
            for _ in range(count):
                if page > last_page:
                    break
                duration = rng.randrange(45, 110)
                rows.append((page, int(moment), duration, pages))
                moment += duration + rng.randrange(0, 4)
                page += 1
    return rows


def write_history(path: Path, md5s: dict[str, str], today: dt.date) -> dict[str, str]:
    """Write the statistics file to `path` for the books in `md5s` (title: KOReader md5);
    answer each finished book's last day of reading (title: YYYY-MM-DD)."""
    rng = random.Random(20)
    books, finished = [], {}
    for title, authors, pages, first, last, last_page in READS:
        rows = reading_rows(rng, today, pages, first, last, last_page)
        books.append(KoBook(title, authors, md5s[title], pages, rows))
        if last_page == pages:
            finished[title] = (today - dt.timedelta(days=last)).isoformat()
    write_statistics(path, books)
    return finished
