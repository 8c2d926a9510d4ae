"""The journal's pure rules: what an undo or a redo writes back, and what it leaves."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.journal.rules import (
    books_label,
    diff,
    marks_after,
    plan_back,
    reading_label,
)


@pytest.mark.parametrize(
    ("before", "after", "old", "new"),
    [
        ({"title": "A"}, {"title": "A"}, {}, {}),
        ({"title": "A", "series": None}, {"title": "B", "series": None}, {"title": "A"},
         {"title": "B"}),
        ({"authors": ["X"]}, {"authors": ["X", "Y"]}, {"authors": ["X"]},
         {"authors": ["X", "Y"]}),
        ({"rating": None}, {"rating": 4.0}, {"rating": None}, {"rating": 4.0}),
    ],
)  # fmt: skip
def test_diff_keeps_only_what_changed(before, after, old, new):
    assert diff(before, after) == (old, new)


@pytest.mark.parametrize(
    ("source", "target", "current", "writes", "conflicts"),
    [
        # The book still holds what the step wrote: the old value goes back.
        ({"title": "B"}, {"title": "A"}, {"title": "B"}, {"title": "A"}, ()),
        # Already back where the step started: nothing to write, nothing to say.
        ({"title": "B"}, {"title": "A"}, {"title": "A"}, {}, ()),
        # Something else changed it since: left as it is and named.
        ({"title": "B"}, {"title": "A"}, {"title": "C"}, {}, ("title",)),
        # Field by field: one goes back, the changed one stays.
        ({"title": "B", "rating": 4.0}, {"title": "A", "rating": None},
         {"title": "B", "rating": 2.0}, {"title": "A"}, ("rating",)),
        # None is a value like any other.
        ({"series": "S"}, {"series": None}, {"series": "S"}, {"series": None}, ()),
        ({"series": None}, {"series": "S"}, {"series": "T"}, {}, ("series",)),
        # The marks are not a field the user sees: never planned, never a conflict.
        ({"marks": ["title"]}, {"marks": []}, {"marks": ["series"]}, {}, ()),
    ],
)  # fmt: skip
def test_plan_back(source, target, current, writes, conflicts):
    plan = plan_back(source, target, current)
    assert plan.writes == writes
    assert plan.conflicts == conflicts


@pytest.mark.parametrize(
    ("current", "source", "target", "left", "marks"),
    [
        # Undo of an edit that marked the title.
        (["title"], ["title"], [], [], []),
        # Only the marks the step changed move; another stays as it is now.
        (["title", "series"], ["title"], [], [], ["series"]),
        # A field left as it is (changed since) keeps its mark.
        (["title"], ["title"], [], ["title"], ["title"]),
        # Redo marks them again.
        ([], [], ["isbn", "title"], [], ["isbn", "title"]),
    ],
)
def test_marks_follow_the_fields_moved(current, source, target, left, marks):
    assert marks_after(current, source, target, left) == marks


@pytest.mark.parametrize(
    ("verb", "titles", "label"),
    [("Edit", ["Emma"], "Edit “Emma”"), ("Edit", ["A", "B", "C"], "Edit 3 Books")],
)
def test_books_label(verb, titles, label):
    assert books_label(verb, titles) == label


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        (["rating"], "Rate “Emma”"),
        (["status"], "Change Status of “Emma”"),
        (["status", "finished"], "Change Status of “Emma”"),
        (["started"], "Change Dates of “Emma”"),
        (["progress", "rating"], "Change Reading of “Emma”"),
    ],
)
def test_reading_label(fields, label):
    assert reading_label("Emma", fields) == label
