"""Applying candidates' values to a book: each field checked as if the user had typed it
(`library.editing.values`) and saved through the one edit path (`library.editing.apply`), so
the fields are marked as the user's own (imports keep them; OPDS and matching see them). A
cover is downloaded, checked to be an image and stored as an edited cover is. Every field a
candidate carries can be applied (`APPLICABLE`); a value the edit rules refuse (a release
date that is not ISO, a page count out of range) is skipped with the reason.

An apply is one step of the change journal ("Apply Metadata to “Emma”"); Fill Empty Fields
over many books is one step for all of them (`start_fill`, `finish_fill`). What a fill (or
the command line's `apply --best --only-empty`) takes for a book is `book_picks`, and
`plan_fill` sums it over the books for the review the user confirms: the same rule, so the
review's numbers are what the fill writes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.values import (
    BookChanges,
    parse_description,
    parse_isbn_text,
    parse_languages,
    parse_pages,
    parse_published,
    parse_publisher,
    parse_series,
    parse_subtitle,
    parse_title,
)
from bookorbit_desktop.library.journal.record import EDIT, finish_step, start_step
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.metadata_sources.compare import best_values, empty_fields, firsts
from bookorbit_desktop.metadata_sources.records import FIELDS, SOURCE_LABELS, Candidate
from bookorbit_desktop.services.metadata.books import BookCandidates

NOT_KEPT = "shown only: the library keeps no edit of this field"
# The candidate fields the library's edit path takes (`appliable_fields()`); any other is
# shown only.
APPLICABLE = ("title", "subtitle", "authors", "series", "series_index", "description",
              "publisher", "release_date", "language", "isbn13", "pages", "cover")  # fmt: skip


def appliable_fields() -> tuple[str, ...]:
    """The candidate fields (`metadata_sources.records.FIELDS` names) that can be applied."""
    return APPLICABLE


@dataclass(frozen=True)
class ApplyResult:
    book_id: int
    source: str  # the source named, or "best" when each field came from its best source
    applied: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]  # (field, why it was not applied)
    taken_from: tuple[tuple[str, str], ...] = ()  # (field, source) of each applied field


# Each candidate field but the cover: its edit-path name and the check a typed value gets.
_CHECKS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "title": ("title", parse_title),
    "authors": ("authors", lambda value: [" ".join(a.split()) for a in value if a.strip()]),
    "series": ("series", parse_series),
    "series_index": ("series_index", float),
    "description": ("description", parse_description),
    "language": ("language", parse_languages),
    "isbn13": ("isbn", parse_isbn_text),
    "subtitle": ("subtitle", parse_subtitle),
    "publisher": ("publisher", parse_publisher),
    "release_date": ("published", lambda value: parse_published(str(value))),
    "pages": ("pages", lambda value: parse_pages(str(value))),
}


async def checked(name: str, value: Any) -> dict[str, Any]:
    """The edit-path value of one candidate field; InvalidValueError when it is not usable."""
    if name in _CHECKS:
        key, check = _CHECKS[name]
        return {key: check(value)}
    # loaded when a cover is applied, not with the window
    from bookorbit_desktop.metadata_sources import outside
    from bookorbit_desktop.metadata_sources.covers import download_cover

    async with outside.open_session() as session:
        return {"cover": await download_cover(session, value)}


async def apply_picks(
    paths: Paths,
    book_id: int,
    picks: Sequence[tuple[str, Candidate]],
    source: str,
    *,
    step: int | None = None,
) -> ApplyResult:
    """Save each (field, candidate) pick in one edit (a journal step, or part of `step`);
    InvalidValueError (nothing saved) when a field does not exist or none can be applied."""
    result, changes = await _checked_picks(book_id, picks, source)
    if not changes:
        reasons = "; ".join(f"{n}: {why}" for n, why in result.skipped) or "no field was named"
        raise InvalidValueError(f"Nothing was applied to book {book_id} ({reasons}).")
    await _save(paths, book_id, changes, step)
    return result


async def fill_picks(
    paths: Paths, book_id: int, picks: Sequence[tuple[str, Candidate]], *, step: int
) -> ApplyResult:
    """`apply_picks` for a fill over many books: a book none of whose picks can be applied
    (its cover could not be downloaded) is left as it is, and the result says why."""
    result, changes = await _checked_picks(book_id, picks, "best")
    if changes:
        await _save(paths, book_id, changes, step)
    return result


async def _save(paths: Paths, book_id: int, changes: dict[str, Any], step: int | None) -> None:
    await off_loop(
        edit_books, [book_id], BookChanges(**changes), paths, step=step, verb="Apply Metadata to"
    )


async def _checked_picks(
    book_id: int, picks: Sequence[tuple[str, Candidate]], source: str
) -> tuple[ApplyResult, dict[str, Any]]:
    """What the picks would save (the edit path's values), and the result that says so."""
    changes: dict[str, Any] = {}
    skipped: list[tuple[str, str]] = []
    taken: list[tuple[str, str]] = []
    for name, candidate in picks:
        if name not in FIELDS:
            raise InvalidValueError(
                f"There is no field {name!r}. Use one of: {', '.join(APPLICABLE)}."
            )
        value = candidate.value(name)
        if name not in APPLICABLE:
            skipped.append((name, NOT_KEPT))
        elif value is None:
            skipped.append((name, f"{SOURCE_LABELS[candidate.source]} has no value for it"))
        else:
            try:
                changes.update(await checked(name, value))
            except InvalidValueError as error:
                skipped.append((name, error.message))
            else:
                taken.append((name, candidate.source))
    applied = tuple(name for name, _ in taken)
    return ApplyResult(book_id, source, applied, tuple(skipped), tuple(taken)), changes


FILL = "Fill Empty Fields"
APPLY = "Apply Metadata"  # the command line's `metadata apply` over several books


def start_fill(now: float, label: str = FILL) -> int:
    """Open the journal step that a Fill Empty Fields (or another apply, by `label`) over many
    books fills."""
    return start_step(EDIT, label, now)


def finish_fill(step: int, label: str = FILL) -> int:
    """Name the step by the books it changed ("Fill Empty Fields (28 books)"), or drop it when
    none changed; return how many did."""
    return finish_step(step, lambda count: f"{label} ({count} book{'s' * (count != 1)})")


def book_picks(
    shown: BookCandidates, fields: Sequence[str] | None = None, *, only_empty: bool = False
) -> list[tuple[str, Candidate]]:
    """The (field, candidate) pairs "Best" saves for one book: each field (all that can be
    applied by default; with `only_empty`, only those the book has no value for) from the
    candidate the best-value rule picks given the book's values, so never from a record of
    another edition nor a value poorer than the book's (`metadata_sources.compare`)."""
    everything = [c for answer in shown.sources for c in answer.candidates]
    best = best_values(everything, shown.local, cover_size=shown.cover_size)
    names = list(fields) if fields is not None else [n for n in APPLICABLE if n in best]
    if only_empty:
        names = empty_fields(shown.local, names)
    return [(n, best[n]) for n in names if n in best]


def withheld_fields(
    shown: BookCandidates,
    picked: Sequence[str],
    fields: Sequence[str] | None = None,
    *,
    only_empty: bool = False,
) -> tuple[tuple[str, str], ...]:
    """(field, why) for each field `book_picks` left alone although a record of another
    edition has a value for it: "Open Library: another edition: English, not German"."""
    names = list(fields) if fields is not None else list(APPLICABLE)
    if only_empty:
        names = empty_fields(shown.local, names)
    first = firsts(c for answer in shown.sources for c in answer.candidates)
    found = []
    for name in (n for n in names if n not in picked):
        for source, reason in shown.other_editions.items():
            if source in first and first[source].value(name) is not None:
                found.append((name, f"{SOURCE_LABELS[source]}: {reason}"))
                break
    return tuple(found)


@dataclass(frozen=True)
class LeftOut:
    """A book's record left out of a fill: it is of another edition."""

    book_id: int
    title: str
    source: str
    reason: str  # "another edition: English, not German"
    authors: tuple[str, ...] = ()  # the book's, to tell "emma" from "Emma"


@dataclass(frozen=True)
class FillPlan:
    """What Fill Empty Fields gives the books: `picks` per book (books given nothing are
    left out), `counts[field][source]` how many books get that field from that source, and
    the records `left_out` as another edition."""

    picks: dict[int, list[tuple[str, Candidate]]] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    left_out: tuple[LeftOut, ...] = ()

    @property
    def books(self) -> int:
        """How many books the fill changes."""
        return len(self.picks)


def plan_fill(books: Iterable[BookCandidates]) -> FillPlan:
    """Fill Empty Fields over `books` (each one's stored answers): `book_picks` of each with
    `only_empty`, summed per field and source, and the records of another edition listed."""
    picks: dict[int, list[tuple[str, Candidate]]] = {}
    counts: dict[str, Counter[str]] = {}
    left_out: list[LeftOut] = []
    for shown in books:
        for source, reason in shown.other_editions.items():
            authors = tuple(shown.local.get("authors") or ())
            left_out.append(LeftOut(shown.book_id, shown.title, source, reason, authors))
        chosen = book_picks(shown, only_empty=True)
        if chosen:
            picks[shown.book_id] = chosen
        for name, candidate in chosen:
            counts.setdefault(name, Counter())[candidate.source] += 1
    ordered = {n: dict(counts[n]) for n in APPLICABLE if n in counts}
    return FillPlan(picks, ordered, tuple(left_out))


@dataclass
class FillOutcome:
    """What a fill wrote, against what its plan promised: per field and source, the values
    `written`, and the ones `not_written` counted by (field, source, why)."""

    planned: dict[str, dict[str, int]]  # the plan's counts
    books: int = 0  # books changed
    written: dict[str, Counter[str]] = field(default_factory=dict)
    not_written: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def add(self, result: ApplyResult, picks: Sequence[tuple[str, Candidate]]) -> None:
        """One book's result (`fill_picks`) for the picks the plan gave it."""
        sources = {name: candidate.source for name, candidate in picks}
        if result.applied:
            self.books += 1
        for name, source in result.taken_from:
            self.written.setdefault(name, Counter())[source] += 1
        for name, why in result.skipped:
            if name in sources:
                self.not_written[(name, sources[name], why)] += 1

    def failed(self, picks: Sequence[tuple[str, Candidate]], why: str) -> None:
        """A book nothing was saved to, for `why` (it was removed meanwhile)."""
        for name, candidate in picks:
            self.not_written[(name, candidate.source, why)] += 1

    def short(self) -> list[tuple[str, int, int, list[tuple[str, str, int]]]]:
        """(field, written, planned, [(source, why, count)]) for each field written less
        often than planned, in the plan's order."""
        found = []
        for name, by_source in self.planned.items():
            missing = [(s, why, n) for (f, s, why), n in self.not_written.items() if f == name]
            if missing:
                written = sum(self.written.get(name, Counter()).values())
                found.append((name, written, sum(by_source.values()), missing))
        return found
