"""The Fill Empty Fields review names each left-out book by title, authors and id, so two books
of one title ("emma" and "Emma") are told apart."""

from __future__ import annotations

from bookorbit_desktop.services.metadata.apply import FillPlan, LeftOut
from bookorbit_desktop.ui.metadata.fill_review import FillReview, rows

FRENCH = "another edition: French, not English"


def test_left_out_books_of_one_title_are_told_apart(qtbot):
    left_out = (
        LeftOut(7, "emma", "openlibrary", FRENCH, ("Jane Austen",)),
        LeftOut(9, "Emma", "openlibrary", FRENCH, ("Jane Austen", "Fiona Stafford")),
        LeftOut(12, "Emma", "google", FRENCH),  # a book without authors
    )
    review = FillReview(FillPlan({}, {}, left_out), 3)
    qtbot.addWidget(review)
    assert rows(review.left_out) == [
        ["emma", "Jane Austen", "7", "Open Library", FRENCH],
        ["Emma", "Jane Austen, Fiona Stafford", "9", "Open Library", FRENCH],
        ["Emma", "—", "12", "Google Books", FRENCH],
    ]
