"""When each book joined a list the catalog offers for syncing (`shelf_joined`): the rule every
such list follows, a Hardcover shelf (`shelves`) as well as a saved search, a tag or a series
(`library.own_shelves`).

KOReader's catalog sync reads a list newest first and stops at the first book it already has,
so a book must never join below one a device has seen. A list's joins are recorded when the
catalog lists it: a book listed for the first time joins at that moment, after every book the
list listed before (a clock set back cannot put it below them), and a book no longer listed
leaves, so coming back is joining anew. The key names the list (`want-to-read`, `tag:holiday`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import AVAILABLE


def record_joins(key: str, where: str, params: Sequence[Any], now: float) -> None:
    """Note the joins of the list `key`, whose books are the listed books (a file present,
    outside the Inbox) that meet `where` (a condition on the book `b`, with `params`)."""
    listed = f"SELECT b.id FROM book b WHERE {AVAILABLE} AND ({where})"
    latest = database.execute_sql(
        "SELECT max(joined_at) FROM shelf_joined WHERE shelf = ?", (key,)
    ).fetchone()[0]
    joined = now if latest is None or now > latest else math.nextafter(float(latest), math.inf)
    database.execute_sql(
        f"DELETE FROM shelf_joined WHERE shelf = ? AND book_id NOT IN ({listed})",
        (key, *params),
    )
    database.execute_sql(
        f"INSERT OR IGNORE INTO shelf_joined (shelf, book_id, joined_at) SELECT ?, b.id, ? "
        f"FROM book b WHERE {AVAILABLE} AND ({where})",
        (key, joined, *params),
    )


def forget_joins(key: str) -> None:
    """The list `key` is gone: its joins with it."""
    database.execute_sql("DELETE FROM shelf_joined WHERE shelf = ?", (key,))
