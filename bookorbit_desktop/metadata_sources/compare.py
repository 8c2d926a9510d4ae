"""Compare the candidates with the book's own values, field by field, and pick the best.

Pure: plain values in, plain values out. `compare` flags each field whose candidate value
differs from the local one; `best_values` applies the rule below; `take_all` gives every
field one source has; `is_empty` says which of a book's fields count as empty for "Fill Empty
Fields" (none, or a placeholder such as "Unknown").

The "best" rule, per field (the first row that applies wins):

| # | the candidate                                             | why                        |
|---|-----------------------------------------------------------|----------------------------|
| 1 | Hardcover's linked edition (`matched_by` "edition")       | the user chose that edition|
| 2 | any source found by the book's own ISBN (`matched_by`     | same ISBN, same edition    |
|   | "isbn"), in source order Hardcover, Open Library, Google  |                            |
| 3 | Hardcover's book found by the guarded search ("search"    | matching proved the book   |
|   | from Hardcover, or "linked")                              |                            |
| 4 | Open Library or Google Books found by title search        | a likely match; review it  |

A candidate without a value for the field is skipped (the next one is asked). For the
`cover`, the largest known picture among the first rank that has one wins. Within one rank
the earlier source in `SOURCE_ORDER` wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.metadata_sources.records import FIELDS, SOURCE_LABELS, Candidate

SOURCE_ORDER = tuple(SOURCE_LABELS)


def rank(candidate: Candidate) -> tuple[int, int]:
    """The candidate's place in the rule table (lower is better), then its source's."""
    order = SOURCE_ORDER.index(candidate.source) if candidate.source in SOURCE_ORDER else 99
    if candidate.source == "hardcover" and candidate.matched_by == "edition":
        row = 1
    elif candidate.matched_by in ("isbn", "id"):
        row = 2
    elif candidate.source == "hardcover":
        row = 3
    else:
        row = 4
    return row, order


def _area(candidate: Candidate) -> int:
    return (candidate.cover_width or 0) * (candidate.cover_height or 0)


def best_values(candidates: Iterable[Candidate]) -> dict[str, Candidate]:
    """Field -> the candidate whose value is best for it (fields nobody has are left out)."""
    ordered = sorted(candidates, key=rank)
    chosen: dict[str, Candidate] = {}
    for name in FIELDS:
        having = [c for c in ordered if c.value(name) is not None]
        if not having:
            continue
        if name == "cover":
            top = rank(having[0])[0]
            same_row = [c for c in having if rank(c)[0] == top]
            chosen[name] = max(same_row, key=_area)  # max keeps the first on a tie
        else:
            chosen[name] = having[0]
    return chosen


def same_value(name: str, local: Any, found: Any) -> bool:
    """Whether the candidate's value says what the local one says (case and spacing aside)."""
    if local in (None, "", ()) or found in (None, "", ()):
        return local in (None, "", ()) and found in (None, "", ())
    if name == "authors":
        return [_plain(a) for a in local] == [_plain(a) for a in found]
    if name == "series_index":
        return float(local) == float(found)
    return _plain(str(local)) == _plain(str(found))


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class FieldRow:
    """One field of the comparison: the local value, each source's, and which differ."""

    name: str
    local: Any
    values: dict[str, Any]  # source -> its value (sources without one are left out)
    differs: frozenset[str]  # the sources whose value differs from the local one
    best: str | None  # the source the rule picks for this field


def compare(local: Mapping[str, Any], candidates: Iterable[Candidate]) -> list[FieldRow]:
    """Every field, with the first candidate of each source (its best match)."""
    firsts: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=rank):
        firsts.setdefault(candidate.source, candidate)
    best = best_values(firsts.values())
    rows = []
    for name in FIELDS:
        values = {s: c.value(name) for s, c in firsts.items() if c.value(name) is not None}
        differs = frozenset(
            s for s, v in values.items() if not same_value(name, local.get(name), v)
        )
        chosen = best.get(name)
        source = chosen.source if chosen is not None else None
        rows.append(FieldRow(name, local.get(name), values, differs, source))
    return rows


# What a book file says when it does not know: such a title or author is no value at all.
PLACEHOLDER_TITLES = frozenset({"unknown", "unknown title", "untitled"})
PLACEHOLDER_AUTHORS = frozenset({"unknown", "unknown author", "unknown authors"})


def is_empty(name: str, value: Any) -> bool:
    """Whether the book has no value for field `name`: nothing at all, or only a placeholder
    ("Unknown" as the title, or as every author)."""
    if value in (None, "", (), []):
        return True
    if name == "title" and isinstance(value, str):
        return _plain(value) in PLACEHOLDER_TITLES
    if name == "authors":
        return all(_plain(a) in PLACEHOLDER_AUTHORS or not a.strip() for a in value)
    return False


def empty_fields(local: Mapping[str, Any], names: Iterable[str]) -> list[str]:
    """Those of `names` the book has no value for (`is_empty`), in the order given."""
    return [n for n in names if is_empty(n, local.get(n))]


def take_all(candidate: Candidate, *, only_empty: Mapping[str, Any] | None = None) -> list[str]:
    """The fields `candidate` has a value for ("take all from X"); with `only_empty` (the
    local values), only those the book has no value for yet (`is_empty`)."""
    names = [n for n in FIELDS if candidate.value(n) is not None]
    return names if only_empty is None else empty_fields(only_empty, names)
