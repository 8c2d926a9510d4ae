"""Words of the sync dialog: durations, counts, steps, when a pass is reviewed first."""

from __future__ import annotations

import pytest

from bookorbit_desktop.ui.sync import progress_text as words


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "a few seconds"),
        (9.9, "a few seconds"),
        (10, "10 seconds"),
        (44, "40 seconds"),
        (59, "60 seconds"),
        (60, "about 1 minute"),
        (150, "about 2 minutes"),
        (89 * 60, "about 89 minutes"),
        (90 * 60, "about 2 hours"),
        (3 * 3600, "about 3 hours"),
    ],
)
def test_duration_text(seconds, text):
    assert words.duration_text(seconds) == text


@pytest.mark.parametrize(
    ("counts", "text"),
    [
        ({}, ""),
        ({"sent": 0, "failed": 0}, ""),
        ({"failed": 1, "sent": 3}, "3 sent · 1 failed"),
        (
            {"not_matched": 2, "needs_review": 1, "up_to_date": 12, "sent": 1},
            "1 sent · 12 up to date · 1 need review · 2 not matched",
        ),
        ({"skipped": 4, "sent": 1}, "1 sent · 4 not reached"),
    ],
)
def test_counts_line(counts, text):
    assert words.counts_line(counts) == text


@pytest.mark.parametrize(
    ("phase", "done", "total", "text"),
    [
        ("match", 3, 40, "Matching 3 of 40"),
        ("send", 12, 40, "Sending 12 of 40"),
        ("send", 0, 0, "Sending…"),
        ("match", 0, 0, "Matching…"),
    ],
)
def test_step_line(phase, done, total, text):
    assert words.step_line(phase, done, total) == text


@pytest.mark.parametrize(
    ("eta", "waiting", "text"),
    [
        (None, 0.0, ""),
        (5.0, 0.0, "Time left: a few seconds"),
        (600.0, 0.0, "Time left: about 10 minutes"),
        (600.0, 42.0, "Waiting for Hardcover's request limit: 40 seconds"),
        (None, 0.5, ""),
    ],
)
def test_time_left_line(eta, waiting, text):
    assert words.time_left_line(eta, waiting) == text


@pytest.mark.parametrize(
    ("counts", "reviewed"),
    [
        ({"would_send": 20, "up_to_date": 500}, False),
        ({"would_send": 21}, True),
        ({"up_to_date": 100}, False),
    ],
)
def test_a_pass_sending_more_than_twenty_entries_is_reviewed(counts, reviewed):
    assert words.needs_review(counts) is reviewed


@pytest.mark.parametrize(
    ("counts", "stopped", "cancelled", "title"),
    [
        ({"sent": 2}, None, False, "Sync finished"),
        ({"sent": 2, "failed": 1}, None, False, "Sync finished with problems"),
        ({"sent": 2}, "Hardcover is unavailable", False, "Sync stopped"),
        ({"sent": 2, "skipped": 3}, "cancelled", True, "Sync cancelled"),
    ],
)
def test_report_title(counts, stopped, cancelled, title):
    assert words.report_title(counts, stopped, cancelled) == title


@pytest.mark.parametrize(("count", "text"), [(0, "0 books"), (1, "1 book"), (2, "2 books")])
def test_books(count, text):
    assert words.books(count) == text


def test_titles_sort_with_their_numbers():
    titles = ["Book 10", "book 2", "Book 1", "Annals"]
    assert sorted(titles, key=words.natural_key) == ["Annals", "Book 1", "book 2", "Book 10"]


@pytest.mark.parametrize(
    ("candidates", "text"),
    [
        ([{"score": 0.52, "grade": "low"}], "One possible match (52 %): check it with Pick…"),
        (
            [{"score": 0.61, "grade": "medium"}, {"score": 0.2, "grade": "none"}],
            "One possible match (61 %): check it with Pick…",
        ),
        ([{"grade": "low"}], "One possible match: check it with Pick…"),
        (
            [{"score": 0.8, "grade": "medium"}, {"score": 0.79, "grade": "medium"}],
            "Several Hardcover books could be this one: Pick the right one.",
        ),
        ([], "Several Hardcover books could be this one: Pick the right one."),
    ],
)
def test_review_line_words_one_weak_candidate_apart_from_several(candidates, text):
    assert words.review_line(candidates) == text
