"""Lists and counts in words, as every message writes them."""

from __future__ import annotations

import pytest

from bookorbit_desktop.wording import all_of, in_words


@pytest.mark.parametrize(
    ("names", "said"),
    [((), ""), (("series",),"series"), (("series", "status"), "series and status"),
     (("series", "status", "rating"), "series, status and rating")],
)  # fmt: skip
def test_names_in_words(names, said):
    assert in_words(names) == said


@pytest.mark.parametrize(("count", "said"), [(2, "both books"), (3, "all 3 books")])
def test_all_of_a_count(count, said):
    assert all_of(count) == said
