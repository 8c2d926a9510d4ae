"""The named doubts and differences between a local book and one Hardcover candidate.

Pure. Each check returns `Penalty` values in the manner of beets' distance penalties: a key
for code, a short label for people ("≠ volume (2 vs 10)", "audiobook"), a weight taken off
the score, an optional cap on the grade, and whether it proves a *different* book (a
difference) or only leaves a doubt. `matching` combines them into a grade and a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from bookorbit_desktop.hardcover.matching.catalog import (
    CATEGORY_GRAPHIC_NOVEL,
    CATEGORY_LIGHT_NOVEL,
    COMIC_ROLES,
    EditionInfo,
    HardcoverBook,
)
from bookorbit_desktop.hardcover.matching.normalize import (
    FORMAT_COMIC,
    FORMAT_PROSE,
    TitleParts,
    fold,
    parse_person,
    person_similarity,
    split_authors,
    text_similarity,
)
from bookorbit_desktop.hardcover.matching.volumes import FORMAT_AUDIO

AUTHOR_MATCH_MIN = 0.85  # two names this alike are the same person
AUTHOR_UNMATCHED_PENALTY = 0.05  # per share of the file's authors Hardcover does not list
AUTHOR_EXTRA_PENALTY = 0.10  # per share of Hardcover's authors the file does not list
SERIES_NAME_MIN = 0.80
COMIC_FILE_FORMATS = frozenset({"cbz", "cbr", "cb7", "cbt", "cba"})
PROSE_FILE_FORMATS = frozenset({"epub", "kepub", "fb2", "mobi", "azw3", "azw"})
FORMAT_INFERRED = "format_inferred"  # a doubt from the file's format alone: not a rival
ISBN_IDENTIFIERS = frozenset({"isbn13", "isbn10"})
IDENTIFIER_LABELS = {
    "hardcover_id": "Hardcover id in the file",
    "hardcover_slug": "Hardcover slug in the file",
    "hardcover_edition": "Hardcover edition id in the file",
    "isbn13": "ISBN-13",
    "isbn10": "ISBN-10",
}


class Grade(IntEnum):
    NONE = 0
    LOW = 1
    MEDIUM = 2
    STRONG = 3


@dataclass(frozen=True)
class LocalBook:
    """What the library knows about a book, as matching needs it."""

    title: str
    authors: tuple[str, ...] = ()
    language: str | None = None  # base code ("en")
    series: str | None = None
    series_index: float | None = None
    isbn13: str | None = None
    isbn10: str | None = None
    file_formats: frozenset[str] = frozenset()  # "epub", "cbz", ...
    hardcover_id: int | None = None
    hardcover_slug: str | None = None
    hardcover_edition_id: int | None = None


@dataclass(frozen=True)
class Evidence:
    """How a candidate was found: an identifier (and the edition an ISBN named), or search."""

    # hardcover_id | hardcover_slug | hardcover_edition | isbn13 | isbn10
    identifier: str | None = None
    edition: EditionInfo | None = None
    search_rank: int | None = None


@dataclass(frozen=True)
class Penalty:
    key: str
    label: str
    weight: float = 0.0
    cap: Grade | None = None
    difference: bool = False  # proves another book, rather than leaving a doubt


def doubt(key: str, label: str, weight: float = 0.0, cap: Grade | None = None) -> Penalty:
    return Penalty(key, label, weight, cap, difference=False)


def difference(key: str, label: str, weight: float, cap: Grade) -> Penalty:
    return Penalty(key, label, weight, cap, difference=True)


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 0.01


def series_similarity(a: str, b: str) -> float:
    return text_similarity(_drop_series_words(a), _drop_series_words(b))


def _drop_series_words(name: str) -> str:
    words = [w for w in fold(name).split() if w not in {"the", "series", "saga", "cycle"}]
    return " ".join(words) or fold(name)


def _latin(text: str) -> bool:
    return any("a" <= c <= "z" for c in text)


def author_check(local: LocalBook, book: HardcoverBook) -> tuple[float | None, list[Penalty]]:
    """Author similarity (None when it cannot be compared) and the author penalties."""
    mine = [p for a in local.authors for n in split_authors(a) if (p := parse_person(n))]
    # Each primary author with every other name Hardcover keeps for them.
    names = {n: [n] for n in book.authors}
    for author, alias in book.author_aliases:
        names.setdefault(author, [author]).append(alias)
    primary = [
        ps for forms in names.values() if (ps := [p for n in forms if (p := parse_person(n))])
    ]
    theirs = [p for forms in primary for p in forms]
    theirs += [p for n in book.contributors if (p := parse_person(n))]
    if not mine or not theirs:
        return None, [doubt("no_author", "no author to compare", cap=Grade.MEDIUM)]
    if {_latin(p.compact) for p in mine}.isdisjoint({_latin(p.compact) for p in theirs}):
        return None, [doubt("author_script", "author in another script", cap=Grade.MEDIUM)]
    best = [max(person_similarity(m, t) for t in theirs) for m in mine]
    if max(best) < AUTHOR_MATCH_MIN:
        return max(best), [difference("authors", "≠ author", 0.3, Grade.LOW)]
    unmatched = sum(1 for b in best if b < AUTHOR_MATCH_MIN) / len(best)
    extra = sum(
        1
        for forms in primary
        if max(person_similarity(t, m) for t in forms for m in mine) < AUTHOR_MATCH_MIN
    ) / max(len(primary), 1)
    score = max(best) - AUTHOR_UNMATCHED_PENALTY * unmatched - AUTHOR_EXTRA_PENALTY * extra
    return score, []


def volume_penalties(
    local: LocalBook, lp: TitleParts, book: HardcoverBook, bp: TitleParts
) -> list[Penalty]:
    """Volume, omnibus and title-number checks (both titles already parsed)."""
    found: list[Penalty] = []
    theirs_omnibus = bp.omnibus or book.compilation
    if lp.omnibus != theirs_omnibus:
        label = "omnibus" if theirs_omnibus else "not the omnibus"
        found.append(difference("omnibus", label, 0.3, Grade.LOW))
    series_name = local.series or lp.series_hint
    positions = [s.position for s in book.series if s.position is not None]
    in_series = [
        s.position
        for s in book.series
        if s.position is not None
        and series_name
        and series_similarity(series_name, s.name) >= SERIES_NAME_MIN
    ]
    mine = lp.volume.number if lp.volume else local.series_index
    theirs = bp.volume.number if bp.volume else (in_series[0] if in_series else None)
    if mine is not None and theirs is not None:
        if not _same(mine, theirs):
            label = f"≠ volume ({mine:g} vs {theirs:g})"
            found.append(difference("volume", label, 0.3, Grade.LOW))
    elif mine is not None and lp.volume is not None:
        trailing = bp.trailing_number
        confirmed = any(_same(mine, p) for p in positions)
        if not confirmed and not (trailing is not None and _same(trailing, mine)):
            found.append(doubt("volume_unconfirmed", "volume?", 0.05, Grade.MEDIUM))
    elif theirs is not None and bp.volume is not None and mine is None:
        trailing = lp.trailing_number
        if not (trailing is not None and _same(trailing, theirs)):
            label = f"volume? (Hardcover: {theirs:g})"
            found.append(doubt("volume_unconfirmed", label, 0.05, Grade.MEDIUM))
    elif mine is None and _series_name_with_one_subtitle(lp, book, bp):
        # "Mistborn: The Hero of Ages" against "Mistborn" (volume 1 of the series Mistborn):
        # the subtitle only one side has is what names the volume.
        found.append(doubt("volume_unconfirmed", "volume?", 0.05, Grade.MEDIUM))
    if _numbers(lp, bp) != _numbers(bp, lp):
        found.append(difference("number", "≠ number in title", 0.3, Grade.LOW))
    return found


def volume_confirmed(local: LocalBook, lp: TitleParts, book: HardcoverBook, bp: TitleParts) -> bool:
    """The file names a volume and the candidate is that volume of a series of that name."""
    mine = lp.volume.number if lp.volume else local.series_index
    series_name = local.series or lp.series_hint or lp.core
    if mine is None:
        return False
    if bp.volume is not None and _same(bp.volume.number, mine):
        return True
    return any(
        s.position is not None
        and _same(s.position, mine)
        and series_similarity(series_name, s.name) >= SERIES_NAME_MIN
        for s in book.series
    )


def _series_name_with_one_subtitle(lp: TitleParts, book: HardcoverBook, bp: TitleParts) -> bool:
    """Both titles are the candidate's series name, and only one of them has a subtitle."""
    if bool(lp.subtitle) == bool(bp.subtitle) or text_similarity(lp.core, bp.core) < 1.0:
        return False
    return any(series_similarity(bp.core, s.name) >= SERIES_NAME_MIN for s in book.series)


def _numbers(parts: TitleParts, other: TitleParts) -> frozenset[float]:
    """Numbers in a title, less a bare trailing number the other title calls its volume."""
    trailing = parts.trailing_number
    if parts.volume is None and other.volume is not None and trailing is not None:
        return parts.numbers - {trailing} if _same(trailing, other.volume.number) else parts.numbers
    return parts.numbers


def format_penalties(
    local: LocalBook, lp: TitleParts, book: HardcoverBook, bp: TitleParts
) -> list[Penalty]:
    """Manga vs novel vs light novel, and audiobook-only records."""
    said_here = set(lp.formats) - {FORMAT_AUDIO}  # what the file's title says
    mine = set(said_here)
    if local.file_formats & COMIC_FILE_FORMATS:
        mine.add(FORMAT_COMIC)
    said_there = set(bp.formats) - {FORMAT_AUDIO}  # what Hardcover's title says
    theirs = set(said_there)
    if book.category == CATEGORY_LIGHT_NOVEL:
        theirs.add(FORMAT_PROSE)
    elif book.category == CATEGORY_GRAPHIC_NOVEL or book.roles & COMIC_ROLES:
        theirs.add(FORMAT_COMIC)
    # A text ebook with no comic file is a novel or light novel: a comic record is then less
    # likely, and no rival to a novel with the same title and author.
    prose_file = bool(local.file_formats & PROSE_FILE_FORMATS) and not (
        local.file_formats & COMIC_FILE_FORMATS
    )
    found: list[Penalty] = []
    if len(mine) > 1:  # the file contradicts itself ("(manga): A Novel")
        found.append(doubt("format_unconfirmed", "format?", 0.05, Grade.MEDIUM))
    elif len(mine) == 1 and len(theirs) == 1 and mine != theirs:
        found.append(difference("format", "≠ format (manga vs novel)", 0.3, Grade.LOW))
    elif not mine and prose_file and theirs == {FORMAT_COMIC}:
        found.append(doubt(FORMAT_INFERRED, "comic? (the file is a text ebook)", 0.1, Grade.MEDIUM))
    elif not mine and FORMAT_COMIC in said_there:
        # Hardcover itself tells this record apart by its format: a full rival.
        found.append(doubt("format_unconfirmed", "manga?", 0.0, Grade.MEDIUM))
    elif not mine and FORMAT_COMIC in theirs:
        found.append(doubt("format_unconfirmed", "comic?", 0.05, Grade.MEDIUM))
    elif FORMAT_COMIC in said_here and not theirs:
        found.append(doubt("format_unconfirmed", "novel?", 0.05, Grade.MEDIUM))
    if book.audio_only or FORMAT_AUDIO in bp.formats:
        found.append(difference("audio_only", "audiobook", 0.15, Grade.MEDIUM))
    return found


def format_fit(
    local: LocalBook, lp: TitleParts, book: HardcoverBook, bp: TitleParts
) -> bool | None:
    """Whether the candidate is the kind of book the file is (a CBZ/CBR or a title saying
    "manga" is a comic; a text ebook or a title saying "novel" is prose); None if the file
    does not say. A record with no sign of being a comic counts as prose."""
    if local.file_formats & COMIC_FILE_FORMATS or FORMAT_COMIC in lp.formats:
        mine = FORMAT_COMIC
    elif local.file_formats & PROSE_FILE_FORMATS or FORMAT_PROSE in lp.formats:
        mine = FORMAT_PROSE
    else:
        return None
    comic = FORMAT_COMIC in bp.formats or (
        FORMAT_PROSE not in bp.formats
        and book.category != CATEGORY_LIGHT_NOVEL
        and (book.category == CATEGORY_GRAPHIC_NOVEL or bool(book.roles & COMIC_ROLES))
    )
    return mine == (FORMAT_COMIC if comic else FORMAT_PROSE)


def identifier_check(
    local: LocalBook,
    evidence: Evidence,
    *,
    title: float,
    disjoint: bool,
    isbn_title_min: float,
    id_title_min: float,
) -> tuple[bool, list[Penalty]]:
    """Whether the identifier that found a candidate can be trusted, with doubts if not.

    Stored ISBNs are sometimes another edition's or another volume's, and a saved Hardcover
    id can point at a book since merged or re-used, so each must agree with title and author.
    """
    kind = evidence.identifier
    if kind is None:
        return False, []
    label = IDENTIFIER_LABELS.get(kind, kind)
    if kind not in ISBN_IDENTIFIERS:
        if disjoint or title < id_title_min:
            return False, [doubt("id_title", f"{label} names another book")]
        return True, []
    doubts: list[Penalty] = []
    edition = evidence.edition
    if edition is not None and edition.is_audio:
        doubts.append(doubt("isbn_audio", f"{label} is an audiobook's"))
    if edition is not None and local.language and edition.language not in (None, local.language):
        doubts.append(doubt("isbn_language", f"{label} is a {edition.language} edition"))
    if title < isbn_title_min:
        doubts.append(doubt("isbn_title", f"{label} names another title"))
    return not doubts and not disjoint, doubts
