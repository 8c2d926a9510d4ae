"""What goes to the reading journal, as tables (pure)."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.journal.plan import (
    NOTE,
    QUOTE,
    REFUSED,
    SENDING,
    SENT,
    WAITING,
    Sent,
    journal_object,
    page_number,
    plan,
    retry_delay,
    wanted_entries,
)

T = 1_709_300_000


def _wanted(highlight_id=1, text="Fear is the mind-killer.", note="", page="12"):
    return wanted_entries(
        highlight_id, text, note, page, T, hc_book_id=50, edition_id=60, edition_pages=400
    )


@pytest.mark.parametrize(
    ("page", "pages", "expected"),
    [
        ("12", 400, 12),
        ("xii", 400, None),
        ("0", 400, None),
        ("401", 400, None),
        ("7", None, 7),
        (None, 400, None),
    ],
)
def test_page_number(page, pages, expected):
    assert page_number(page, pages) == expected


def test_a_highlight_is_a_quote_and_its_note_a_note():
    assert [(w.kind, w.text) for w in _wanted(note=" mine ")] == [
        (QUOTE, "Fear is the mind-killer."),
        (NOTE, "mine"),
    ]
    assert [w.kind for w in _wanted()] == [QUOTE]
    assert [w.kind for w in _wanted(text=" ", note="only a note")] == [NOTE]


FEAR = "Fear is the mind-killer."


@pytest.mark.parametrize(
    ("note", "sent", "counts"),
    [
        ("mine", {}, (2, 0, 0, 0)),
        ("mine", {(1, QUOTE): Sent(1, QUOTE, 9, FEAR, SENT)}, (1, 0, 0, 1)),
        ("new note", {(1, NOTE): Sent(1, NOTE, 9, "old note", SENT)}, (1, 1, 0, 0)),
        ("", {(1, QUOTE): Sent(1, QUOTE, None, FEAR, SENDING)}, (0, 0, 1, 0)),
        # what the highlight no longer has (a removed note, another highlight) is left alone
        (
            "",
            {(1, NOTE): Sent(1, NOTE, 9, "mine", SENT), (2, QUOTE): Sent(2, QUOTE, 8, "x", SENT)},
            (1, 0, 0, 0),
        ),
    ],
)
def test_plan(note, sent, counts):
    result = plan(_wanted(note=note), sent)
    found = (len(result.inserts), len(result.updates), len(result.unconfirmed), result.unchanged)
    assert found == counts


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [(1, 300), (2, 1_200), (3, 3_600), (4, 4 * 3_600), (5, 12 * 3_600), (40, 12 * 3_600)],
)
def test_the_wait_after_each_failure_in_a_row_grows_to_hours(attempts, seconds):
    assert retry_delay(attempts) == seconds


NOW = 1_000_000.0


@pytest.mark.parametrize(
    ("done", "now", "counts"),
    [
        # (inserts, updates, unconfirmed, unchanged, held)
        (Sent(1, QUOTE, None, FEAR, REFUSED, 1, NOW + 1, "Book not found"), NOW, (0, 0, 0, 0, 1)),
        (Sent(1, QUOTE, None, FEAR, REFUSED, 1, NOW, "Book not found"), NOW, (1, 0, 0, 0, 0)),
        # a pass the user asked for ignores the wait
        (Sent(1, QUOTE, None, FEAR, REFUSED, 3, NOW + 9, "x"), None, (1, 0, 0, 0, 0)),
        (Sent(1, QUOTE, None, FEAR, SENDING, 2, NOW + 1), NOW, (0, 0, 0, 0, 1)),
        (Sent(1, QUOTE, None, FEAR, SENDING, 2, NOW - 1), NOW, (0, 0, 1, 0, 0)),
        (Sent(1, QUOTE, 9, "before", SENT, 1, NOW + 1, "Too long"), NOW, (0, 0, 0, 0, 1)),
        (Sent(1, QUOTE, 9, "before", SENT, 1, NOW - 1, "Too long"), NOW, (0, 1, 0, 0, 0)),
        (Sent(1, QUOTE, 9, FEAR, SENT), NOW, (0, 0, 0, 1, 0)),
        # certainly not in the journal (read back, 429, 401): inserted again once due
        (Sent(1, QUOTE, None, FEAR, WAITING, 2, NOW + 1), NOW, (0, 0, 0, 0, 1)),
        (Sent(1, QUOTE, None, FEAR, WAITING, 2, NOW - 1), NOW, (1, 0, 0, 0, 0)),
        # a new text is a new try: it goes at once
        (Sent(1, QUOTE, None, "before", REFUSED, 3, NOW + 9, "x"), NOW, (1, 0, 0, 0, 0)),
        (Sent(1, QUOTE, None, "before", WAITING, 3, NOW + 9), NOW, (1, 0, 0, 0, 0)),
        # ... but a lost answer is looked for first, edited or not
        (Sent(1, QUOTE, None, "before", SENDING, 3, NOW + 9), NOW, (0, 0, 0, 0, 1)),
    ],
)
def test_failed_entries_wait_for_their_next_attempt(done, now, counts):
    result = plan(_wanted(), {(1, QUOTE): done}, now)
    found = (
        len(result.inserts),
        len(result.updates),
        len(result.unconfirmed),
        result.unchanged,
        result.held,
    )
    assert found == counts


def test_the_object_sent():
    quote, _ = _wanted(note="mine")
    assert journal_object(quote, 3) == {
        "book_id": 50,
        "event": "quote",
        "entry": "Fear is the mind-killer.",
        "privacy_setting_id": 3,
        "tags": [],
        "action_at": "2024-03-01",
        "edition_id": 60,
        "metadata": {"position": {"type": "pages", "value": 12, "possible": 400}},
    }
    (label,) = _wanted(page="xii")
    assert "metadata" not in journal_object(label, 1)
