"""The rule for a tag's name, as a table."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.tags.names import MAX_LENGTH, check_tag, parse_tags


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Fantasy", "Fantasy"),
        ("  Science   Fiction ", "Science Fiction"),  # trimmed, one space
        ("to\tread\n", "to read"),
        ("Cafe\u0301", "Café"),  # composed: looks the same, is the same
        ("日本語", "日本語"),
        ("sci-fi/space opera", "sci-fi/space opera"),
        ("a" * MAX_LENGTH, "a" * MAX_LENGTH),
    ],
)
def test_a_good_name_is_kept_tidied(typed, name):
    assert check_tag(typed) == name


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "A tag needs a name."),
        ("   ", "A tag needs a name."),
        ("Horror, Gothic", "cannot hold a comma"),
        ("bell\x07", "cannot hold control characters"),
        ("nul\x00", "cannot hold control characters"),
        ("a" * (MAX_LENGTH + 1), f"at most {MAX_LENGTH} characters"),
    ],
)
def test_a_bad_name_is_refused_with_its_reason(typed, reason):
    with pytest.raises(InvalidValueError, match=reason):
        check_tag(typed)


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("", []),
        ("Fantasy", ["Fantasy"]),
        ("Fantasy, Horror", ["Fantasy", "Horror"]),
        (" Fantasy ,, horror, FANTASY ,", ["Fantasy", "horror"]),  # one of each, first spelling
    ],
)
def test_a_line_of_tags_is_split_at_commas(typed, tags):
    assert parse_tags(typed) == tags
