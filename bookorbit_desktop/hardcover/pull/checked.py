"""Hardcover's answer checked at the door, before the pull keeps or applies any of it.

Every value of a pulled entry passes the check a value the user types passes (the library's own
parsers, `library.reading.values` and `library.editing.values`), and is taken only in the form
the library would store it. A value that fails is left out, never replaced by a default: the
entry keeps None for it and names it in `left_out` (the entry's own, or its read's), so the
library's value stays as it is, and a `LeftOut` says which value and why; the rest of the entry
still counts.

| Hardcover's value           | taken when                                 | else              |
|-----------------------------|--------------------------------------------|-------------------|
| entry `id`, `book_id`       | a whole number from 1 to MAX_ID            | no entry at all   |
| `status_id`                 | one of Hardcover's statuses (1-6)          | the status stays  |
| `rating`                    | null, or 0.5 to 5 in half steps            | the rating stays  |
|                             | (`parse_rating`)                           |                   |
| `privacy_setting_id`        | 1 Public, 2 Followers, 3 Private           | left out          |
| `edition_id`                | null, or a whole number from 1 to MAX_ID   | left out          |
| `date_added`, a read's      | null, or YYYY-MM-DD not after today        | the date stays    |
| `started_at`, `finished_at` | (`parse_date`); a finish not before the    |                   |
|                             | read's start                               |                   |
| a read's `id`               | a whole number from 1 to MAX_ID, once      | no such read      |
| a read's `progress_pages`   | null, 0 (not begun) or a page count        | left out          |
|                             | (`parse_pages`)                            |                   |

The book's title, slug, authors and ISBNs are kept only as text (anything else: none).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.pull.store import PulledRow
from bookorbit_desktop.hardcover.sync.model import PRIVACY_NAMES, STATUS_NAMES
from bookorbit_desktop.library.editing.values import parse_pages
from bookorbit_desktop.library.reading.values import parse_date, parse_rating
from bookorbit_desktop.log_text import for_log

MAX_ID = 2**31 - 1  # Hardcover's ids are GraphQL Ints: signed 32-bit
LEFT_OUT = "left_out"  # the entry's (or a read's) fields whose value Hardcover sent was refused
_DECIMAL = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,6})?")  # `numeric` as text, when sent so


@dataclass(frozen=True)
class LeftOut:
    """One value of Hardcover's answer the pull did not take, and why."""

    user_book_id: Any
    title: Any
    field: str  # Hardcover's column, a read's as "read 12 finished_at"
    value: Any
    reason: str

    def line(self) -> str:
        """One line for the pull's report and the log, Hardcover's text quoted and escaped."""
        entry = f"Hardcover entry {for_log(self.user_book_id)}"
        if self.title:
            entry += f" ({for_log(self.title)})"
        return f"{entry}: {self.field} {for_log(self.value)} left out, {self.reason}"


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _is_id(value: Any) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


def _whole(value: Any) -> int:
    if not _is_id(value):
        raise _Refused(f"not a whole number from 1 to {MAX_ID}")
    return int(value)


def _optional_id(value: Any) -> int | None:
    return None if value is None else _whole(value)


def _status(value: Any) -> int:
    if type(value) is not int or value not in STATUS_NAMES:
        raise _Refused("not one of Hardcover's reading statuses; the status stays as it was")
    return value


def _privacy(value: Any) -> int:
    if type(value) is not int or value not in PRIVACY_NAMES:
        raise _Refused("not one of Hardcover's privacy settings")
    return value


def _rating(value: Any) -> float | None:
    if value is None:
        return None
    refused = _Refused("not a rating from 0.5 to 5 in half steps")
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        value = float(value)
    # Beyond 10 it is never a rating, and a float of a huge whole number would overflow.
    if type(value) not in (int, float) or abs(value) > 10:
        raise refused
    try:
        return parse_rating(float(value))
    except InvalidValueError:
        raise refused from None


def _date(today: dt.date) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value is None:
            return None
        refused = _Refused(f"not a date (YYYY-MM-DD) on or before today, {today.isoformat()}")
        if not isinstance(value, str) or (len(value) > 10 and not _timestamp(value)):
            raise refused
        text = value[:10]  # a `date` column; a whole timestamp's time of day says nothing more
        try:
            if parse_date(text, field="pulled", today=today) == text:
                return text
        except InvalidValueError:
            pass
        raise refused

    return check


def _timestamp(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _pages(value: Any) -> int | None:
    if value is None:
        return None
    if type(value) is not int or value < 0:
        raise _Refused("not a page count")
    if value == 0:
        return 0  # not begun
    try:
        return parse_pages(str(value))
    except InvalidValueError:
        raise _Refused("not a page count") from None


def _text(value: Any) -> str | None:
    """Trimmed text; None for anything else, or text no UTF-8 file can hold (a lone
    surrogate, which JSON's escapes can carry)."""
    if not isinstance(value, str):
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value.strip() or None


class _Checker:
    """Checks one entry's values, noting each one left out."""

    def __init__(self, user_book_id: int, title: str | None, today: dt.date) -> None:
        self.user_book_id, self.title = user_book_id, title
        self.date = _date(today)
        self.left: list[LeftOut] = []

    def note(self, field: str, value: Any, reason: str) -> None:
        self.left.append(LeftOut(self.user_book_id, self.title, field, value, reason))

    def take(
        self,
        raw: Mapping[str, Any],
        key: str,
        check: Callable[[Any], Any],
        into: dict[str, Any],
        where: str = "",
    ) -> None:
        """`raw[key]` checked into `into` under the pull's name for it; None when refused."""
        name = _NAMES.get(key, key)
        try:
            into[name] = check(raw.get(key))
        except _Refused as refused:
            into[name] = None
            into.setdefault(LEFT_OUT, []).append(name)
            self.note(f"{where}{key}", raw.get(key), refused.reason)

    def read(self, raw: Any, seen: set[int]) -> dict[str, Any] | None:
        """One read checked; None (noted) for one without an id of its own."""
        read_id = raw.get("id") if isinstance(raw, Mapping) else None
        if not _is_id(read_id) or read_id in seen:
            self.note("read", raw, "not a read with an id of its own; the read is left out")
            return None
        read: dict[str, Any] = {"id": _whole(read_id)}
        seen.add(read["id"])
        where = f"read {read_id} "
        self.take(raw, "started_at", self.date, read, where)
        self.take(raw, "finished_at", self.date, read, where)
        self.take(raw, "progress_pages", _pages, read, where)
        started, finished = read["started"], read["finished"]
        if started and finished and finished < started:
            read["finished"] = None
            read.setdefault(LEFT_OUT, []).append("finished")
            self.note(f"{where}finished_at", finished, f"a finish before the start, {started}")
        return read


# The pull's names for Hardcover's columns.
_NAMES = {
    "privacy_setting_id": "privacy_id",
    "started_at": "started",
    "finished_at": "finished",
    "progress_pages": "pages",
}


def checked_row(raw: Any, today: dt.date) -> tuple[PulledRow | None, list[LeftOut]]:
    """One `PullUserBooks` row as the store keeps it, every value checked, and the values left
    out; no row for one without its own entry and book ids (the whole entry is left out)."""
    row: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    book = _mapping(row.get("book"))
    title = _text(book.get("title"))
    ids: dict[str, int] = {}
    for key in ("id", "book_id"):
        try:
            ids[key] = _whole(row.get(key))
        except _Refused as refused:
            reason = f"{refused.reason}; the entry is left out"
            return None, [LeftOut(row.get("id"), title, key, row.get(key), reason)]
    user_book_id, hc_book_id = ids["id"], ids["book_id"]
    checker = _Checker(user_book_id, title, today)
    entry: dict[str, Any] = {}
    checker.take(row, "status_id", _status, entry)
    checker.take(row, "rating", _rating, entry)
    checker.take(row, "privacy_setting_id", _privacy, entry)
    checker.take(row, "edition_id", _optional_id, entry)
    checker.take(row, "date_added", checker.date, entry)
    reads = row.get("user_book_reads")
    if reads is not None and not isinstance(reads, list):
        checker.note("user_book_reads", reads, "not a list of reads; no read is taken")
    seen: set[int] = set()
    reads = reads if isinstance(reads, list) else []
    checked = [r for item in reads if (r := checker.read(item, seen)) is not None]
    entry["reads"] = sorted(checked, key=lambda r: r["id"])
    edition = _mapping(row.get("edition"))
    contributors = book.get("cached_contributors")
    pulled = PulledRow(
        user_book_id=user_book_id,
        hc_book_id=hc_book_id,
        entry=entry,
        updated_at=_text(row.get("updated_at")),
        title=title,
        authors=_authors(contributors if isinstance(contributors, list) else []),
        isbns=tuple(t for k in ("isbn_13", "isbn_10") if (t := _text(edition.get(k)))),
        slug=_text(book.get("slug")),
    )
    return pulled, checker.left


def checked_reads(
    user_book_id: int, title: str | None, raws: list[Any], today: dt.date
) -> tuple[list[dict[str, Any]], list[LeftOut]]:
    """Reads of one entry read on their own (`PullReads`), checked as an entry's reads are."""
    checker = _Checker(user_book_id, title, today)
    seen: set[int] = set()
    reads = [r for raw in raws if (r := checker.read(raw, seen)) is not None]
    return sorted(reads, key=lambda r: r["id"]), checker.left


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _authors(contributors: list[Any]) -> tuple[str, ...]:
    names = []
    for c in contributors:
        if not isinstance(c, Mapping):
            continue
        author = c.get("author")
        name = _text(author.get("name")) if isinstance(author, Mapping) else None
        if name := name or _text(c.get("name")):
            names.append(name)
    return tuple(names)


def without_left_out(
    values: Mapping[str, Any], entry: Mapping[str, Any], read_id: int | None
) -> dict[str, Any]:
    """Hardcover's side of the shared fields (`rule.remote_values`) without the values left out
    of the entry or of the compared read (`read_id`): for those the library keeps its own."""
    left = set(entry.get(LEFT_OUT) or ())
    for read in entry.get("reads") or ():
        if read.get("id") == read_id:
            left.update(read.get(LEFT_OUT) or ())
    return {name: value for name, value in values.items() if name not in left}
