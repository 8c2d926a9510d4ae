"""The kinds of custom column, as calibre has them, and what a value of each may be.

A column is stored with calibre's own datatype (`kind`) and whether it holds several values
(`multiple`); the user names the kinds as `NAMES` does. A value is typed as text and checked
here (`parse`): a number parses, a rating is 0 to 5 stars in halves, a date is ISO, a yes/no is
yes or no, a fixed list's value is one of its own, a tag-like column's values are separated by
commas, a series is its name with the book's number as calibre writes it ("Dune [2]",
`series`). An empty text clears the value. Stored values are JSON: text (a series' too), a
number, a rating in stars, an ISO date, true or false, or a list of texts for a tag-like column.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from bookorbit_desktop.descriptions import is_html, plain_text
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.custom import series
from bookorbit_desktop.library.reading.values import stars

# The user's name of a kind -> (calibre's datatype, several values).
NAMES: dict[str, tuple[str, bool]] = {
    "text": ("text", False),
    "long-text": ("comments", False),
    "number": ("float", False),
    "rating": ("rating", False),
    "date": ("datetime", False),
    "yes-no": ("bool", False),
    "list": ("enumeration", False),
    "tags": ("text", True),
    "series": ("series", False),
}
# calibre's datatypes that a library brings in under another kind's name.
_ALSO = {"int": "number"}
NUMBERS = ("int", "float", "rating")
_YES, _NO = ("yes", "true", "1"), ("no", "false", "0")


@dataclass(frozen=True)
class Column:
    id: int
    label: str  # searched as #label
    name: str  # shown as the column's heading
    kind: str  # calibre's datatype
    multiple: bool
    choices: tuple[str, ...]  # a fixed list's values

    @property
    def key(self) -> str:
        """The column's field in a book's journaled values (`journal.book_values`)."""
        return field_of(self.id)

    @property
    def kind_name(self) -> str:
        return kind_name(self.kind, self.multiple)

    def heading(self, built_in: Collection[str]) -> str:
        """The column's name as a heading or a field's label among the built-in ones named
        `built_in`: with its label when a built-in one has the same name ("Pages (#pages)",
        calibre's page-count column beside the library's own)."""
        taken = {" ".join(name.casefold().rstrip(":").split()) for name in built_in}
        return f"{self.name} (#{self.label})" if self.name.casefold() in taken else self.name


CUSTOM = "custom:"


def field_of(column_id: int) -> str:
    return f"{CUSTOM}{column_id}"


def column_of(field: str) -> int | None:
    """The column id a journaled field names; None for a book's own field."""
    return int(field.removeprefix(CUSTOM)) if field.startswith(CUSTOM) else None


def kind_name(kind: str, multiple: bool) -> str:
    for name, (datatype, several) in NAMES.items():
        if (datatype, several) == (kind, multiple):
            return name
    return _ALSO.get(kind, "tags" if multiple else "text")


def datatype(name: str) -> tuple[str, bool]:
    """calibre's datatype of a kind the user names; InvalidValueError for another word."""
    found = NAMES.get(name.strip().lower())
    if found is None:
        raise InvalidValueError(f"There is no kind '{name}'. Use one of: {', '.join(NAMES)}.")
    return found


def _refused(column: Column, text: str, wants: str) -> InvalidValueError:
    return InvalidValueError(f"{column.name} takes {wants}, not “{text}”.")


def parse(column: Column, text: str) -> Any:
    """The stored value of `text` typed in `column` (None: no value); InvalidValueError when it
    is not one of the column's kind."""
    text = text.strip()
    if not text:
        return None
    if column.multiple:
        values = [part.strip() for part in text.split(",")]
        return list(dict.fromkeys(value for value in values if value)) or None
    if column.kind in NUMBERS:
        return _number(column, text)
    if column.kind == "datetime":
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise _refused(column, text, "a date as 2024-05-31") from None
    if column.kind == "bool":
        word = text.lower()
        if word not in (*_YES, *_NO):
            raise _refused(column, text, "yes or no")
        return word in _YES
    if column.kind == "enumeration":
        found = [choice for choice in column.choices if choice.lower() == text.lower()]
        if not found:
            raise _refused(column, text, f"one of: {', '.join(column.choices)}")
        return found[0]
    if column.kind == "series":
        return series.checked(text, column.name)
    return text


def _number(column: Column, text: str) -> float | int:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = math.nan
    if column.kind == "rating":
        if not 0 <= number <= 5 or number * 2 != int(number * 2):
            raise _refused(column, text, "a rating of 0 to 5 stars, in halves")
        return number
    if not math.isfinite(number):
        raise _refused(column, text, "a number")
    if column.kind == "int":
        if number != int(number):
            raise _refused(column, text, "a whole number")
        return int(number)
    return int(number) if number == int(number) else number


def shown(value: Any) -> str:
    """A stored value as text, as `parse` reads it back ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def readable(column: Column, value: Any) -> str:
    """A stored value as text to read (the table, the book panel, the command line): as
    `shown` writes it, a rating in stars as the library's own ("★★★½"), a long text in HTML
    (calibre's comments) as its words, never its tags."""
    if column.kind_name == "rating" and isinstance(value, int | float):
        return stars(float(value))
    text = shown(value)
    if column.kind_name == "long-text" and is_html(text):
        return plain_text(text)
    return text


def readable_line(column: Column, value: Any) -> str:
    """`readable` on one line (a table's cell, a command's line)."""
    return " ".join(readable(column, value).split())


def check_choices(kind: str, choices: list[str]) -> tuple[str, ...]:
    """A fixed list's values (at least one, each once); none for another kind."""
    if kind != "enumeration":
        if choices:
            raise InvalidValueError("Only a fixed list (kind list) has values to choose from.")
        return ()
    values = tuple(dict.fromkeys(choice.strip() for choice in choices if choice.strip()))
    if not values:
        raise InvalidValueError("A fixed list needs its values, separated by commas.")
    return values
