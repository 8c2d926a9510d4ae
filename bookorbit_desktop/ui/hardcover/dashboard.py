"""Where each book stands with Hardcover, for the page's filters and counts. Plain functions.

A book is in exactly one state: excluded by the user; waiting for the user's decision (several
candidates, or Hardcover shows a later page than the library); not matched (no Hardcover book
found, or not looked up yet); failed (the last push failed, or matching raised); pending (linked,
with a change Hardcover does not have yet, or never sent); synced (linked and confirmed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.services.hardcover import HardcoverPage, copies_conflict
from bookorbit_desktop.services.library import STATUS_LABELS, BookRow, MatchInfo, progress_text
from bookorbit_desktop.ui.library.model import fold

# (state, label) in the order of the filter list; None is "every book".
STATES = (
    (None, "All books"),
    ("synced", "Synced"),
    ("pending", "Pending"),
    ("needs_review", "Needs review"),
    ("not_matched", "Not matched"),
    ("failed", "Failed"),
    ("excluded", "Excluded"),
    ("removed", "Not on Hardcover (removed)"),
)
LABELS = {state: label for state, label in STATES if state is not None}
_REASONS = {
    "pending": "Goes out with the next sync",
    "ahead": "Hardcover shows a later page than this library",
}


def book_state(match: Mapping[str, object], queued: bool) -> str:
    """The dashboard state of one book from its match (`MatchInfo`) and whether it has a
    change waiting in the outbox."""
    state = match.get("state") or "unmatched"
    sync_state = match.get("sync_state")
    if state in ("excluded", "removed"):
        return state
    if state == "needs_review" or sync_state == "ahead":
        return "needs_review"
    if state in ("no_match", "unmatched"):
        return "not_matched"
    if state == "error" or sync_state in ("failed", "blocked"):
        return "failed"
    if queued or sync_state is None:
        return "pending"
    return "synced"


@dataclass(frozen=True)
class PageRows:
    """The books the page shows, in the library's order, each with its match and state."""

    rows: list[tuple[BookRow, MatchInfo]]
    states: dict[int, str]  # book id -> state
    layout: Sequence[tuple[int, str, object, object]]  # id, state, series, number: places rows


@dataclass(frozen=True)
class PageDiff:
    """What a fresh read changes on the page (`diff_page`)."""

    before: PageRows | None  # the rows it was compared with
    after: PageRows
    changed: list[int] | None  # the books whose row changed in place; None: rows move


_UNMATCHED = MatchInfo(state="unmatched", reason=None, summary=None)


def page_rows(
    books: Sequence[BookRow], details: Mapping[int, MatchInfo], queued: Collection[int]
) -> PageRows:
    """The books worth showing: every book looked up on Hardcover, and every other one that is
    not unread. Plain Python, for a worker thread."""
    queued = set(queued)
    rows = [
        (book, details.get(book["id"], _UNMATCHED))
        for book in books
        if book["id"] in details or book.get("status") != "unread"
    ]
    states = {book["id"]: book_state(match, book["id"] in queued) for book, match in rows}
    layout = [
        (book["id"], states[book["id"]], book.get("series"), book.get("series_index"))
        for book, _match in rows
    ]
    return PageRows(rows, states, layout)


def diff_page(before: PageRows | None, after: PageRows) -> PageDiff:
    """The rows to redraw when every row keeps its place and state, else `changed` None.
    Unchanged rows keep the objects already shown: the fresh read's copies are freed at once,
    so a reload of thousands of books leaves the garbage collector little to walk."""
    if before is None or before.layout != after.layout:
        return PageDiff(before, after, None)
    old = {entry[0]["id"]: entry for entry in before.rows}
    rows: list[tuple[BookRow, MatchInfo]] = []
    changed: list[int] = []
    for entry in after.rows:
        kept = old.get(entry[0]["id"])
        if kept == entry:
            rows.append(kept)
        else:
            rows.append(entry)
            changed.append(entry[0]["id"])
    return PageDiff(before, PageRows(rows, before.states, before.layout), changed)


def page_diff(before: PageRows | None, books: Sequence[BookRow], page: HardcoverPage) -> PageDiff:
    """`diff_page` from the rows shown to the rows of a freshly read page."""
    return diff_page(before, page_rows(books, page.details or {}, page.queued))


def found(book: BookRow, terms: Sequence[str]) -> bool:
    """The page's search: every term (`filter_terms`, folded as the library's filter folds)
    lies in the book's title or authors."""
    if not terms:
        return True
    text = fold(" ".join((book["title"], *book.get("authors", ()))))
    return all(term in text for term in terms)


def reason(match: Mapping[str, object], state: str) -> str:
    """Why the book is in `state`, in a few words."""
    if match.get("sync_state") in ("failed", "blocked", "ahead") and match.get("sync_reason"):
        return str(match["sync_reason"])
    if match.get("sync_state") == "ahead":
        return _REASONS["ahead"]
    if match.get("reason") and state != "synced":
        return str(match["reason"])
    return _REASONS.get(state, "")


def counts(states: Iterable[str]) -> dict[str | None, int]:
    """How many books are in each state, and in all (key None)."""
    counted = Counter(states)
    result: dict[str | None, int] = {state: counted.get(state, 0) for state in LABELS}
    result[None] = sum(counted.values())
    return result


def filter_label(label: str, count: int) -> str:
    return f"{label} ({count:,})"


def series_groups(
    books: Iterable[tuple[int, str | None, float | None]],
) -> list[tuple[str | None, list[int]]]:
    """Books (id, series, number in it) in display order, grouped: each series with two or more
    of the books becomes one group (in series order, unnumbered last, otherwise as given) where
    its first book was; every other book is a group of one with no series name."""
    given = list(books)
    members: dict[str, list[tuple[int, int, float | None]]] = {}
    for position, (book_id, series, number) in enumerate(given):
        if series:
            members.setdefault(series, []).append((position, book_id, number))
    groups: list[tuple[str | None, list[int]]] = []
    placed: set[str] = set()
    for book_id, series, _number in given:
        if not series or len(members[series]) < 2:
            groups.append((None, [book_id]))
        elif series not in placed:
            placed.add(series)
            ordered = sorted(members[series], key=lambda m: (m[2] is None, m[2] or 0.0, m[0]))
            groups.append((series, [m[1] for m in ordered]))
    return groups


@dataclass(frozen=True)
class Group:
    """A row over other rows: a series, or the copies of one Hardcover book."""

    label: str
    why: str = ""


def page_groups(
    shown: Sequence[tuple[BookRow, MatchInfo]],
) -> list[tuple[Group | None, list[int]]]:
    """The rows in display order: the copies of one Hardcover book (a second copy, another
    format, a translation) under one row for that book, which says how many there are and where
    their statuses disagree; each series with two or more books under its row; the rest alone."""
    by_entry: dict[int, list[int]] = {}
    for book, match in shown:
        hc_book_id = match.get("hc_book_id")
        if match.get("state") == "linked" and hc_book_id is not None:
            by_entry.setdefault(hc_book_id, []).append(book["id"])
    entry_of = {i: hc for hc, ids in by_entry.items() if len(ids) > 1 for i in ids}
    rows = {book["id"]: (book, match) for book, match in shown}
    keyed = (
        (book["id"], f"\0{entry_of[book['id']]}", None)
        if book["id"] in entry_of
        else (book["id"], book.get("series"), book.get("series_index"))
        for book, _match in shown
    )
    groups: list[tuple[Group | None, list[int]]] = []
    for key, ids in series_groups(keyed):
        if key is None:
            groups.append((None, ids))
        elif key.startswith("\0"):
            first, match = rows[ids[0]]
            # The Hardcover book's title (its summary up to the author), so the count fits.
            name = str(match.get("summary") or first["title"]).split(" — ")[0]
            statuses = [str(rows[i][0].get("status")) for i in ids]
            conflict = copies_conflict(statuses) or f"{len(ids)} copies linked, one entry"
            groups.append((Group(f"{name} ({len(ids)} copies)", conflict), ids))
        else:
            groups.append((Group(f"{key} ({len(ids)} books)"), ids))
    return groups


def other_copies(rows: Sequence[tuple[BookRow, MatchInfo]], book_id: int | None) -> list[int]:
    """The other linked books of the Hardcover book `book_id` is linked to."""
    match = next((m for book, m in rows if book["id"] == book_id), None)
    if match is None or match.get("state") != "linked" or match.get("hc_book_id") is None:
        return []
    return [
        book["id"]
        for book, other in rows
        if book["id"] != book_id
        and other.get("state") == "linked"
        and other.get("hc_book_id") == match["hc_book_id"]
    ]


def row_cells(
    book: Mapping[str, Any], match: Mapping[str, object], state: str, *, in_series: bool
) -> tuple[str, str, str, str, str]:
    """The page's columns for a book: title ("#2 Title" inside its series' group), authors,
    reading ("Reading · 42 % · p. 139 of 332"), sync state, and what it is linked to or why not."""
    why = reason(match, state)
    if match.get("summary"):
        why = f"{match['summary']} — {why}" if why else str(match["summary"])
    status = str(book.get("status"))
    reading = STATUS_LABELS.get(status, status)
    progress = progress_text(float(book.get("progress") or 0.0), book.get("pages"))
    title = str(book["title"])
    number = book.get("series_index")
    if in_series and number is not None:
        title = f"#{number:g} {title}"
    return (
        title,
        ", ".join(book.get("authors") or []),
        f"{reading} · {progress}" if progress else reading,
        LABELS[state],
        why,
    )
