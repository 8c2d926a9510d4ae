"""The pure rules of a merge, table by table: which copy's value each field takes, the merged
reading state, and which books group as copies."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.merge.candidates import Listed, group_copies
from bookorbit_desktop.library.merge.fields import KEEP, OTHER, Copy, choose, merged_marks
from bookorbit_desktop.library.merge.reading import merge_reading
from bookorbit_desktop.metadata_sources.source import same_title
from bookorbit_desktop.services.library.merge import author_key, editions_differ


@pytest.mark.parametrize(
    ("name", "keep", "other", "chosen"),
    [
        ("series", Copy({"series": None}), Copy({"series": "Dune"}), OTHER),
        ("series", Copy({"series": "Dune"}), Copy({"series": None}), KEEP),
        ("series", Copy({"series": "Dune"}), Copy({"series": "Arrakis"}), KEEP),
        ("description", Copy({"description": "Short."}), Copy({"description": "Longer."}), OTHER),
        ("description", Copy({"description": "Longer."}), Copy({"description": "Short"}), KEEP),
        ("authors", Copy({"authors": ["A"]}), Copy({"authors": ["A", "B"]}), OTHER),
        ("authors", Copy({"authors": ["A", "B"]}), Copy({"authors": ["C"]}), KEEP),
        ("cover", Copy({"cover": ["a", "1"]}, (), 10), Copy({"cover": ["b", "2"]}, (), 90), OTHER),
        ("cover", Copy({"cover": ["a", "1"]}, (), 90), Copy({"cover": ["b", "2"]}, (), 10), KEEP),
        ("cover", Copy({"cover": [None, None]}), Copy({"cover": ["b", "2"]}, (), 10), OTHER),
        ("isbn", Copy({"isbn": [None, None]}), Copy({"isbn": ["9780441013593", None]}), OTHER),
        # The user's own edit beats an imported value, even an empty or a shorter one.
        ("series", Copy({"series": None}, {"series"}), Copy({"series": "Dune"}), KEEP),
        ("description", Copy({"description": "Long text"}),
         Copy({"description": "Mine"}, {"description"}), OTHER),
        ("title", Copy({"title": ["Dune", "dune"]}), Copy({"title": ["DUNE", "dune"]}), KEEP),
    ],
)  # fmt: skip
def test_each_field_takes_the_better_value(name, keep, other, chosen):
    assert choose(name, keep, other) == chosen


def test_the_marks_follow_the_value_chosen():
    keep = Copy({}, {"title", "series"})
    other = Copy({}, {"series", "description"})
    chosen = {"title": KEEP, "series": OTHER, "description": KEEP}
    assert merged_marks(keep, other, chosen) == ["series", "title"]
    assert merged_marks(keep, other, {**chosen, "description": OTHER}) == [
        "description",
        "series",
        "title",
    ]


def _state(status, progress=0.0, started=None, finished=None, rating=None):
    return {
        "status": status,
        "progress": progress,
        "rating": rating,
        "started": [started, "user" if started else None],
        "finished": [finished, "history" if finished else None],
    }


@pytest.mark.parametrize(
    ("keep", "other", "merged"),
    [
        (_state("reading", 0.4), _state("read", 1.0), ("read", 1.0)),
        (_state("read", 1.0), _state("reading", 0.4), ("read", 1.0)),
        (_state("unread"), _state("want_to_read"), ("want_to_read", 0.0)),
        (_state("abandoned", 0.2), _state("reading", 0.1), ("reading", 0.1)),
        (_state("on_hold", 0.3), _state("abandoned", 0.5), ("on_hold", 0.3)),
        (_state("reading", 0.4), _state("rereading", 0.6), ("reading", 0.6)),
        (_state("skimmed", 1.0), _state("read", 1.0), ("skimmed", 1.0)),
    ],
)  # fmt: skip
def test_the_reading_state_that_went_furthest_wins(keep, other, merged):
    result = merge_reading(keep, other)
    assert (result["status"], result["progress"]) == merged


def test_earliest_start_latest_finish_and_a_rating_kept():
    keep = _state("read", 1.0, "2024-03-01", "2024-04-01")
    other = _state("read", 1.0, "2023-01-05", "2024-06-30", rating=4.0)
    result = merge_reading(keep, other)
    assert result["started"] == ["2023-01-05", "user"]
    assert result["finished"] == ["2024-06-30", "history"]
    assert result["rating"] == 4.0
    assert merge_reading({**keep, "rating": 2.5}, other)["rating"] == 2.5
    assert merge_reading(_state("reading", 0.1, "2024-01-01"), _state("unread"))["started"] == [
        "2024-01-01",
        "user",
    ]


def _book(book_id, title, authors=("Frank Herbert",), isbns=(), language=None):
    return Listed(book_id, title, tuple(authors), tuple(isbns), language)


HOBBIT_ISBN = ("9780261103344",)


def _hobbit(book_id, title, language, isbns=HOBBIT_ISBN):
    return _book(book_id, title, ("J. R. R. Tolkien",), isbns, language)


@pytest.mark.parametrize(
    ("books", "groups"),
    [
        ([_book(1, "Dune"), _book(2, "dune")], [(1, 2)]),
        ([_book(1, "Dune"), _book(2, "Dune: Deluxe Edition")], [(1, 2)]),
        ([_book(1, "Dune"), _book(2, "Dune Messiah")], []),
        ([_book(1, "Dune"), _book(2, "Dune", ("Brian Herbert",))], []),
        ([_book(1, "Dune"), _book(2, "DUNE", ("frank  herbert",))], [(1, 2)]),
        ([_book(1, "Élan", ("Zoë",)), _book(2, "Elan", ("ZOE",))], [(1, 2)]),
        ([_book(1, "Dune", isbns=("0441013597",)), _book(2, "Dune", ("X",), ("9780441013593",))],
         [(1, 2)]),
        ([_book(1, "Notes", ("Unknown",)), _book(2, "Notes", ("Unknown",))], []),
        ([_book(1, "Dombey & Son"), _book(2, "Dombey and Son: A Novel")], [(1, 2)]),
        ([_book(1, "It"), _book(2, "Ivanhoe"), _book(3, "It (Penguin Classics)")], [(1, 3)]),
        ([_book(3, "Dune"), _book(1, "Emma", ("Jane Austen",)), _book(2, "Dune"),
          _book(4, "Emma", ("Jane Austen",)), _book(5, "Dune")], [(1, 4), (2, 3, 5)]),
        # one author however the name is written: "Last, First", initials spaced or not
        ([_book(1, "Emma", ("Jane Austen",)), _book(2, "EMMA", ("Austen, Jane",))], [(1, 2)]),
        ([_book(1, "Hobbit", ("J. R. R. Tolkien",)), _book(2, "Hobbit", ("Tolkien, J.R.R.",))],
         [(1, 2)]),
        ([_book(1, "Emma", ("Jane Austen",)), _book(2, "Emma", ("Austen, Jane", "Unknown"))],
         [(1, 2)]),
        # the edition rule of the metadata dialog: two languages or two titles are two books
        ([_hobbit(1, "The Hobbit", "en"), _hobbit(2, "Der Hobbit", "de")], []),
        ([_hobbit(1, "The Hobbit", "en"), _hobbit(2, "Der Hobbit", "de", ())], []),
        ([_hobbit(1, "The Hobbit", "en"), _hobbit(2, "The Hobbit", "eng")], [(1, 2)]),
        ([_hobbit(1, "The Hobbit", "en"), _hobbit(2, "Hobbit", None)], [(1, 2)]),
        ([_book(1, "Dune", isbns=("0441013597",)), _book(2, "Emma", isbns=("0441013597",))], []),
        # a book that matches both editions joins the first only: never two languages in one
        ([_hobbit(1, "The Hobbit", "en"), _hobbit(2, "Der Hobbit", "de"),
          _hobbit(3, "Hobbit", None)], [(1, 3)]),
        ([_hobbit(1, "Der Hobbit", "de"), _hobbit(2, "The Hobbit", "en"),
          _hobbit(3, "Hobbit", None), _hobbit(4, "The Hobbit", "en", ())], [(1, 3), (2, 4)]),
    ],
)  # fmt: skip
def test_copies_group_by_isbn_or_folded_title_and_author(books, groups):
    assert group_copies(books, same_title, author_key, editions_differ) == groups
