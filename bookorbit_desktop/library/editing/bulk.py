"""A bulk edit planned: what each of several books gets, and which books cannot take it. Pure.

The user asks for some fields at once (`BulkRequest`): the shared metadata fields (authors,
series, language, publisher), series numbers from N, the reading fields (status, rating), and
tags to add and to remove.
`plan` turns the request into one `BookPlan` per book, in the order the books are given (the
order the table shows them), and the books it refuses, each with why:

| asked                 | a book                                 | gets                        |
|-----------------------|----------------------------------------|-----------------------------|
| series numbers from N | the k-th numbered one (k = 0, 1, …)    | number N + k                |
| series numbers from N | with no series (none kept, none given) | refused: nothing to number  |
| no numbers (keep)     | any                                    | its number as it is         |
| a status or a rating  | that has it already                    | that field left out         |
| a status or a rating  | any other                              | the field, through the      |
|                       |                                        | reading rules when saved    |
| a finished status     | any that takes it                      | the finish date given for   |
| and a finish date     |                                        | books without one (or "no   |
|                       |                                        | date"), used only when its  |
|                       |                                        | history gives none          |

The reading rules (`library.reading.edits`) still decide, book by book, when the plan is
saved: a status they refuse for a book (a read with no date to finish it on, and none given
for books without one) refuses that book there, with their reason. A book whose history dates
its read keeps that date. A book whose plan is empty is left as it is (not refused).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.custom.kinds import column_of
from bookorbit_desktop.library.custom.values import custom_values
from bookorbit_desktop.library.editing.values import (
    LABELS,
    SHARED_FIELDS,
    UNSET,
    BookChanges,
    changes_from_text,
    parse_series_index,
)
from bookorbit_desktop.library.reading.marking import NO_DATE
from bookorbit_desktop.library.reading.rules import FINISHED as FINISHED_STATUSES
from bookorbit_desktop.library.reading.values import parse_date, parse_rating, parse_status
from bookorbit_desktop.library.tags.names import parse_tags

READING_FIELDS = ("status", "rating")
FINISHED = "finished"  # the typed key of the finish date for books whose history has none
TAG_FIELDS = ("add_tags", "remove_tags")  # each a line of tags separated by commas
NUMBER_FROM = "number_from"  # the typed key of "number the series from N"
NUMBER_FROM_MAX = 99_999  # the highest first number, in the window and on the command line
NO_SERIES = "it has no series to number it in"


@dataclass(frozen=True)
class BulkRequest:
    """The checked fields of a bulk edit; what is not given stays as each book has it."""

    changes: BookChanges = field(default_factory=BookChanges)  # shared fields only
    number_from: float | None = None  # None: keep each book's number
    reading: Mapping[str, Any] = field(default_factory=dict)  # "status" / "rating", checked
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    # With a finished status: the finish date (ISO) or `NO_DATE` for the books whose history
    # gives none; None: such books are refused, as a one-book Mark Read would ask.
    finished: str | None = None
    custom: Mapping[int, Any] = field(default_factory=dict)  # custom column id -> value

    def empty(self) -> bool:
        return (
            not self.changes.changed()
            and self.number_from is None
            and not self.reading
            and not (self.add_tags or self.remove_tags)
            and not self.custom
        )


@dataclass(frozen=True)
class Shown:
    """What the plan needs to know of a book."""

    book_id: int
    title: str
    series: str | None
    status: str
    rating: float | None


@dataclass(frozen=True)
class BookPlan:
    book_id: int
    title: str
    changes: BookChanges  # its metadata (the shared fields, its series number)
    reading: dict[str, Any]  # its reading fields, for `edits.save_edit`
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    finished: str | None = None  # the request's finish date, when this book takes the status
    custom: Mapping[int, Any] = field(default_factory=dict)  # custom column id -> value

    def empty(self) -> bool:
        return (
            not self.changes.changed()
            and not self.reading
            and not self.tagged()
            and not self.custom
        )

    def tagged(self) -> bool:
        return bool(self.add_tags or self.remove_tags)


@dataclass(frozen=True)
class Refusal:
    book_id: int
    title: str
    reason: str

    def text(self) -> str:
        return f"“{self.title}”: {self.reason}"


def request_from_text(typed: Mapping[str, str], today: datetime.date | None = None) -> BulkRequest:
    """The checked request from the fields as typed (the shared fields by their names,
    `number_from`, `status`, `rating`, `finished`: YYYY-MM-DD, "today" or "none", not after
    `today`); the first wrong value raises `InvalidValueError`."""
    custom = custom_values({k: v for k, v in typed.items() if column_of(k) is not None})
    typed = {k: v for k, v in typed.items() if column_of(k) is None}
    unknown = set(typed) - SHARED_FIELDS - {NUMBER_FROM, FINISHED, *READING_FIELDS, *TAG_FIELDS}
    if unknown:
        raise InvalidValueError(
            f"The {', '.join(LABELS.get(name, name) for name in sorted(unknown))} can be "
            "changed for one book at a time; for several books, or with a status, rating or "
            "series numbers: authors, series, language, publisher, status, rating and tags."
        )
    changes = changes_from_text({k: v for k, v in typed.items() if k in SHARED_FIELDS})
    number_from = None
    if NUMBER_FROM in typed:
        number_from = parse_series_index(typed[NUMBER_FROM])
        if number_from is None:
            raise InvalidValueError("Give the number to count the series from, such as 1.")
        if number_from > NUMBER_FROM_MAX:
            raise InvalidValueError(
                f"Series numbers can start from 0 up to {NUMBER_FROM_MAX:,}; "
                f"{typed[NUMBER_FROM].strip()} is more than that."
            )
        if changes.series is None:
            raise InvalidValueError(
                "Books without a series cannot be numbered. Give the series, or leave the "
                "numbers as they are."
            )
    reading: dict[str, Any] = {}
    if "status" in typed:
        reading["status"] = parse_status(typed["status"])
    if "rating" in typed:
        reading["rating"] = parse_rating(typed["rating"])
    finished = None
    if FINISHED in typed:
        if reading.get("status") not in FINISHED_STATUSES:
            raise InvalidValueError(
                "A finish date goes with the status read or skimmed: give one of them too."
            )
        day = parse_date(typed[FINISHED], field="finish", today=today or datetime.date.today())
        finished = NO_DATE if day is None else day
    add_tags = tuple(parse_tags(typed.get("add_tags", "")))
    remove_tags = tuple(parse_tags(typed.get("remove_tags", "")))
    request = BulkRequest(changes, number_from, reading, add_tags, remove_tags, finished, custom)
    if request.empty():
        raise InvalidValueError("Nothing to change. Give at least one new value.")
    return request


def plan(books: Sequence[Shown], request: BulkRequest) -> tuple[list[BookPlan], list[Refusal]]:
    """Each book's share of the request, by the module's table, in the order given."""
    plans: list[BookPlan] = []
    refused: list[Refusal] = []
    number = request.number_from
    for book in books:
        changes = request.changes
        if number is not None:
            series = book.series if changes.series is UNSET else changes.series
            if series is None:
                refused.append(Refusal(book.book_id, book.title, NO_SERIES))
                continue
            changes = replace(changes, series_index=number)
            number += 1
        reading = {
            name: value
            for name, value in request.reading.items()
            if value != getattr(book, name)  # a status or rating it has already: left out
        }
        finished = request.finished if "status" in reading else None
        tags = (request.add_tags, request.remove_tags)
        plans.append(
            BookPlan(book.book_id, book.title, changes, reading, *tags, finished, request.custom)
        )
    return plans, refused
