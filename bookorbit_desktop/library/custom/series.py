"""A series column's value, as calibre writes it: the series' name and the book's number in it,
"Dune [2]" (a name alone has no number). One rule, in Python (`parts`, `value`) and in SQL
(`name_sql`, `key_sql`, for the sort key the library keeps and the searches that compare it):
the number is the digits (with at most one point) between the last "[" and a "]" that ends the
text, after a name that is not blank. The key sorts a series' books by their numbers, a book
without one first: the folded name, then (for a number) a character below every other and the
number written to sort as text.
"""

from __future__ import annotations

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.search.fold import SQL_FOLD

_DIGITS = frozenset("0123456789.")
LARGEST = 999_999_999  # a book's number in a series, at most
_APART = "char(1)"  # between the name and the number in a key: before every character shown


def _number(text: str) -> float | None:
    if not text or not set(text) <= _DIGITS or text.count(".") > 1 or text == ".":
        return None
    return float(text)


def parts(text: str) -> tuple[str, float | None]:
    """The name and the number of a series value: "Dune [2.5]" -> ("Dune", 2.5)."""
    head, bracket, tail = text.rpartition("[")
    if bracket and tail.endswith("]") and head.strip(" "):
        number = _number(tail[:-1])
        if number is not None:
            return head.rstrip(" "), number
    return text, None


def value(name: str, number: float | None) -> str:
    """The value of a series `name` with the book's `number` (None: none)."""
    return name if number is None else f"{name} [{number:g}]"


def checked(text: str, column: str) -> str:
    """The value `text` stands for in the series column named `column`, its number written
    as calibre writes it ("Dune [02,50]" -> "Dune [2.5]"; a bracket that holds no number is
    part of the name); InvalidValueError saying why when it is none."""
    text = " ".join(text.split())
    head, bracket, tail = text.rpartition("[")
    if bracket and tail.endswith("]"):
        text = f"{head}[{tail[:-1].strip().replace(',', '.')}]"
    name, number = parts(text)
    if text.startswith("[") and number is None and _number(text[1:-1].strip()) is not None:
        raise InvalidValueError(f"{column} needs the series' name before its number: Dune [2].")
    if number is not None and number > LARGEST:
        raise InvalidValueError(f"{column}: a book's number in a series is at most {LARGEST:,}.")
    return value(name, number)


def _split(text: str) -> tuple[str, str, str]:
    """SQL: whether the value `text` has a number, its name and its number's digits."""
    inner = f"substr({text}, 1, length({text}) - 1)"
    head = f"rtrim({inner}, '0123456789.')"
    digits = f"substr({inner}, length({head}) + 1)"
    name = f"rtrim(substr({head}, 1, length({head}) - 1), ' ')"
    numbered = (
        f"({text} LIKE '%]' AND {head} LIKE '%[' AND {name} != ''"
        f" AND {digits} GLOB '*[0-9]*' AND {digits} NOT GLOB '*.*.*')"
    )
    return numbered, name, digits


def name_sql(text: str) -> str:
    """SQL: the name of the series value `text`."""
    numbered, name, _digits = _split(text)
    return f"(CASE WHEN {numbered} THEN {name} ELSE {text} END)"


def key_sql(text: str) -> str:
    """SQL: the sort key of the series value `text`."""
    numbered, name, digits = _split(text)
    number = f"printf('%020.6f', CAST({digits} AS REAL))"
    return (
        f"(CASE WHEN {numbered} THEN {SQL_FOLD}({name}) || {_APART} || {number}"
        f" ELSE {SQL_FOLD}({text}) END)"
    )


def name_of_key(key: str) -> str:
    """SQL: the folded name a series key begins with (what a search compares)."""
    first = f"instr({key}, {_APART})"
    return f"(CASE WHEN {first} THEN substr({key}, 1, {first} - 1) ELSE {key} END)"


def number_of_key(key: str) -> str:
    """SQL: the book's number a series key ends with (NULL for none)."""
    first = f"instr({key}, {_APART})"
    return f"(CASE WHEN {first} THEN CAST(substr({key}, {first} + 1) AS REAL) END)"
