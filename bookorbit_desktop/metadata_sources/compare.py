"""Compare the candidates with the book's own values, field by field, and pick the best.

Pure: plain values in, plain values out. `compare` says, per field, which candidates differ
from the local value (in NFC, case and spacing aside) and which differ in capitals only;
`best_values` applies the rule below; `take_all` gives every field one source has;
`is_empty` (`placeholders`) says which of a book's fields count as empty for "Fill Empty
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
the earlier source in `SOURCE_ORDER` wins. Given the book's own values, two more rules hold:

- a record of another edition (`editions.other_edition`: its language or title disagrees
  with the book's) gives nothing: the user may tick its values by hand;
- a value poorer than the book's is never picked (`poorer`): a shorter description, fewer
  authors, a cover not known to be larger than the book's (a cover not loaded has no size).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.descriptions import plain_text
from bookorbit_desktop.metadata_sources.editions import other_edition
from bookorbit_desktop.metadata_sources.placeholders import empty_fields, is_empty, plain
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


Size = tuple[int, int]  # a picture's width and height in pixels


def _area(candidate: Candidate) -> int:
    return (candidate.cover_width or 0) * (candidate.cover_height or 0)


def poorer(name: str, local: Any, candidate: Candidate, cover_size: Size | None = None) -> bool:
    """Whether `candidate`'s value of `name` is poorer than the book's `local` one: a shorter
    description, fewer authors, a cover not known to be larger than the book's (`cover_size`,
    its pixels when known). Nothing is poorer than no value."""
    if is_empty(name, local):
        return False
    if name == "description":
        return len(plain_text(candidate.description or "")) < len(plain_text(str(local)))
    if name == "authors":
        return len(candidate.authors) < len([a for a in local if not is_empty("authors", [a])])
    if name == "cover":
        return cover_size is None or _area(candidate) <= cover_size[0] * cover_size[1]
    return False


def best_values(
    candidates: Iterable[Candidate],
    local: Mapping[str, Any] | None = None,
    *,
    cover_size: Size | None = None,
) -> dict[str, Candidate]:
    """Field -> the candidate whose value is best for it (fields nobody has are left out).
    With the book's `local` values (and its cover's `cover_size`), records of another edition
    and values poorer than the book's are passed over (see the module's docstring)."""
    if local is not None:
        candidates = [c for c in candidates if other_edition(local, c) is None]
    ordered = sorted(candidates, key=rank)
    chosen: dict[str, Candidate] = {}
    for name in FIELDS:
        having = [c for c in ordered if c.value(name) is not None]
        if local is not None:
            having = [c for c in having if not poorer(name, local.get(name), c, cover_size)]
        if not having:
            continue
        if name == "cover":
            top = rank(having[0])[0]
            same_row = [c for c in having if rank(c)[0] == top]
            chosen[name] = max(same_row, key=_area)  # max keeps the first on a tie
        else:
            chosen[name] = having[0]
    return chosen


SAME, CASE, DIFFERS = "same", "case", "differs"


def difference(name: str, local: Any, found: Any) -> str:
    """How the candidate's value stands to the local one: SAME (in NFC, spacing aside), CASE
    (in capitals only) or DIFFERS. A cover's address never says whether it is the book's
    picture: two covers differ until the pictures are compared (the window does)."""
    if local in (None, "", ()) or found in (None, "", ()):
        same = local in (None, "", ()) and found in (None, "", ())
        return SAME if same else DIFFERS
    if name == "cover":
        return DIFFERS
    if name == "series_index":
        return SAME if float(local) == float(found) else DIFFERS
    if name == "authors":
        mine, theirs = [_spaced(a) for a in local], [_spaced(a) for a in found]
    else:
        mine, theirs = [_spaced(str(local))], [_spaced(str(found))]
    if mine == theirs:
        return SAME
    return CASE if [plain(a) for a in mine] == [plain(a) for a in theirs] else DIFFERS


def _spaced(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(frozen=True)
class FieldRow:
    """One field of the comparison: the local value, each source's, and which differ."""

    name: str
    local: Any
    values: dict[str, Any]  # source -> its value (sources without one are left out)
    differs: frozenset[str]  # the sources whose value differs from the local one
    best: str | None  # the source the rule picks for this field
    case_only: frozenset[str] = frozenset()  # the sources whose value differs in capitals only


def firsts(candidates: Iterable[Candidate]) -> dict[str, Candidate]:
    """Each source's first candidate (its best match), in source order."""
    found: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=rank):
        found.setdefault(candidate.source, candidate)
    return dict(sorted(found.items(), key=lambda item: rank(item[1])[1]))


def other_editions(local: Mapping[str, Any], candidates: Iterable[Candidate]) -> dict[str, str]:
    """Source -> why its first candidate is another edition than the book, for those that are."""
    found = {s: other_edition(local, c) for s, c in firsts(candidates).items()}
    return {s: why for s, why in found.items() if why is not None}


def compare(
    local: Mapping[str, Any], candidates: Iterable[Candidate], *, cover_size: Size | None = None
) -> list[FieldRow]:
    """Every field, with the first candidate of each source (its best match)."""
    first = firsts(candidates)
    best = best_values(first.values(), local, cover_size=cover_size)
    rows = []
    for name in FIELDS:
        values = {s: c.value(name) for s, c in first.items() if c.value(name) is not None}
        marks = {s: difference(name, local.get(name), v) for s, v in values.items()}
        chosen = best.get(name)
        rows.append(
            FieldRow(
                name,
                local.get(name),
                values,
                frozenset(s for s, m in marks.items() if m == DIFFERS),
                chosen.source if chosen is not None else None,
                frozenset(s for s, m in marks.items() if m == CASE),
            )
        )
    return rows


# A picture as `same_picture` compares it: its aspect ratio (width / height) and its grey
# levels scaled to THUMB × THUMB pixels, row by row.
Thumbnail = tuple[float, bytes]
THUMB = 16


def same_picture(a: Thumbnail, b: Thumbnail) -> bool:
    """Whether two pictures show the same cover, whatever their size or encoding (a cover
    applied from a source is stored re-encoded, often smaller): aspect ratios within 3 % and
    grey levels within 12 of 255 on average."""
    (ratio_a, grey_a), (ratio_b, grey_b) = a, b
    if not grey_a or len(grey_a) != len(grey_b) or min(ratio_a, ratio_b) <= 0:
        return False
    if abs(ratio_a - ratio_b) / max(ratio_a, ratio_b) > 0.03:
        return False
    return sum(abs(x - y) for x, y in zip(grey_a, grey_b, strict=True)) / len(grey_a) <= 12


def take_all(candidate: Candidate, *, only_empty: Mapping[str, Any] | None = None) -> list[str]:
    """The fields `candidate` has a value for ("take all from X"); with `only_empty` (the
    local values), only those the book has no value for yet (`is_empty`)."""
    names = [n for n in FIELDS if candidate.value(n) is not None]
    return names if only_empty is None else empty_fields(only_empty, names)
