"""The hardcover_match rows: states, what re-matches, and the user's Pick/Exclude/Include."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.hardcover.matching.catalog import EditionInfo, HardcoverBook
from bookorbit_desktop.hardcover.matching.scoring import Evidence, LocalBook, decide
from bookorbit_desktop.hardcover.matching.store import (
    ERROR,
    EXCLUDED,
    LINKED,
    NEEDS_REVIEW,
    NO_MATCH,
    UNMATCHED,
    MatchRecord,
    clear_link,
    eligible_books,
    exclude,
    fingerprint,
    get_match,
    include,
    local_book,
    needs_matching,
    pin,
    record_user_book,
    save_decision,
    save_error,
    state_counts,
)
from bookorbit_desktop.library.store.models import Book, BookFile, HardcoverMatch, database
from tests.factories import add_book

DUNE = HardcoverBook(
    7,
    "Dune",
    authors=("Frank Herbert",),
    users_count=900,
    editions=(EditionInfo(70, 7, pages=600, reading_format="ebook", language="en"),),
)
LOCAL = LocalBook("Dune", ("Frank Herbert",), "en")


def linked_decision():
    decision = decide(LOCAL, [(DUNE, Evidence("isbn13"))], isbn_books=frozenset({7}))
    assert decision.outcome == LINKED
    return decision


def review_decision():
    other = HardcoverBook(8, "Dune", authors=("Frank Herbert",), users_count=900)
    decision = decide(LOCAL, [(DUNE, Evidence()), (other, Evidence())])
    assert decision.outcome == NEEDS_REVIEW
    return decision


def record(state, *, pinned=False, user_book_id=None, fingerprint="abc"):
    return MatchRecord(
        book_id=1, state=state, reason=None, hc_book_id=7 if state == LINKED else None,
        hc_edition_id=None, edition_pages=None, pinned=pinned, user_book_id=user_book_id,
        created_by_us=False, candidates=[], method=None, fingerprint=fingerprint, updated_at=0.0,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("current", "digest", "expected"),
    [
        (None, "abc", True),
        (record(UNMATCHED), "abc", True),
        (record(ERROR), "abc", True),
        (record(NO_MATCH), "abc", False),
        (record(NO_MATCH), "new", True),  # e.g. a Hardcover id saved in the file since
        (record(NEEDS_REVIEW), "abc", False),
        (record(NEEDS_REVIEW), "new", True),
        (record(LINKED), "abc", False),
        (record(LINKED), "new", True),  # auto link, nothing sent yet: re-evaluate
        (record(LINKED, user_book_id=5), "new", False),  # already synced: only Re-match
        (record(LINKED, pinned=True), "new", False),  # a pick is never overwritten
        (record(EXCLUDED), "new", False),
    ],
)
def test_needs_matching(current, digest, expected):
    assert needs_matching(current, digest) is expected


def test_local_book_and_fingerprint(library, tmp_path):
    book = add_book("Dune", ["Frank Herbert"], language="en-US", isbn13="978-0-441-01359-3")
    Book.update(isbn10="0441013597", hardcover_slug="dune", series="Dune", series_index=1.0).where(
        Book.id == book.id
    ).execute()
    BookFile.create(
        book=book, path=str(tmp_path / "d.CBZ"), format="CBZ", size=1, mtime=0,
        partial_md5="x", added_at=0,
    )  # fmt: skip
    local = local_book(Book.get_by_id(book.id))
    assert local == LocalBook(
        title="Dune", authors=("Frank Herbert",), language="en", series="Dune",
        series_index=1.0, isbn13="9780441013593", isbn10="0441013597",
        file_formats=frozenset({"cbz"}), hardcover_id=None, hardcover_slug="dune",
    )  # fmt: skip
    digest = fingerprint(local)
    assert digest == fingerprint(local_book(Book.get_by_id(book.id)))
    Book.update(hardcover_id=123).where(Book.id == book.id).execute()
    assert fingerprint(local_book(Book.get_by_id(book.id))) != digest


def test_eligible_books_skip_unread(library):
    reading = add_book("A", status="reading")
    add_book("B", status="unread")
    done = add_book("C", status="read")
    assert [b.id for b in eligible_books()] == [reading.id, done.id]
    assert [b.id for b in eligible_books([done.id])] == [done.id]


def test_save_decision_linked_review_and_no_match(library):
    book = add_book("Dune", status="reading").id
    saved = save_decision(book, linked_decision(), fingerprint="f1", edition_id=70,
                          edition_pages=600, now=10.0)  # fmt: skip
    assert saved is not None
    assert (saved.state, saved.hc_book_id, saved.hc_edition_id, saved.edition_pages) == (
        LINKED, 7, 70, 600,
    )  # fmt: skip
    assert (saved.method, saved.fingerprint, saved.updated_at) == ("isbn13", "f1", 10.0)
    assert saved.candidates[0]["book_id"] == 7 and saved.candidates[0]["grade"] == "strong"
    assert saved.syncable

    review = save_decision(book, review_decision(), fingerprint="f2", now=11.0)
    assert review is not None and review.state == NEEDS_REVIEW
    assert (review.hc_book_id, review.hc_edition_id, review.method) == (None, None, None)
    assert {c["book_id"] for c in review.candidates} == {7, 8}
    assert all("ambiguous" in c["differences"] for c in review.candidates)
    assert not review.syncable


def test_save_decision_never_overwrites_picks_exclusions_or_synced_links(library):
    picked, excluded, synced = (add_book(t, status="reading").id for t in "ABC")
    pin(picked, 99, edition_id=None, edition_pages=None, reason="picked by you")
    exclude(excluded)
    save_decision(synced, linked_decision(), fingerprint="f")
    record_user_book(synced, 555, created_by_us=True)
    for book in (picked, excluded, synced):
        assert save_decision(book, review_decision(), fingerprint="g") is None
    assert get_match(picked).hc_book_id == 99
    assert get_match(excluded).state == EXCLUDED
    assert (get_match(synced).state, get_match(synced).user_book_id) == (LINKED, 555)


def test_errors_do_not_replace_links(library):
    book = add_book("A", status="reading").id
    assert save_error(book, "timeout").state == ERROR
    save_decision(book, linked_decision(), fingerprint="f")
    assert save_error(book, "timeout") is None
    assert get_match(book).state == LINKED


def test_pick_pins_and_moving_to_another_book_forgets_the_old_entry(library):
    book = add_book("A", status="reading").id
    save_decision(book, linked_decision(), fingerprint="f")
    record_user_book(book, 555, created_by_us=False)
    same = pin(book, 7, edition_id=71, edition_pages=10, reason="picked by you")
    assert (same.pinned, same.method, same.user_book_id) == (True, "pick", 555)
    other = pin(book, 8, edition_id=None, edition_pages=None, reason="picked by you",
                candidate={"book_id": 8, "title": "Other"})  # fmt: skip
    assert (other.hc_book_id, other.user_book_id, other.created_by_us) == (8, None, False)
    assert other.candidates[0] == {"book_id": 8, "title": "Other"}


def test_clear_link_forgets_everything(library):
    book = add_book("A", status="reading").id
    pin(book, 7, edition_id=70, edition_pages=600, reason="picked by you")
    record_user_book(book, 555, created_by_us=True)
    cleared = clear_link(book, entry_kept=False)
    assert (cleared.state, cleared.hc_book_id, cleared.pinned) == (UNMATCHED, None, False)
    assert (cleared.user_book_id, cleared.created_by_us, cleared.candidates) == (None, False, [])
    assert needs_matching(cleared, "anything")


def test_exclude_and_include(library):
    linked, plain = add_book("A", status="reading").id, add_book("B", status="reading").id
    save_decision(linked, linked_decision(), fingerprint="f")
    assert exclude(linked).state == EXCLUDED and not get_match(linked).syncable
    assert get_match(linked).hc_book_id == 7  # kept for Include
    assert include(linked).state == LINKED
    exclude(plain)
    assert include(plain).state == UNMATCHED
    with pytest.raises(InvalidValueError):
        include(plain)


def test_record_user_book_only_claims_real_entries(library):
    book = add_book("A", status="reading").id
    assert record_user_book(book, None, created_by_us=True).created_by_us is False
    assert record_user_book(book, 12, created_by_us=True).created_by_us is True


def test_unknown_books_are_reported(library):
    for action in (
        lambda: exclude(999),
        lambda: clear_link(999, entry_kept=False),
        lambda: save_error(999, "x"),
    ):
        with pytest.raises(NotFoundError):
            action()
    assert get_match(999) is None


def test_state_counts(library):
    a, b = add_book("A", status="reading").id, add_book("B", status="reading").id
    save_decision(a, linked_decision(), fingerprint="f")
    exclude(b)
    counts = state_counts()
    assert counts[LINKED] == 1 and counts[EXCLUDED] == 1 and counts[NO_MATCH] == 0


def test_rows_are_deleted_with_their_book(library):
    book = add_book("A", status="reading").id
    save_decision(book, linked_decision(), fingerprint="f")
    Book.delete().where(Book.id == book).execute()
    assert HardcoverMatch.select().count() == 0


def test_model_and_migration_agree_on_columns(library):
    migrated = [c.name for c in database.get_columns("hardcover_match")]
    assert migrated == [f.column_name for f in HardcoverMatch._meta.sorted_fields]
