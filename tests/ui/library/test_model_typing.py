"""Typing in the filter box: the quick paths (ASCII folding, narrowing from the previous
result, no re-sorting) give exactly what a filter over the whole library gives."""

from __future__ import annotations

import random
import unicodedata

import pytest
from PySide6.QtCore import Qt

from bookorbit_desktop.ui.library.model import (
    COLUMN_KEYS,
    LibraryModel,
    filter_terms,
    fold,
    narrows,
)
from tests.ui.library.test_model import book


def slow_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@pytest.mark.parametrize(
    "text",
    ["Dune", "THE HOBBIT", "", "a-b c", "Émile Zola", "Straße", "ǅemal", "ﬁsh", "狼と香辛料", "İz"],
)
def test_fold_is_the_full_folding_for_every_text(text):
    assert fold(text) == slow_fold(text)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ((), ("d",), True),
        (("d",), ("du",), True),
        (("du",), ("d",), False),  # a letter deleted: more books may match
        (("dune",), ("dune", "herbert"), True),
        (("dune", "herbert"), ("dune",), False),
        (("une",), ("dune",), True),  # the old term lies inside the new one
        (("dune",), ("dunes",), True),
        (("dune",), ("dun", "e"), False),
        (("a", "b"), ("ab",), True),
        ((), (), True),
        (("x",), (), False),
    ],
)
def test_narrows(old, new, expected):
    assert narrows(old, new) is expected


WORDS = ["dune", "herbert", "étranger", "camus", "okami", "children", "sand", "émile", "zola"]


def random_library(rng: random.Random, count: int) -> list[dict]:
    statuses = ["unread", "reading", "read", "on_hold"]
    return [
        book(
            number,
            " ".join(rng.choice(WORDS).title() for _ in range(rng.randrange(1, 4))),
            authors=(rng.choice(WORDS).title(),),
            status=rng.choice(statuses),
            progress=rng.random(),
        )
        for number in range(1, count + 1)
    ]


@pytest.mark.parametrize("seed", range(5))
def test_typing_and_deleting_match_a_fresh_filter(qapp, seed):
    rng = random.Random(seed)
    books = random_library(rng, 300)
    model = LibraryModel()
    model.set_books(books)
    model.sort(COLUMN_KEYS.index("progress"), Qt.SortOrder.DescendingOrder)
    typed = ""
    for _ in range(40):
        if typed and rng.random() < 0.3:
            typed = typed[:-1]
        else:
            typed += rng.choice("duneherbtcamsozl é")
        model.set_filter(typed)
        fresh = LibraryModel()
        fresh.set_books(books)
        fresh.sort(COLUMN_KEYS.index("progress"), Qt.SortOrder.DescendingOrder)
        fresh.set_filter(typed)
        shown = [model.book_at(n).id for n in range(model.rowCount())]
        expected = [fresh.book_at(n).id for n in range(fresh.rowCount())]
        assert shown == expected, typed
        haystacks = {b["id"]: fold(f"{b['title']} {b['authors'][0]}") for b in books}
        terms = filter_terms(typed)
        assert all(all(t in haystacks[book_id] for t in terms) for book_id in shown)
