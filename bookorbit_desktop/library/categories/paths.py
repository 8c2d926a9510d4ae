"""The paths a dotted name stands under, as plain functions, and the same rule callable from
SQL (so the triggers that keep the browser's counts, `store.category_tally_schema`, place a book
under a parent exactly as the browser's tree does).

A name's parts are separated by dots: "fiction.fantasy" is under "fiction". A name with no dot,
or with an empty part ("a..b"), has no parent. A path is keyed for comparison: a tag's by case
alone (`tag_key`: "Sci-Fi" and "sci-fi" are one tag), a tag-like custom column's value as its
values are compared, case and accents aside (`search.fold`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache

from bookorbit_desktop.library.search.fold import fold

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

DOT = "."
SQL_TAG_PATHS = "bookorbit_tag_paths"
SQL_VALUE_PATHS = "bookorbit_value_paths"


def tag_key(path: str) -> str:
    """What two spellings of one tag path share."""
    return path.casefold()


def parents_of(name: str) -> list[str]:
    """The paths above `name`: "a.b.c" -> ["a", "a.b"] (none for a name without a dot, or with
    an empty part)."""
    parts = name.split(DOT)
    if len(parts) < 2 or not all(part.strip() for part in parts):
        return []
    return [DOT.join(parts[:end]) for end in range(1, len(parts))]


def paths(name: str, key: Callable[[str], str]) -> list[str]:
    """The keys of the paths `name` stands under, its own last: "A.b" -> ["a", "a.b"]."""
    return [key(path) for path in (*parents_of(name), name)]


def _json_paths(key: Callable[[str], str]) -> Callable[[object], str]:
    # Cached: a bulk edit writes the same few names book after book.
    @lru_cache(maxsize=4096)
    def of(name: object) -> str:
        return json.dumps(paths(name, key) if isinstance(name, str) else [], ensure_ascii=False)

    return of


def path_functions() -> dict[str, Callable[[object], str]]:
    """The SQL functions of `paths`, by name: `bookorbit_tag_paths(name)` and
    `bookorbit_value_paths(value)`, each a JSON array of `paths` (of a value that is no text,
    none). Every connection that writes tags, custom values or books registers them (another
    tool too, under these names), or SQLite refuses its write."""
    return {SQL_TAG_PATHS: _json_paths(tag_key), SQL_VALUE_PATHS: _json_paths(fold)}


def register_paths(db: SqliteDatabase) -> None:
    """Make `path_functions` available on every connection `db` opens (and its open one)."""
    for name, function in path_functions().items():
        db.register_function(function, name, 1, deterministic=True)
