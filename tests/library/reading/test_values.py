"""Validation of the reading-state values a user types."""

from __future__ import annotations

import datetime

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.reading.values import (
    check_dates,
    parse_date,
    parse_progress,
    parse_rating,
    parse_status,
)

TODAY = datetime.date(2024, 6, 15)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("read", "read"),
        ("Want to read", "want_to_read"),
        ("want-to-read", "want_to_read"),
        (" ON_HOLD ", "on_hold"),
        ("rereading", "rereading"),
    ],
)
def test_status_accepted(value, expected):
    assert parse_status(value) == expected


@pytest.mark.parametrize("value", ["done", "", "finished", "reading!"])
def test_status_refused_with_the_list(value):
    with pytest.raises(InvalidValueError, match="Use one of: unread, want_to_read"):
        parse_status(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4.5", 4.5),
        ("0.5", 0.5),
        ("5", 5.0),
        (3, 3.0),
        ("3,5", 3.5),
        ("none", None),
        ("", None),
        (None, None),
    ],
)
def test_rating_accepted(value, expected):
    assert parse_rating(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "out of range"),
        ("5.5", "out of range"),
        ("-1", "out of range"),
        ("4.3", "not a half step"),
        ("nan", "out of range"),
        ("inf", "out of range"),
        ("great", "not a number"),
    ],
)
def test_rating_refused(value, message):
    with pytest.raises(InvalidValueError, match=message):
        parse_rating(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-31", "2024-03-31"),
        ("today", "2024-06-15"),
        ("none", None),
        (None, None),
        (datetime.date(2024, 1, 2), "2024-01-02"),
    ],
)
def test_date_accepted(value, expected):
    assert parse_date(value, field="start", today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-02-30", "not a date"),
        ("31/03/2024", "not a date"),
        ("2024-W10-1", "not a date"),
        ("20240301", "not a date"),
        ("2024-06-16", "in the future"),
    ],
)
def test_date_refused(value, message):
    with pytest.raises(InvalidValueError, match=message):
        parse_date(value, field="finish", today=TODAY)


@pytest.mark.parametrize(
    ("value", "expected"), [("0.45", 0.45), ("45%", 0.45), ("100 %", 1.0), ("0", 0.0), (1, 1.0)]
)
def test_progress_accepted(value, expected):
    assert parse_progress(value) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.5", "out of range"),
        ("-0.1", "out of range"),
        ("120%", "out of range"),
        ("half", "not a number"),
        ("nan", "out of range"),
    ],
)
def test_progress_refused(value, message):
    with pytest.raises(InvalidValueError, match=message):
        parse_progress(value)


def test_finish_not_before_start():
    check_dates("2024-01-01", "2024-01-01")
    check_dates(None, "2024-01-01")
    with pytest.raises(InvalidValueError, match="before the start date 2024-02-01"):
        check_dates("2024-02-01", "2024-01-31")
