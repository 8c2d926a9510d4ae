"""Where each book stands with Hardcover: the dashboard's states, reasons and labels (the page's
order, groups and counts: tests/ui/hardcover/test_lazy_page.py)."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.store.dashboard_rows import state_of
from bookorbit_desktop.ui.hardcover import dashboard


@pytest.mark.parametrize(
    ("match", "queued", "state"),
    [
        ({"state": "excluded", "sync_state": "synced"}, True, "excluded"),
        ({"state": "needs_review"}, False, "needs_review"),
        ({"state": "linked", "sync_state": "ahead"}, False, "needs_review"),
        ({"state": "no_match"}, False, "not_matched"),
        ({"state": "unmatched"}, False, "not_matched"),
        ({}, False, "not_matched"),
        ({"state": "error"}, False, "failed"),
        ({"state": "linked", "sync_state": "failed"}, True, "failed"),
        ({"state": "linked", "sync_state": "blocked"}, False, "failed"),
        ({"state": "linked", "sync_state": None}, False, "pending"),
        ({"state": "linked", "sync_state": "synced"}, True, "pending"),
        ({"state": "linked", "sync_state": "synced"}, False, "synced"),
        ({"state": "linked", "sync_state": "kept"}, False, "synced"),
    ],
)
def test_book_state(match, queued, state):
    assert state_of(match.get("state"), match.get("sync_state"), queued) == state


@pytest.mark.parametrize(
    ("match", "state", "reason"),
    [
        ({"state": "linked", "sync_state": "synced", "reason": "ISBN 978…"}, "synced", ""),
        ({"state": "linked", "reason": "ISBN 978…"}, "pending", "ISBN 978…"),
        ({"state": "linked"}, "pending", "Goes out with the next sync"),
        (
            {"state": "linked", "sync_state": "failed", "sync_reason": "Hardcover refused it"},
            "failed",
            "Hardcover refused it",
        ),
        (
            {"state": "linked", "sync_state": "ahead"},
            "needs_review",
            "Hardcover shows a later page than this library",
        ),
        ({"state": "needs_review", "reason": "2 candidates"}, "needs_review", "2 candidates"),
    ],
)
def test_reason(match, state, reason):
    assert dashboard.reason(match, state) == reason


def test_filter_labels_carry_the_count():
    assert dashboard.filter_label("Synced", 1234) == "Synced (1,234)"
