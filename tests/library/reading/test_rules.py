"""The reading-state rules, table by table."""

from __future__ import annotations

from datetime import date

import pytest

from bookorbit_desktop.library.reading import rules as reading
from bookorbit_desktop.library.reading.rules import (
    Change,
    ReadingSnapshot,
    apply_push,
    set_progress,
    set_status,
)
from bookorbit_desktop.library.store.models import READING_STATUSES

C = Change
TODAY = date(2026, 11, 21)
MAY1 = date(2026, 5, 1)
JUN1 = date(2026, 6, 1)
T = 0.995


def state(status: str, progress: float = 0.0, started=None, finished=None) -> ReadingSnapshot:
    return ReadingSnapshot(status, progress, started, finished)


PUSH_TABLE = [
    # (before, pushed percentage, after, changes)
    (state("unread"), 0.0, state("unread"), ()),
    (state("unread"), -0.2, state("unread"), ()),
    (state("unread"), 0.3, state("reading", 0.3, TODAY), (C.STARTED, C.PROGRESS)),
    (state("want_to_read"), 0.01, state("reading", 0.01, TODAY), (C.STARTED, C.PROGRESS)),
    (state("unread"), 0.995, state("read", 0.995, TODAY, TODAY), (C.STARTED, C.FINISHED)),
    (state("unread"), 1.7, state("read", 1.0, TODAY, TODAY), (C.STARTED, C.FINISHED)),
    (state("reading", 0.3, MAY1), 0.5, state("reading", 0.5, MAY1), (C.PROGRESS,)),
    (state("reading", 0.5, MAY1), 0.2, state("reading", 0.2, MAY1), (C.PROGRESS,)),
    (state("reading", 0.5, MAY1), 0.5, state("reading", 0.5, MAY1), ()),
    (state("reading", 0.5, MAY1), 0.0, state("reading", 0.5, MAY1), ()),
    (state("reading", 0.9, MAY1), 0.9949, state("reading", 0.9949, MAY1), (C.PROGRESS,)),
    (state("reading", 0.9, MAY1), 1.0, state("read", 1.0, MAY1, TODAY), (C.FINISHED,)),
    (state("reading", 0.2), 0.4, state("reading", 0.4, TODAY), (C.STARTED, C.PROGRESS)),
    (state("rereading", 0.2, JUN1), 0.999, state("read", 0.999, JUN1, TODAY), (C.FINISHED,)),
    (state("rereading", 0.2, JUN1), 0.3, state("rereading", 0.3, JUN1), (C.PROGRESS,)),
    (state("on_hold", 0.4, MAY1), 0.45, state("reading", 0.45, MAY1), (C.RESUMED, C.PROGRESS)),
    (state("on_hold", 0.4), 1.0, state("read", 1.0, TODAY, TODAY), (C.RESUMED, C.FINISHED)),
    (state("abandoned", 0.4, MAY1), 0.5, state("abandoned", 0.4, MAY1), (C.PUSH_WHILE_ABANDONED,)),
    (state("abandoned", 0.4, MAY1), 1.0, state("read", 1.0, MAY1, TODAY), (C.RESUMED, C.FINISHED)),
    (state("read", 1.0, MAY1, JUN1), 0.05, state("read", 1.0, MAY1, JUN1), (C.PUSH_AFTER_FINISH,)),
    (state("read", 1.0, MAY1, JUN1), 1.0, state("read", 1.0, MAY1, JUN1), ()),
    (
        state("skimmed", 0.6, MAY1, JUN1),
        0.3,
        state("skimmed", 0.6, MAY1, JUN1),
        (C.PUSH_AFTER_FINISH,),
    ),
]


@pytest.mark.parametrize(("before", "pushed", "after", "changes"), PUSH_TABLE)
def test_apply_push(before, pushed, after, changes):
    outcome = apply_push(before, pushed, TODAY, T)
    assert outcome.state == after
    assert outcome.changes == changes
    assert outcome.changed == (after != before)


STALE_TABLE = [
    # Older history never moves progress back, never undoes a pause, still starts and finishes.
    (state("reading", 0.8, MAY1), 0.3, state("reading", 0.8, MAY1), ()),
    (state("reading", 0.8, date(2026, 12, 1)), 0.3, state("reading", 0.8, TODAY), (C.STARTED,)),
    (
        state("rereading", 0.8, date(2026, 12, 1)),
        0.3,
        state("rereading", 0.8, date(2026, 12, 1)),
        (),
    ),
    (state("unread"), 0.3, state("reading", 0.0, TODAY), (C.STARTED,)),
    (state("on_hold", 0.4, MAY1), 0.5, state("on_hold", 0.4, MAY1), ()),
    (state("reading", 0.8, MAY1), 1.0, state("read", 1.0, MAY1, TODAY), (C.FINISHED,)),
    (state("read", 1.0, MAY1, JUN1), 0.2, state("read", 1.0, MAY1, JUN1), (C.PUSH_AFTER_FINISH,)),
]


@pytest.mark.parametrize(("before", "pushed", "after", "changes"), STALE_TABLE)
def test_apply_stale_push(before, pushed, after, changes):
    outcome = apply_push(before, pushed, TODAY, T, stale=True)
    assert (outcome.state, outcome.changes) == (after, changes)


@pytest.mark.parametrize(
    ("threshold", "pushed", "status"),
    [
        (0.995, 0.9949, "reading"),
        (0.995, 0.995, "read"),
        (0.9, 0.9, "read"),
        (1.0, 0.999, "reading"),
    ],
)
def test_finish_threshold_is_inclusive(threshold, pushed, status):
    assert apply_push(state("reading", 0.1, MAY1), pushed, TODAY, threshold).state.status == status


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_pushes_change_nothing(value):
    assert apply_push(state("reading", 0.3, MAY1), value, TODAY, T) == reading.Outcome(
        state("reading", 0.3, MAY1)
    )


def test_a_finished_book_reopened_is_flagged_until_a_reread_starts():
    finished = state("read", 1.0, MAY1, JUN1)
    flagged = apply_push(finished, 0.1, TODAY, T)
    assert flagged.state == finished and not flagged.changed
    reread = reading.start_reread(finished, TODAY)
    assert reread.state == state("rereading", 0.0, TODAY, None)
    assert reread.changes == (C.REREAD_STARTED,)
    assert apply_push(reread.state, 0.1, TODAY, T).state == state("rereading", 0.1, TODAY)


SET_STATUS_TABLE = [
    (
        state("read", 1.0, MAY1, JUN1),
        "reading",
        state("rereading", 0.0, TODAY),
        (C.REREAD_STARTED,),
    ),
    (
        state("skimmed", 1.0, MAY1, JUN1),
        "rereading",
        state("rereading", 0.0, TODAY),
        (C.REREAD_STARTED,),
    ),
    (
        state("reading", 0.4, MAY1),
        "read",
        state("read", 0.4, MAY1, TODAY),
        (C.STATUS_SET, C.FINISHED),
    ),
    # Marking a book read gives no evidence of when it was started.
    (state("unread"), "read", state("read", 0.0, None, TODAY), (C.STATUS_SET, C.FINISHED)),
    (
        state("want_to_read"),
        "skimmed",
        state("skimmed", 0.0, None, TODAY),
        (C.STATUS_SET, C.FINISHED),
    ),
    (state("unread"), "reading", state("reading", 0.0, TODAY), (C.STATUS_SET,)),
    (state("reading", 0.4, MAY1), "reading", state("reading", 0.4, MAY1), ()),
    (state("reading", 0.4, MAY1), "unread", state("unread"), (C.STATUS_SET,)),
    (state("reading", 0.4, MAY1), "on_hold", state("on_hold", 0.4, MAY1), (C.STATUS_SET,)),
    (state("reading", 0.4, MAY1), "abandoned", state("abandoned", 0.4, MAY1), (C.STATUS_SET,)),
]


@pytest.mark.parametrize(("before", "status", "after", "changes"), SET_STATUS_TABLE)
def test_set_status(before, status, after, changes):
    outcome = set_status(before, status, TODAY)
    assert (outcome.state, outcome.changes) == (after, changes)


def test_set_status_refuses_unknown_statuses():
    with pytest.raises(ValueError, match="unknown reading status"):
        set_status(state("unread"), "devoured", TODAY)


def test_the_rules_know_every_status_the_library_stores():
    assert reading.ALL_STATUSES == READING_STATUSES


SET_PROGRESS_TABLE = [
    # (before, typed fraction, after, changes): a push's status rules, the typed value kept.
    (state("unread"), 0.0, state("unread"), ()),
    (state("unread"), 0.4, state("reading", 0.4, TODAY), (C.STARTED, C.PROGRESS)),
    (state("want_to_read"), 0.4, state("reading", 0.4, TODAY), (C.STARTED, C.PROGRESS)),
    (state("unread"), 0.995, state("read", 0.995, TODAY, TODAY), (C.STARTED, C.FINISHED)),
    (state("want_to_read"), 1.0, state("read", 1.0, TODAY, TODAY), (C.STARTED, C.FINISHED)),
    (state("reading", 0.3, MAY1), 0.5, state("reading", 0.5, MAY1), (C.PROGRESS,)),
    (state("reading", 0.5, MAY1), 0.0, state("reading", 0.0, MAY1), (C.PROGRESS,)),
    (state("reading", 0.5, MAY1), 0.5, state("reading", 0.5, MAY1), ()),
    (state("reading", 0.5, MAY1), 1.0, state("read", 1.0, MAY1, TODAY), (C.FINISHED,)),
    (state("rereading", 0.2, JUN1), 0.6, state("rereading", 0.6, JUN1), (C.PROGRESS,)),
    (state("on_hold", 0.4, MAY1), 0.45, state("reading", 0.45, MAY1), (C.RESUMED, C.PROGRESS)),
    (state("abandoned", 0.4, MAY1), 0.2, state("abandoned", 0.2, MAY1), (C.PROGRESS,)),
    (state("abandoned", 0.4, MAY1), 1.0, state("read", 1.0, MAY1, TODAY), (C.RESUMED, C.FINISHED)),
    (state("read", 1.0, MAY1, JUN1), 0.3, state("read", 0.3, MAY1, JUN1), (C.PROGRESS,)),
    (state("read", 0.9, MAY1, JUN1), 1.0, state("read", 1.0, MAY1, JUN1), (C.PROGRESS,)),
    (state("skimmed", 0.6, MAY1, JUN1), 0.6, state("skimmed", 0.6, MAY1, JUN1), ()),
]


@pytest.mark.parametrize(("before", "typed", "after", "changes"), SET_PROGRESS_TABLE)
def test_set_progress(before, typed, after, changes):
    outcome = set_progress(before, typed, TODAY, T)
    assert (outcome.state, outcome.changes) == (after, changes)
    assert outcome.changed == (after != before)


@pytest.mark.parametrize(
    ("threshold", "typed", "status"),
    [
        (0.995, 0.9949, "reading"),
        (0.995, 0.995, "read"),
        (0.9, 0.9, "read"),
        (1.0, 0.999, "reading"),
    ],
)
def test_set_progress_finishes_at_the_threshold(threshold, typed, status):
    assert set_progress(state("unread"), typed, TODAY, threshold).state.status == status


@pytest.mark.parametrize(
    ("stored", "threshold"),
    [(0.9, 0.9), (1, 1.0), (0.0, T), (1.5, T), (True, T), ("0.9", T), (None, T), (-0.2, T)],
)
def test_usable_threshold(stored, threshold):
    assert reading.usable_threshold(stored) == threshold
