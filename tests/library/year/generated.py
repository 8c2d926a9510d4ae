"""A generated reading year in a real library: 300 books read as the reading state records
reads (finished, re-read, abandoned, done without a date, open), two copies of one Hardcover
book, reads pulled from hardcover.app, KOReader statistics from two devices and highlights.
`Plan` holds what the year's rules make of it, worked out from the plan, not from the code."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.history.rules import LocalDays
from bookorbit_desktop.library.store.channel_tables import Highlight
from bookorbit_desktop.library.store.models import Book, ReadingState, database
from bookorbit_desktop.library.store.tag_tables import BookTag, Tag
from tests.factories import add_book, make_epub
from tests.library.history.koreader_file import KoBook, write_statistics

YEAR = 2026
BOOKS = 300
UTC = LocalDays(lambda _ts: 0)
DAY = 86_400
PRIVATE_FILE = "private-file-name"
PRIVATE_QUOTE = "A private highlight nobody should see"
LANGUAGES = ("en", "de", "fr")
STREAK = 5  # books 0-4 are read on consecutive days
ROWS, ROW_SECONDS = 20, 60  # page rows of each read day, a minute each


@dataclass
class Plan:
    counted: list[tuple[int, dt.date, bool]] = field(default_factory=list)  # book, finish, again
    no_date: list[int] = field(default_factory=list)
    abandoned: int = 0
    highlights: int = 0
    koreader_days: dict[dt.date, int] = field(default_factory=dict)  # seconds per date
    languages: Counter[str] = field(default_factory=Counter)

    @property
    def per_month(self) -> list[int]:
        months = [0] * 12
        for _, day, _ in self.counted:
            months[day.month - 1] += 1
        return months


def _state(book_id: int, **values: object) -> None:
    ReadingState.update(updated_at=time.time(), **values).where(
        ReadingState.book == book_id
    ).execute()


def finish_day(index: int) -> dt.date:
    return dt.date(YEAR, 1, 1) + dt.timedelta(days=index * 37 % 365)


def generate_year(tmp_path: Path) -> Plan:
    plan = Plan()
    tags = [Tag.create(name="sf"), Tag.create(name="classic")]
    for index in range(BOOKS):
        file = None
        if index < 3:  # a few books with files: their names must never reach the picture
            file = make_epub(tmp_path / f"{PRIVATE_FILE}-{index}.epub", f"Book {index:03d}")
        language = LANGUAGES[index % 3]
        book = add_book(f"Book {index:03d}", (f"Author {index % 7}",), language=language, file=file)
        Book.update(pages=100 + index).where(Book.id == book.id).execute()
        if index % 4 < 2:
            BookTag.create(book=book, tag=tags[index % 4])
        _reads(plan, book.id, index)
    _copies(plan)
    _koreader(plan, tmp_path)
    _highlights(plan)
    plan.counted.sort(key=lambda found: (found[1], found[0]))
    return plan


def _reads(plan: Plan, book_id: int, index: int) -> None:
    kind, day = index % 10, finish_day(index)
    started = (day - dt.timedelta(days=index % 20)).isoformat()
    rating = float(1 + index % 5) if index % 3 == 0 else None
    if kind <= 4:
        _state(book_id, status="read", started=started, finished=day.isoformat(), rating=rating)
        plan.counted.append((book_id, day, False))
        plan.languages[LANGUAGES[index % 3]] += 1
    elif kind == 5:  # finished in 2024, re-read this year: counts this year, as a re-read
        _state(book_id, status="read", started="2024-05-01", finished="2024-06-01")
        _state(book_id, status="rereading", started=started, finished=None, progress=0.1)
        _state(book_id, status="read", finished=day.isoformat(), progress=1.0)
        plan.counted.append((book_id, day, True))
        plan.languages[LANGUAGES[index % 3]] += 1
    elif kind == 6:  # done, no finish date: listed apart
        _state(book_id, status="read", started=f"{YEAR}-02-01", finished=None)
        plan.no_date.append(book_id)
    elif kind == 7:
        _state(book_id, status="abandoned", started=started, finished=day.isoformat())
        plan.abandoned += 1
    elif kind == 8:
        _state(book_id, status="read", started=f"{YEAR - 1}-03-01", finished=f"{YEAR - 1}-04-01")
    else:
        _state(book_id, status="reading", started=started, progress=0.3)


def _copies(plan: Plan) -> None:
    """Two copies of one Hardcover book finished the same day (one read), and hardcover.app's
    reads of it: the same read again (id 71) and a first read in 2023 (id 70: a re-read now)."""
    day = dt.date(YEAR, 8, 8)
    copies = [add_book("Copy", ("Author 0",), language="en").id for _ in range(2)]
    for number, book_id in enumerate(copies):
        _state(book_id, status="read", started=f"{YEAR}-08-01", finished=day.isoformat())
        database.execute_sql(
            "INSERT INTO hardcover_match (book_id, state, hc_book_id, edition_pages,"
            " user_book_id, candidates, updated_at, pinned, created_by_us, lead)"
            " VALUES (?, 'linked', 900, 250, ?, '[]', 0, 0, 0, 0)",
            (book_id, 5000 if number == 0 else None),
        )
    reads = [
        {"id": 70, "started": "2023-01-01", "finished": "2023-02-01"},
        {"id": 71, "started": f"{YEAR}-08-01", "finished": day.isoformat()},
    ]
    database.execute_sql(
        "INSERT INTO hardcover_pulled (user_book_id, hc_book_id, entry) VALUES (5000, 900, ?)",
        (json.dumps({"status_id": 3, "reads": reads}),),
    )
    plan.counted.append((copies[0], day, True))
    plan.languages["en"] += 1


def _koreader(plan: Plan, tmp_path: Path) -> None:
    """Books 0-39 read one day each, at noon UTC, half on each device; book 0's rows on both
    (merged, not counted twice); book 1 also the year before (not this year's)."""
    devices: dict[str, list[KoBook]] = {"kobo": [], "phone": []}
    for index in range(40):
        offset = index if index < STREAK else 30 + index * 7  # up to 9 November
        day = dt.date(YEAR, 1, 10) + dt.timedelta(days=offset)
        noon = (day - dt.date(1970, 1, 1)).days * DAY + 12 * 3600
        rows = [(p + 1, noon + p * ROW_SECONDS, ROW_SECONDS, 500) for p in range(ROWS)]
        if index == 1:
            rows.append((99, noon - 400 * DAY, 600, 500))
        book = KoBook(f"Book {index:03d}", f"Author {index % 7}", f"{index:032x}", 500, rows)
        devices["kobo" if index % 2 == 0 else "phone"].append(book)
        if index == 0:
            devices["phone"].append(book)
        plan.koreader_days[day] = plan.koreader_days.get(day, 0) + ROWS * ROW_SECONDS
    for name, books in devices.items():
        import_statistics(write_statistics(tmp_path / f"{name}.sqlite3", books), local_day=UTC)


def _highlights(plan: Plan) -> None:
    book_id = plan.counted[0][0]
    middle = dt.datetime(YEAR, 6, 1, 12).timestamp()
    for number in range(12):
        text = PRIVATE_QUOTE if number == 11 else f"Highlight {number}"
        _highlight(book_id, middle + number * DAY, text)
    _highlight(book_id, middle + 20 * DAY, "deleted", deleted=True)
    _highlight(book_id, middle - 365 * DAY, "last year")
    plan.highlights = 12


def _highlight(book_id: int, created: float, text: str, *, deleted: bool = False) -> None:
    Highlight.create(
        book=book_id, created=int(created), text=text, source="sidecar", received_at=1.0,
        changed_at=1.0, deleted_at=2.0 if deleted else None,
    )  # fmt: skip
