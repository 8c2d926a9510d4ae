"""The shelf feeds' caching rules: a page's Last-Modified date and when a client already has it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bookorbit_desktop.server.opds.freshness import not_modified, stamp

AT = datetime(2026, 5, 2, 10, 0, 0, tzinfo=UTC)
T = AT.timestamp()


@pytest.mark.parametrize(
    ("previous", "etag", "now", "expected"),
    [
        (None, "a", T + 0.7, T),  # first sent: now, in whole seconds
        (("a", T - 50), "a", T, T - 50),  # unchanged: its date stays
        (("a", T - 50), "b", T + 0.2, T),  # changed: now
        (("a", T), "b", T + 0.9, T + 1),  # changed within the same second: still a later date
        (("a", T + 5), "b", T, T + 6),  # a clock set back never dates a change earlier
    ],
)
def test_the_date_moves_whenever_the_page_changes(previous, etag, now, expected):
    assert stamp(previous, etag, now) == expected


@pytest.mark.parametrize(
    ("tags", "since", "expected"),
    [
        (None, None, False),  # an unconditional request
        (("x",), None, True),
        (("y", "x"), None, True),
        (("*",), None, True),
        (("y",), None, False),
        (("y",), AT, False),  # If-None-Match decides when present
        (None, AT, True),
        (None, datetime(2026, 5, 2, 9, 59, 59, tzinfo=UTC), False),  # a copy older than the page
        (None, datetime(2026, 5, 3, tzinfo=UTC), True),
    ],
)
def test_a_client_has_the_page_when_its_tag_or_date_says_so(tags, since, expected):
    assert not_modified(tags, since, "x", T) is expected
