"""The words a planned change is told in (the review, the sync log) name no Hardcover ids; the
ids stay in the fields that go out, which the log file keeps."""

from __future__ import annotations

import re

from bookorbit_desktop.hardcover.sync.preview import preview
from bookorbit_desktop.hardcover.sync.reconcile import UPDATE_ENTRY
from tests.hardcover.sync.test_reconcile import EXISTING, OPTIONS, TODAY, local


def test_a_chosen_edition_is_told_without_its_id():
    book = local(progress=0.5, edition_pinned=True)  # 500, Hardcover's entry has 501
    result = preview(book, None, EXISTING, OPTIONS, today=TODAY)
    (entry,) = [action for action in result.actions if action.kind == UPDATE_ENTRY]
    assert entry.fields["edition_id"] == 500
    assert "edition changed" in entry.changes
    assert not any(re.search(r"\d{3}", change) for change in entry.changes)
