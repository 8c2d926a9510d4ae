"""The user's own shelves, as the catalog offers them for syncing: every saved search, every
tag and every series, each a list of the listed books (a file present, outside the Inbox) that
belong to it, newest first by when each started to belong (`store.joins`).

A shelf is named by its kind and name (`search` and the saved search's name, `tag` and the
tag's, `series` and the series'), which its address carries; renaming one gives it a new
address. A saved search's books change as books do (a new tag, a date that passes): its joins
are recorded again whenever the catalog lists it, like every shelf's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bookorbit_desktop.library.search.compiler import search_condition
from bookorbit_desktop.library.search.grammar import SearchError
from bookorbit_desktop.library.search.saved import saved_searches
from bookorbit_desktop.library.store.joins import forget_joins, record_joins
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import AVAILABLE, available

SEARCH, TAG, SERIES = "search", "tag", "series"
KINDS = (SEARCH, TAG, SERIES)  # in the order the shelves are listed
_LABELS = {SEARCH: "", TAG: "Tag: ", SERIES: "Series: "}
_TAG_BOOKS = (
    "b.id IN (SELECT bt.book_id FROM book_tag bt JOIN tag t ON t.id = bt.tag_id WHERE t.name = ?)"
)


@dataclass(frozen=True)
class Collection:
    kind: str  # one of KINDS
    name: str  # as the library spells it

    @property
    def key(self) -> str:
        """The shelf's name among the catalog's joins (`shelf_joined`)."""
        return f"{self.kind}:{self.name}"

    @property
    def title(self) -> str:
        """The shelf as the catalog and the window title it: a saved search by its name."""
        return _LABELS[self.kind] + self.name


def _rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return list(database.execute_sql(sql, tuple(params)).fetchall())


def shelves() -> list[Collection]:
    """Every shelf: the saved searches in their order, then the tags a listed book carries and
    the series of listed books, each by name (case aside)."""
    found = [Collection(SEARCH, saved.name) for saved in saved_searches()]
    tags = _rows(
        "SELECT t.name FROM tag t WHERE EXISTS (SELECT 1 FROM book_tag bt "
        f"WHERE bt.tag_id = t.id AND {available('bt.book_id')}) ORDER BY t.name COLLATE NOCASE"
    )
    found += [Collection(TAG, name) for (name,) in tags]
    series = _rows(
        f"SELECT DISTINCT b.series FROM book b WHERE trim(b.series) != '' AND {AVAILABLE} "
        "ORDER BY lower(b.series), b.series"
    )
    found += [Collection(SERIES, name) for (name,) in series]
    return found


def find(kind: str, name: str) -> Collection | None:
    """The shelf of that kind and name (a tag's name case aside), None when there is none."""
    if kind == SEARCH:
        known = any(saved.name == name for saved in saved_searches())
        return Collection(SEARCH, name) if known else None
    if kind == TAG:
        rows = _rows("SELECT name FROM tag WHERE name = ?", [name])  # the column folds case
        return Collection(TAG, str(rows[0][0])) if rows else None
    if kind == SERIES and name.strip():
        rows = _rows("SELECT 1 FROM book WHERE series = ? LIMIT 1", [name])
        return Collection(SERIES, name) if rows else None
    return None


def condition(shelf: Collection, today: date) -> tuple[str, list[Any]] | None:
    """The condition on the book `b` true of the shelf's books (None: a saved search that is
    gone or no longer reads)."""
    if shelf.kind == TAG:
        return _TAG_BOOKS, [shelf.name]
    if shelf.kind == SERIES:
        return "b.series = ?", [shelf.name]
    search = next((s.search for s in saved_searches() if s.name == shelf.name), None)
    if search is None:
        return None
    try:
        compiled = search_condition(search, today)
    except SearchError:
        return None
    return ("1", []) if compiled is None else (compiled.sql, list(compiled.params))


def count(shelf: Collection, today: date) -> int:
    """How many listed books the shelf holds now."""
    found = condition(shelf, today)
    if found is None:
        return 0
    where, params = found
    return int(_rows(f"SELECT count(*) FROM book b WHERE {AVAILABLE} AND ({where})", params)[0][0])


def book_ids(shelf: Collection, today: date) -> list[int]:
    """The listed books the shelf holds now, by title."""
    found = condition(shelf, today)
    if found is None:
        return []
    where, params = found
    sql = f"SELECT b.id FROM book b WHERE {AVAILABLE} AND ({where}) ORDER BY b.sort_title, b.id"
    return [int(row[0]) for row in _rows(sql, params)]


def record_listing(shelf: Collection, today: date, now: float) -> None:
    """Note when each of the shelf's books joined it, as the catalog lists it `now`
    (`joins.record_joins`); a shelf that no longer reads loses its joins."""
    found = condition(shelf, today)
    if found is None:
        forget_joins(shelf.key)
        return
    record_joins(shelf.key, *found, now)
