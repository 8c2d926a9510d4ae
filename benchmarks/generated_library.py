"""A generated library written straight into SQLite, for the scale benchmarks.

Books 1..N get two-to-`longest_title`-word titles (accented words among them), one or two
authors drawn from a pool, a series for every third book, and on request one EPUB file row, a
reading state, and the details an OPDS entry shows (language, publisher, a description of about
600 characters, a cover for every other book). Rows go in with `executemany` in one transaction,
on the database `open_database` opened, as one bulk write (`store.index_batch`): the library is
left as an import leaves it, its search index and sort keys whole and no book behind.
"""

from __future__ import annotations

import random
import time

from bookorbit_desktop.library.store.index_batch import close_batch, open_batch
from bookorbit_desktop.library.store.models import database

WORDS = tuple(
    "orbit light river stone quiet harbour winter letter garden morning reader signal distance "  # noqa: SIM905
    "paper window silver question mountain library evening story promise lord ring shadow "
    "élan café naïve über straße".split()
)
FIRST = tuple("Anna Boris Chloé Dmitri Elena Farid Grace Hiro Ines José Kai Lena Mateo".split())  # noqa: SIM905
LAST = tuple("Adams Brontë Chen Dubois Eriksen García Hughes Ivanova Jensen Müller".split())  # noqa: SIM905
STATUSES = ("unread", "unread", "want_to_read", "reading", "read")


def title(rng: random.Random, longest: int = 5) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, longest))).capitalize()


def insert_books(
    count: int,
    rng: random.Random,
    *,
    authors: int | None = None,
    longest_title: int = 5,
    series_kind: str = "Cycle",
    files: bool = False,
    states: bool = False,
    details: bool = False,
) -> dict[int, str]:
    """Insert books 1..`count` with their authors (`authors` drawn names, `count` when None).

    Series are named "The <words> <series_kind>". Returns each book's reading status (empty
    without `states`).
    """
    draws = count if authors is None else authors
    names = sorted({f"{rng.choice(FIRST)} {rng.choice(LAST)} {n % 400}" for n in range(draws)})
    series_names = [f"The {title(rng, 3)} {series_kind}" for _ in range(max(1, count // 30))]
    now = time.time()
    books, credits, file_rows, statuses = [], [], [], {}
    for book_id in range(1, count + 1):
        name = title(rng, longest_title)
        series = rng.choice(series_names) if book_id % 3 == 0 else None
        added = now - (count - book_id) * 60
        extra: tuple[str | None, ...] = (None,) * 5
        if details:
            description = " ".join(rng.choice(WORDS) for _ in range(90))
            cover = f"covers/{book_id}.jpg" if book_id % 2 else None
            extra = ("en", "Bench Press", "2019-05", f"<p>{description}</p>", cover)
        index = float(book_id % 7 + 1) if series else None
        books.append((book_id, name, name.lower(), series, index, *extra, added, added))
        for position in range(1 + (book_id % 4 == 0)):
            credits.append((book_id, rng.randrange(len(names)) + 1, position))
        if files:
            file_rows.append((book_id, f"/nonexistent/{book_id}.epub", f"{book_id:032x}", added))
        if states:
            statuses[book_id] = rng.choice(STATUSES)
    with database.atomic():
        open_batch()  # indexed and keyed once, at the end, as an import's batch is
        connection = database.obj.connection()
        connection.executemany(
            "INSERT INTO author (id, name, sort_name) VALUES (?, ?, ?)",
            [(i + 1, name, name.split(" ")[1]) for i, name in enumerate(names)],
        )
        connection.executemany(
            "INSERT INTO book (id, title, sort_title, series, series_index, language, publisher,"
            " published, description, cover_path, identifiers, added_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?)",
            books,
        )
        connection.executemany(
            "INSERT OR IGNORE INTO book_author (book_id, author_id, position, role)"
            " VALUES (?, ?, ?, 'aut')",
            credits,
        )
        connection.executemany(
            "INSERT INTO book_file (id, book_id, path, format, size, mtime, partial_md5, missing,"
            " added_at) VALUES (?1, ?1, ?2, 'epub', 500000, ?4, ?3, 0, ?4)",
            file_rows,
        )
        connection.executemany(
            "INSERT INTO reading_state (book_id, status, progress, updated_at) VALUES (?, ?, ?, ?)",
            [(i, status, rng.random(), now) for i, status in statuses.items()],
        )
        close_batch()
    return statuses
