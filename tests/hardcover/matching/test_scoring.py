"""Candidate scoring and the link decision, driven by the trap catalogue in match_traps.py."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.hardcover.matching.catalog import (
    CATEGORY_GRAPHIC_NOVEL,
    COMIC_ROLES,
    HardcoverBook,
)
from bookorbit_desktop.hardcover.matching.normalize import parse_title
from bookorbit_desktop.hardcover.matching.scoring import (
    LINKED,
    NEEDS_REVIEW,
    NO_MATCH,
    Evidence,
    Grade,
    LocalBook,
    decide,
    score_candidate,
)
from tests.hardcover.matching.match_traps import HC, TRAPS, Trap, work


def _found(trap: Trap) -> list[tuple[HardcoverBook, Evidence]]:
    found: list[tuple[HardcoverBook, Evidence]] = []
    for key in trap.isbn:
        isbn_edition = next(
            (e for e in HC[key].editions if trap.local.isbn13 in (e.isbn_13, e.isbn_10)), None
        )
        found.append((HC[key], Evidence("isbn13", isbn_edition)))
    if trap.hardcover_id:
        found.append((HC[trap.hardcover_id], Evidence("hardcover_id")))
    found += [(HC[key], Evidence(search_rank=rank)) for rank, key in enumerate(trap.found)]
    return found


def _decide(trap: Trap):
    isbn_books = frozenset(HC[key].id for key in trap.isbn)
    return decide(trap.local, _found(trap), isbn_books=isbn_books)


@pytest.mark.parametrize("trap", TRAPS, ids=[t.name for t in TRAPS])
def test_trap(trap: Trap):
    decision = _decide(trap)
    assert decision.outcome == trap.outcome, decision.reason
    if trap.outcome == LINKED:
        assert decision.best is not None
        assert decision.best.book.id == HC[trap.linked].id, decision.reason
        assert decision.best.grade == Grade.STRONG
    if trap.outcome == NEEDS_REVIEW:
        assert decision.ranked, "review keeps its candidates"
        assert all(s.grade < Grade.STRONG for s in decision.ranked)
    by_id = {s.book.id: s for s in decision.ranked}
    for key, expected in trap.penalties.items():
        keys = {p.key for p in by_id[HC[key].id].penalties}
        assert set(expected) <= keys, (key, keys)


def test_zero_wrong_links_in_the_trap_catalogue():
    wrong = []
    for trap in TRAPS:
        decision = _decide(trap)
        if decision.outcome == LINKED:
            linked = next(k for k, b in HC.items() if b.id == decision.best.book.id)
            if trap.linked is None or work(linked) != work(trap.linked):
                wrong.append((trap.name, linked))
    assert wrong == []


def _local_from(book: HardcoverBook) -> LocalBook:
    series = book.series[0] if book.series else None
    title = book.title if not book.subtitle else f"{book.title}: {book.subtitle}"
    if book.compilation:  # a file of a compilation says so, and is no single volume
        title, series = f"{title} (Omnibus)", None
    return LocalBook(
        title=title,
        authors=book.authors,
        language=book.text_editions[0].language if book.text_editions else "en",
        series=series.name if series else None,
        series_index=series.position if series else None,
        file_formats=frozenset({"cbz"} if _comic(book) else {"epub"}),
    )


def _comic(book: HardcoverBook) -> bool:
    return book.category == CATEGORY_GRAPHIC_NOVEL or bool(book.roles & COMIC_ROLES)


# Every Hardcover record, seen as a local book, against every OTHER work in the catalogue:
# whatever is found, it must never be linked.
PAIRS = [(a, b) for a, b in itertools.permutations(sorted(HC), 2) if work(a) != work(b) and a != b]


def test_no_record_links_to_another_work():
    wrong = []
    for mine, theirs in PAIRS:
        decision = decide(_local_from(HC[mine]), [(HC[theirs], Evidence(search_rank=0))])
        if decision.outcome == LINKED:
            wrong.append((mine, theirs, decision.reason))
    assert wrong == []


def test_no_record_links_to_another_work_even_among_all_others():
    wrong = []
    for mine in HC:
        others = [
            (HC[k], Evidence(search_rank=i)) for i, k in enumerate(HC) if work(k) != work(mine)
        ]
        decision = decide(_local_from(HC[mine]), others)
        if decision.outcome == LINKED:
            wrong.append((mine, decision.reason))
    assert wrong == []


def test_every_record_finds_itself():
    """The mirror of the above: a clean local copy of a record links to that record."""
    unlinked = []
    for key, book in HC.items():
        if book.gone or book.audio_only:
            continue
        decision = decide(_local_from(book), [(book, Evidence(search_rank=0))])
        if decision.outcome != LINKED:
            unlinked.append((key, decision.reason))
    assert unlinked == []


@pytest.mark.parametrize(
    ("change", "penalty"),
    [
        ({"language": "fr"}, "language"),
        ({"series_index": 5.0}, "volume"),
        ({"authors": ("Someone Else",)}, "authors"),
        ({"authors": ()}, "no_author"),
        ({"title": "Leviathan Wakes Omnibus"}, "omnibus"),
        ({"title": "Leviathan Wakes (manga)"}, "format_unconfirmed"),
    ],
)
def test_each_cap_alone_forbids_a_link(change, penalty):
    book = HC["leviathan"]
    local = replace(_local_from(book), **change)
    scored = score_candidate(local, book)
    assert penalty in {p.key for p in scored.penalties}
    assert scored.grade < Grade.STRONG
    assert decide(local, [(book, Evidence(search_rank=0))]).outcome != LINKED


def test_conflicting_isbn_caps_even_a_perfect_title_match():
    book = HC["leviathan"]
    local = _local_from(book)
    clean = score_candidate(local, book)
    conflicted = score_candidate(local, book, isbn_books=frozenset({HC["calibans_war"].id}))
    assert clean.grade == Grade.STRONG
    assert conflicted.grade == Grade.LOW
    assert "≠ ISBN" in conflicted.differences


def test_isbn_hit_with_the_wrong_title_is_not_accepted():
    local = LocalBook("The Hobbit", ("J.R.R. Tolkien",), "en", isbn13="9780000000002")
    scored = score_candidate(local, HC["rebecca"], Evidence("isbn13"))
    assert not scored.identifier_accepted
    assert scored.grade < Grade.STRONG
    assert {"isbn_title", "authors"} <= {p.key for p in scored.penalties}


def test_two_books_claiming_one_isbn_are_ambiguous():
    local = LocalBook("Dune", ("Frank Herbert",), "en", isbn13="9780441013593")
    found = [(HC["dune"], Evidence("isbn13")), (HC["dune_dup"], Evidence("isbn13"))]
    decision = decide(local, found, isbn_books=frozenset({HC["dune"].id, HC["dune_dup"].id}))
    assert decision.outcome == NEEDS_REVIEW
    assert "ambiguous" in decision.best.differences


def test_differences_line_names_the_reasons():
    local = LocalBook("Berserk, Vol. 2", ("Kentaro Miura",), "en")
    scored = score_candidate(local, HC["berserk10"])
    assert scored.differences.startswith("≠ volume (2 vs 10)")


def test_review_and_link_reasons_are_readable():
    linked = _decide(TRAPS[0])
    assert linked.reason == "title and author match “Dune” by Frank Herbert (100%)"
    local = LocalBook("Berserk, Vol. 2", ("Kentaro Miura",), "en")
    review = decide(local, [(HC["berserk10"], Evidence())])
    assert review.reason.startswith("closest is “Berserk, Vol. 10” by Kentaro Miura")
    assert review.reason.endswith("≠ volume (2 vs 10)")


def test_candidates_are_ranked_best_first_and_capped():
    local = LocalBook("Dune", ("Frank Herbert",), "en")
    decision = decide(local, [(b, Evidence()) for b in HC.values()])
    grades = [s.grade for s in decision.ranked]
    assert grades == sorted(grades, reverse=True)
    assert len(decision.ranked) <= 8


def test_outcome_constants():
    assert {LINKED, NEEDS_REVIEW, NO_MATCH} == {"linked", "needs_review", "no_match"}


def test_matching_rules_are_pure():
    """The rules import no network, GUI or database code (checked in a fresh interpreter)."""
    import subprocess
    import sys

    modules = [
        "bookorbit_desktop.hardcover.matching.scoring",
        "bookorbit_desktop.hardcover.matching.editions",
        "bookorbit_desktop.hardcover.matching.normalize",
    ]
    code = (
        f"import sys; import {', '.join(modules)}; "
        "print(sorted(m for m in ('aiohttp', 'PySide6', 'peewee', 'qasync') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _variant(book: HardcoverBook, style: dict) -> LocalBook:
    """A local copy of `book` written the way real files write it."""
    local = _local_from(book)
    title = local.title
    if style["case"]:
        title = title.upper() if style["case"] == "upper" else title.lower()
    if style["novel"]:
        title = f"{title}: A Novel"
    authors = local.authors
    if style["inverted"] and authors:
        first, _, last = authors[0].rpartition(" ")
        authors = (f"{last}, {first}" if first else last, *authors[1:])
    return replace(local, title=title, authors=authors, language=style["language"])


STYLES = st.fixed_dictionaries(
    {
        "case": st.sampled_from([None, "upper", "lower"]),
        "novel": st.booleans(),
        "inverted": st.booleans(),
        "language": st.sampled_from(["en", None]),
    }
)
KEYS = sorted(HC)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(KEYS), st.sampled_from(KEYS), STYLES)
def test_written_differently_a_book_never_links_to_another_work(mine, theirs, style):
    assume(work(mine) != work(theirs))
    local = _variant(HC[mine], style)
    decision = decide(local, [(HC[theirs], Evidence(search_rank=0))])
    assert decision.outcome != LINKED, decision.reason


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(KEYS), STYLES)
def test_written_differently_a_plain_book_still_finds_itself(key, style):
    book = HC[key]
    assume(not book.gone and not book.audio_only and not book.compilation and not _comic(book))
    assume(style["language"] is None or style["language"] in book.languages)
    assume(not (style["novel"] and parse_title(book.title).formats))  # that would contradict it
    local = _variant(book, style)
    decision = decide(local, [(book, Evidence(search_rank=0))])
    assert decision.outcome == LINKED, decision.reason
