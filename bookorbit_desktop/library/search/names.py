"""A term's value as one of a field's names (a reading status, a Hardcover state)."""

from __future__ import annotations

from collections.abc import Sequence

from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.search.grammar import SearchError, Term


def _words(name: str) -> str:
    return " ".join(fold(name).replace("_", " ").replace("-", " ").split())


def named(term: Term, names: Sequence[str], what: str) -> tuple[str, ...]:
    """The names `term` picks: its value exactly (`_` or `-` as spaces), else, unless the
    term says `=`, the names it begins."""
    wanted = _words(term.value)
    found = tuple(name for name in names if _words(name) == wanted)
    if not found and term.op == "":
        found = tuple(name for name in names if _words(name).startswith(wanted))
    if not found:
        raise SearchError(
            f"No {what} '{term.value}' — use one of: {', '.join(names)}", term.start, term.end
        )
    return found
