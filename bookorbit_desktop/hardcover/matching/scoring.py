"""Scoring Hardcover candidates for a local book and deciding whether to link one.

Pure: no I/O. Candidates are scored in tiers as Picard does (an identifier that survives a
sanity check decides; otherwise title/author/series similarity; format, language and
popularity only break near-ties) and every doubt or difference is a named `Penalty`
(`penalties.py`), as in beets, so the UI can say why ("≠ volume, audiobook"). Grades run
none < low < medium < strong. Only a strong candidate is linked automatically and some
penalties cap the grade whatever the score. Refusing is always better than guessing:
anything short of strong becomes "needs review" with its candidates kept, never a link.

Thresholds (scores are 0..1):

    constant                value  meaning
    STRONG_MIN              0.88   score needed for strong
    MEDIUM_MIN              0.70   score needed for medium
    LOW_MIN                 0.45   score needed for low (worth showing for review)
    STRONG_TITLE_MIN        0.92   title similarity a search-only strong needs
    STRONG_AUTHOR_MIN       0.90   author similarity a search-only strong needs
    STRONG_MARGIN           0.06   lead over any plausible rival a strong needs
    ISBN_TITLE_MIN          0.80   title similarity an ISBN hit needs to count
    HARDCOVER_ID_TITLE_MIN  0.60   the same for a Hardcover id or slug saved in the file
    IDENTIFIER_FLOOR        0.90   an accepted identifier lifts the score to at least this

    cap (never linked automatically)             grade at most
    ≠ volume, ≠ number in title, omnibus         low
    ≠ author (disjoint), ≠ ISBN, merged          low
    ≠ format (manga vs novel)                    low
    ≠ language, audiobook only                   medium
    volume?, manga?/comic?, no author, ambiguous medium  (doubts, not differences)

A "plausible rival" is another candidate with no difference and no unconfirmed volume, and
not of another kind than the file when the best one is of its kind (a CBZ is a comic, an
EPUB a novel: with a comic and a novel alike in all else, the file's format decides); a
strong candidate whose lead over one is under STRONG_MARGIN is ambiguous, and so is a book
whose identifier another book also claims.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bookorbit_desktop.hardcover.matching.catalog import HardcoverBook
from bookorbit_desktop.hardcover.matching.normalize import TitleParts, parse_title, title_similarity
from bookorbit_desktop.hardcover.matching.penalties import (
    FORMAT_INFERRED,
    IDENTIFIER_LABELS,
    Evidence,
    Grade,
    LocalBook,
    Penalty,
    author_check,
    difference,
    doubt,
    format_fit,
    format_penalties,
    identifier_check,
    series_similarity,
    volume_confirmed,
    volume_penalties,
)

__all__ = [
    "LINKED",
    "NEEDS_REVIEW",
    "NO_MATCH",
    "Decision",
    "Evidence",
    "Grade",
    "LocalBook",
    "Penalty",
    "Scored",
    "decide",
    "rank_key",
    "score_candidate",
]

STRONG_MIN = 0.88
MEDIUM_MIN = 0.70
LOW_MIN = 0.45
STRONG_TITLE_MIN = 0.92
STRONG_AUTHOR_MIN = 0.90
STRONG_MARGIN = 0.06
ISBN_TITLE_MIN = 0.80
HARDCOVER_ID_TITLE_MIN = 0.60
IDENTIFIER_FLOOR = 0.90
# Weights of the similarity tier (renormalised over the parts both sides have).
TITLE_WEIGHT, AUTHOR_WEIGHT, SERIES_WEIGHT = 0.55, 0.35, 0.10
# Similarity dominates; preferences (popularity, language, a text edition with pages) only
# break near-ties.
SIMILARITY_SHARE, PREFERENCE_SHARE = 0.92, 0.08
# A title matched through an alternative title or another language's edition loses a little.
ALTERNATIVE_TITLE_PENALTY = 0.02
KEPT_CANDIDATES = 8
# Doubts about authors do not hold back a book an accepted identifier names.
_AUTHOR_DOUBTS = frozenset({"no_author", "author_script"})

# Doubts that keep a candidate from standing in another's way (a volume the title does not
# confirm; a comic record when the file is a text ebook).
_NOT_RIVALS = frozenset({"volume_unconfirmed", FORMAT_INFERRED})

LINKED, NEEDS_REVIEW, NO_MATCH = "linked", "needs_review", "no_match"


@dataclass(frozen=True)
class Scored:
    book: HardcoverBook
    evidence: Evidence
    score: float  # after penalties
    grade: Grade
    title: float
    author: float | None
    identifier_accepted: bool
    penalties: tuple[Penalty, ...] = ()
    format_fit: bool | None = None  # the candidate is the kind of book the file is

    @property
    def differences(self) -> str:
        """The short "why not" line: "≠ volume (2 vs 10), audiobook"."""
        return ", ".join(p.label for p in self.penalties)

    @property
    def plausible_rival(self) -> bool:
        return not any(p.difference or p.key in _NOT_RIVALS for p in self.penalties)


@dataclass(frozen=True)
class Decision:
    outcome: str  # LINKED | NEEDS_REVIEW | NO_MATCH
    reason: str
    best: Scored | None
    ranked: tuple[Scored, ...]


def _title_score(
    lp: TitleParts, book: HardcoverBook, evidence: Evidence, language: str | None
) -> float:
    """Best similarity to the book's title, alternative titles and editions' titles."""
    best = title_similarity(lp, parse_title(book.title, book.subtitle))
    variants: list[tuple[str | None, str | None, float]] = [
        (alt, None, ALTERNATIVE_TITLE_PENALTY) for alt in book.alternative_titles
    ]
    for edition in book.editions:
        cost = 0.0 if language and edition.language == language else ALTERNATIVE_TITLE_PENALTY
        variants.append((edition.title, edition.subtitle, cost))
    if evidence.edition is not None:
        variants.append((evidence.edition.title, evidence.edition.subtitle, 0.0))
    for title, subtitle, cost in variants:
        if title:
            best = max(best, title_similarity(lp, parse_title(title, subtitle)) - cost)
    return best


def _preference(local: LocalBook, book: HardcoverBook) -> float:
    popularity = min(1.0, math.log10(book.users_count + 1) / 4)
    if local.language is None or not book.languages:
        language = 0.5
    else:
        language = 1.0 if local.language in book.languages else 0.0
    text_with_pages = 1.0 if any(e.pages for e in book.text_editions) else 0.0
    return 0.6 * popularity + 0.2 * language + 0.2 * text_with_pages


def _grade_of(score: float) -> Grade:
    if score >= STRONG_MIN:
        return Grade.STRONG
    if score >= MEDIUM_MIN:
        return Grade.MEDIUM
    return Grade.LOW if score >= LOW_MIN else Grade.NONE


def _series_score(series_name: str | None, book: HardcoverBook) -> float | None:
    """How well the book's series fits the local one (None: nothing to compare)."""
    if not series_name or not book.series:
        return None
    return max(series_similarity(series_name, s.name) for s in book.series)


def score_candidate(
    local: LocalBook,
    book: HardcoverBook,
    evidence: Evidence | None = None,
    *,
    isbn_books: frozenset[int] = frozenset(),
    isbn_elsewhere: bool = False,
) -> Scored:
    """Score one candidate. `isbn_books` are the books the file's ISBNs resolved to;
    `isbn_elsewhere` says each of them is proven to be another book (another volume)."""
    evidence = evidence or Evidence()
    lp, bp = parse_title(local.title), parse_title(book.title, book.subtitle)
    title = _title_score(lp, book, evidence, local.language)
    author, penalties = author_check(local, book)
    series = _series_score(local.series or lp.series_hint, book)
    if series is not None and series < 0.5:
        penalties.append(doubt("series", "≠ series", 0.03))
    penalties += volume_penalties(local, lp, book, bp)
    penalties += format_penalties(local, lp, book, bp)
    if local.language and book.languages and local.language not in book.languages:
        label = f"≠ language ({', '.join(sorted(book.languages))})"
        penalties.append(difference("language", label, 0.1, Grade.MEDIUM))
    if isbn_books and book.id not in isbn_books:
        # An ISBN proven to be another book's says nothing about this one, as long as title,
        # author and the series position all agree; otherwise it still counts against it.
        moot = isbn_elsewhere and volume_confirmed(local, lp, book, bp)
        if not moot:
            penalties.append(difference("isbn_conflict", "≠ ISBN", 0.2, Grade.LOW))
    if book.gone:
        penalties.append(difference("merged", "merged or deleted", 0.2, Grade.LOW))
    accepted, doubts = identifier_check(
        local,
        evidence,
        title=title,
        disjoint=any(p.key == "authors" for p in penalties),
        isbn_title_min=ISBN_TITLE_MIN,
        id_title_min=HARDCOVER_ID_TITLE_MIN,
    )
    penalties += doubts
    if accepted:
        penalties = [p for p in penalties if p.key not in _AUTHOR_DOUBTS]
    parts = [(TITLE_WEIGHT, title), (AUTHOR_WEIGHT, author), (SERIES_WEIGHT, series)]
    present = [(w, v) for w, v in parts if v is not None]
    similarity = sum(w * v for w, v in present) / sum(w for w, _ in present)
    if accepted:
        raw = IDENTIFIER_FLOOR + (1 - IDENTIFIER_FLOOR) * similarity
    else:
        raw = SIMILARITY_SHARE * similarity + PREFERENCE_SHARE * _preference(local, book)
    score = max(0.0, min(1.0, raw - sum(p.weight for p in penalties)))
    grade = _grade_of(score)
    weak = title < STRONG_TITLE_MIN or author is None or author < STRONG_AUTHOR_MIN
    if grade == Grade.STRONG and not accepted and weak:
        grade = Grade.MEDIUM
    for penalty in penalties:
        if penalty.cap is not None:
            grade = min(grade, penalty.cap)
    fit = format_fit(local, lp, book, bp)
    return Scored(book, evidence, score, grade, title, author, accepted, tuple(penalties), fit)


def _merge(found: Iterable[tuple[HardcoverBook, Evidence]]) -> list[tuple[HardcoverBook, Evidence]]:
    """One entry per book: the record with most editions; an identifier beats a search hit."""
    merged: dict[int, tuple[HardcoverBook, Evidence]] = {}
    for book, evidence in found:
        if book.id not in merged:
            merged[book.id] = (book, evidence)
            continue
        old_book, old_evidence = merged[book.id]
        richer = book if len(book.editions) > len(old_book.editions) else old_book
        chosen = old_evidence if old_evidence.identifier else evidence
        rank = evidence.search_rank if chosen is old_evidence else old_evidence.search_rank
        if chosen.search_rank is None and rank is not None:
            chosen = replace(chosen, search_rank=rank)
        merged[book.id] = (richer, chosen)
    return list(merged.values())


def rank_key(scored: Scored) -> tuple[int, float, int, int]:
    return (-int(scored.grade), -scored.score, -scored.book.users_count, scored.book.id)


def _isbn_proven_elsewhere(scored: Iterable[Scored], isbn_books: frozenset[int]) -> bool:
    """Every book the file's ISBNs name differs from the file in a way that proves it is
    another book (another volume, another author, an omnibus)."""
    named = [s for s in scored if s.book.id in isbn_books]
    return bool(named) and all(any(p.difference for p in s.penalties) for s in named)


def _rivals(best: Scored, others: Iterable[Scored]) -> list[Scored]:
    """Other candidates that could just as well be the book."""
    found = []
    for other in others:
        if other.book.id == best.book.id or not other.plausible_rival:
            continue
        if best.format_fit and other.format_fit is False:
            continue  # a comic and a novel alike in all else: the file's format decides
        if best.identifier_accepted:
            if other.identifier_accepted:  # two books claim the same identifier
                found.append(other)
        elif best.score - other.score < STRONG_MARGIN:
            found.append(other)
    return found


def _format_first(scored: list[Scored]) -> list[Scored]:
    """A strong candidate of the file's kind ahead of a near-tied one of another kind."""
    best = scored[0]
    if best.format_fit is not False:
        return scored
    for other in scored[1:]:
        near = best.score - other.score < STRONG_MARGIN
        if near and other.grade == Grade.STRONG and other.format_fit and other.plausible_rival:
            return [other, *(s for s in scored if s is not other)]
    return scored


def _mark_ambiguous(scored: Scored) -> Scored:
    penalty = doubt("ambiguous", "ambiguous", cap=Grade.MEDIUM)
    return replace(
        scored, grade=min(scored.grade, Grade.MEDIUM), penalties=(*scored.penalties, penalty)
    )


def decide(
    local: LocalBook,
    found: Iterable[tuple[HardcoverBook, Evidence]],
    *,
    isbn_books: frozenset[int] = frozenset(),
) -> Decision:
    """Score every candidate and decide: linked, needs review (candidates kept) or no match."""
    candidates = _merge(found)
    scored = [score_candidate(local, b, e, isbn_books=isbn_books) for b, e in candidates]
    if isbn_books and _isbn_proven_elsewhere(scored, isbn_books):
        scored = [
            score_candidate(local, b, e, isbn_books=isbn_books, isbn_elsewhere=True)
            for b, e in candidates
        ]
    scored.sort(key=rank_key)
    if not scored:
        return Decision(NO_MATCH, "Hardcover has no book that resembles it", None, ())
    if scored[0].grade == Grade.STRONG:
        scored = _format_first(scored)
        rivals = {s.book.id for s in _rivals(scored[0], scored[1:])}
        if rivals:
            rivals.add(scored[0].book.id)
            scored = [_mark_ambiguous(s) if s.book.id in rivals else s for s in scored]
            scored.sort(key=rank_key)
    best = scored[0]
    kept = tuple(scored[:KEPT_CANDIDATES])
    if best.grade == Grade.STRONG:
        return Decision(LINKED, link_reason(best), best, kept)
    if best.grade >= Grade.LOW:
        return Decision(NEEDS_REVIEW, review_reason(best), best, kept)
    return Decision(NO_MATCH, "no Hardcover book is close enough", None, kept)


def describe(book: HardcoverBook) -> str:
    authors = ", ".join(book.authors[:2]) or "unknown author"
    return f"“{book.title}” by {authors}"


def link_reason(best: Scored) -> str:
    if best.identifier_accepted and best.evidence.identifier:
        label = IDENTIFIER_LABELS.get(best.evidence.identifier, best.evidence.identifier)
        return f"{label} matches {describe(best.book)}; title and author agree"
    return f"title and author match {describe(best.book)} ({round(best.score * 100)}%)"


def review_reason(best: Scored) -> str:
    why = best.differences or "not similar enough to be sure"
    return f"closest is {describe(best.book)} ({round(best.score * 100)}%): {why}"
