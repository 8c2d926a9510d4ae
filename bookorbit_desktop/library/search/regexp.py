"""Regular expressions in searches (`title:~^the`): Python's `re`, called from SQL as
`bookorbit_regexp(pattern, text)`, which `db.open_database` registers on every connection.

Python's `re` has no time limit, and a pattern such as `(a+)+$` can take exponential time on a
text that almost matches (catastrophic backtracking): one search would hang the table. So
`checked_pattern` refuses the patterns that invite it before any text is read: longer than
`MAX_PATTERN`, or a repeated group that itself repeats (`(a+)+`, `(a*)*`, `(\\w+\\s?)*`). The
texts searched are short (a title, a name), which bounds what any other pattern can cost.
"""

from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

SQL_REGEXP = "bookorbit_regexp"
MAX_PATTERN = 200
# A group holding a quantifier, itself followed by a quantifier.
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*(?:[*+]|\{\d*,\d*\})(?:[^()\\]|\\.)*\)\s*(?:[*+]|\{\d*,)")


class PatternError(ValueError):
    """A pattern that is not searched with: the message says why, in plain words."""


@lru_cache(maxsize=256)
def checked_pattern(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled (case aside), or `PatternError`."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"A pattern is at most {MAX_PATTERN} characters")
    if _NESTED.search(pattern):
        raise PatternError("A repeated group that repeats inside, such as (a+)+, can take forever")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise PatternError(f"Not a valid pattern: {error}") from None


def regexp(pattern: str, value: object) -> bool:
    """`pattern` (already checked) found in `value`; no text (NULL) matches nothing."""
    return isinstance(value, str) and checked_pattern(pattern).search(value) is not None


def register_regexp(db: SqliteDatabase) -> None:
    """Make `bookorbit_regexp` available on every connection `db` opens (and its open one)."""
    db.register_function(regexp, SQL_REGEXP, 2, deterministic=True)
