"""Regular expressions in searches (`title:~^the`): RE2, called from SQL as
`bookorbit_regexp(pattern, text)`, which `db.open_database` registers on every connection.

Python's `re` backtracks: a pattern such as `(a|a)*b` or `(a+){20}$` takes exponential time on
a text that almost matches, and no check of the pattern's shape catches them all. RE2 never
backtracks, so any pattern it takes runs in time bounded by the text's length times the
pattern's. What it refuses (back-references, look-arounds, atomic and possessive repeats) is
refused here too, in one sentence naming the construct: no search runs on an engine that can
take forever.

The meaning stays Python's (and calibre's): Python checks the syntax first and names a
mistake; case is ignored; `\\w`, `\\d` and `\\s` are Unicode classes (RE2's are ASCII, so they
are written as Unicode properties); `\\Z` is the end of the text, and `\\uXXXX` a character.
RE2's `\\b` alone counts only ASCII letters and digits as a word's.
"""

from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from typing import Protocol

    from peewee import SqliteDatabase

    class Compiled(Protocol):
        """What a search needs of a compiled pattern (RE2's ships no types)."""

        def search(self, text: str) -> object | None: ...


SQL_REGEXP = "bookorbit_regexp"
MAX_PATTERN = 200
# RE2's program for one pattern; past it the pattern is refused as too large.
_MAX_MEMORY = 8 << 20

_WORD = r"\p{L}\p{N}_"
_SPACE = r"\s\p{Z}\x{1c}-\x{1f}\x{85}"  # str.isspace(), as Python's \s
# Python's classes in RE2's words, outside a [set] and inside one (None: not expressible).
_OUTSIDE = {
    "w": f"[{_WORD}]",
    "W": f"[^{_WORD}]",
    "d": r"\p{Nd}",
    "D": r"\P{Nd}",
    "s": f"[{_SPACE}]",
    "S": f"[^{_SPACE}]",
    "Z": r"\z",
}
_INSIDE: dict[str, str | None] = {"w": _WORD, "d": r"\p{Nd}", "D": r"\P{Nd}", "s": _SPACE}
_INSIDE |= {"W": None, "S": None}
# RE2's refusals of what Python takes: constructs only a backtracking engine has.
_BACKTRACKING = ("invalid escape sequence", "invalid perl operator", "bad repetition operator")


class PatternError(ValueError):
    """A pattern that is not searched with: the message says why, in plain words."""


@lru_cache(maxsize=256)
def checked_pattern(pattern: str) -> Compiled:
    """`pattern` compiled by RE2 (case aside), or `PatternError`."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"A pattern is at most {MAX_PATTERN} characters")
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        raise PatternError(f"Not a valid pattern: {error}") from None
    import re2  # only a search with a pattern loads the engine

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = _MAX_MEMORY
    try:
        return re2.compile(_for_re2(pattern), options)
    except re2.error as error:
        raise PatternError(_refusal(error)) from None


def _refusal(error: Exception) -> str:
    """RE2's reason for refusing a pattern Python takes, in one sentence naming the construct."""
    reason = error.args[0] if error.args else ""
    text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    construct = text.rpartition(": ")[2]
    if text.startswith(_BACKTRACKING):
        return (
            f"Searches do not take {construct}: their engine has no back-references, "
            "look-arounds or possessive repeats, which can take forever"
        )
    if text.startswith("invalid repetition size"):
        return f"Searches do not take {construct}: a pattern repeats anything at most 1000 times"
    if text.startswith("pattern too large"):
        return "This pattern is too large to search with: repeat less, or fewer times"
    return f"Not a valid pattern: {text}"


def _for_re2(pattern: str) -> str:
    """`pattern` (valid for Python) with Python's meaning of its classes, in RE2's syntax."""
    out: list[str] = []
    at, in_set = 0, False
    while at < len(pattern):
        char = pattern[at]
        if char == "\\" and at + 1 < len(pattern):
            letter = pattern[at + 1]
            if letter in "uU":
                width = 4 if letter == "u" else 8
                out.append("\\x{" + pattern[at + 2 : at + 2 + width] + "}")
                at += 2 + width
                continue
            table = _INSIDE if in_set else _OUTSIDE
            if letter in table:
                written = table[letter]
                if written is None:
                    raise PatternError(
                        f"Searches do not take \\{letter} inside [ ]: write the set with [^ ]"
                    )
                out.append(written)
            else:
                out.append(char + letter)
            at += 2
            continue
        out.append(char)
        at += 1
        if in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
            # `[]…]` and `[^]…]`: a first `]` is a member, not the end
            for member in ("^", "]"):
                if pattern.startswith(member, at):
                    out.append(member)
                    at += 1
    return "".join(out)


def regexp(pattern: str, value: object) -> bool:
    """`pattern` (already checked) found in `value`; no text (NULL) matches nothing."""
    return isinstance(value, str) and checked_pattern(pattern).search(value) is not None


def register_regexp(db: SqliteDatabase) -> None:
    """Make `bookorbit_regexp` available on every connection `db` opens (and its open one)."""
    db.register_function(regexp, SQL_REGEXP, 2, deterministic=True)
