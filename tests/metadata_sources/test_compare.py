"""The best-value rule and the per-field comparison, table-driven (pure functions)."""

from __future__ import annotations

import unicodedata

import pytest

from bookorbit_desktop.metadata_sources.compare import (
    CASE,
    DIFFERS,
    SAME,
    best_values,
    compare,
    difference,
    is_empty,
    other_editions,
    rank,
    same_picture,
    take_all,
)
from bookorbit_desktop.metadata_sources.records import Candidate


def c(source: str, matched_by: str, **values) -> Candidate:
    return Candidate(
        source=source, source_id=f"{source}-{matched_by}", matched_by=matched_by, **values
    )


HC_EDITION = c("hardcover", "edition", title="Dune", pages=412)
HC_ISBN = c("hardcover", "isbn", title="Dune (ISBN)", description="HC text")
HC_SEARCH = c("hardcover", "search", title="Dune (search)", description="HC search text")
OL_ISBN = c("openlibrary", "isbn", title="Dune (OL)", description="OL text", publisher="Ace")
OL_SEARCH = c("openlibrary", "search", title="Dune (OL search)", publisher="Chilton")
GB_ISBN = c("google", "isbn", title="Dune (GB)", publisher="Penguin")
GB_SEARCH = c("google", "search", title="Dune (GB search)", language="en")


@pytest.mark.parametrize(
    ("candidates", "field", "winner"),
    [
        # rule 1: the linked Hardcover edition wins every field it has
        ([GB_ISBN, OL_ISBN, HC_EDITION], "title", HC_EDITION),
        # ... and only those: the next rule fills the rest
        ([GB_ISBN, OL_ISBN, HC_EDITION], "description", OL_ISBN),
        # rule 2: found by the book's ISBN, in source order
        ([GB_ISBN, OL_ISBN], "title", OL_ISBN),
        ([GB_ISBN, OL_ISBN], "publisher", OL_ISBN),
        ([GB_ISBN, HC_ISBN], "title", HC_ISBN),
        ([GB_ISBN, HC_ISBN], "publisher", GB_ISBN),
        # rule 2 beats rule 3: an ISBN match before Hardcover's search match
        ([HC_SEARCH, GB_ISBN], "title", GB_ISBN),
        # rule 3 beats rule 4: Hardcover's proven search before the others' searches
        ([OL_SEARCH, GB_SEARCH, HC_SEARCH], "title", HC_SEARCH),
        # rule 4: within the searches, source order; a missing value asks the next
        ([GB_SEARCH, OL_SEARCH], "title", OL_SEARCH),
        ([GB_SEARCH, OL_SEARCH], "language", GB_SEARCH),
        ([GB_SEARCH, OL_SEARCH], "series", None),
    ],
)
def test_the_best_value_rule(candidates, field, winner):
    assert best_values(candidates).get(field) == winner


def test_the_largest_cover_of_the_best_rank_wins():
    small = c("hardcover", "isbn", cover_url="https://a/s.jpg", cover_width=100, cover_height=150)
    large = c("google", "isbn", cover_url="https://a/l.jpg", cover_width=600, cover_height=900)
    searched = c(
        "openlibrary", "search", cover_url="https://a/x.jpg", cover_width=2000, cover_height=3000
    )
    assert best_values([small, large, searched])["cover"] == large


def test_ranks_follow_the_table():
    assert [rank(x)[0] for x in (HC_EDITION, HC_ISBN, OL_ISBN, HC_SEARCH, OL_SEARCH)] == [
        1,
        2,
        2,
        3,
        4,
    ]


@pytest.mark.parametrize(
    ("field", "local", "found", "differs"),
    [
        ("title", "Dune", "dune", False),
        ("title", "Dune", "Dune Messiah", True),
        ("authors", ("Frank Herbert",), ("frank  herbert",), False),
        ("authors", ("Unknown",), ("Frank Herbert",), True),
        ("series_index", 1.0, 1, False),
        ("description", None, "A desert planet.", True),
    ],
)
def test_a_field_is_flagged_when_the_source_says_otherwise(field, local, found, differs):
    candidate = c("openlibrary", "isbn", **{field: found})
    (row,) = [r for r in compare({field: local}, [candidate]) if r.name == field]
    assert (row.values["openlibrary"] == found) and (("openlibrary" in row.differs) is differs)


def test_compare_uses_each_sources_best_candidate_and_names_the_best_source():
    rows = {r.name: r for r in compare({"title": "Dune"}, [OL_SEARCH, OL_ISBN, GB_ISBN])}
    assert rows["title"].values == {"openlibrary": "Dune (OL)", "google": "Dune (GB)"}
    assert rows["title"].best == "openlibrary"
    assert rows["series"].values == {} and rows["series"].best is None


def test_take_all_and_only_empty():
    candidate = c("google", "isbn", title="Dune", publisher="Ace", description="Sand.")
    assert take_all(candidate) == ["title", "description", "publisher"]
    local = {"title": "Dune", "description": "", "publisher": None}
    assert take_all(candidate, only_empty=local) == ["description", "publisher"]


@pytest.mark.parametrize(
    ("field", "value", "empty"),
    [
        ("title", None, True),
        ("title", "", True),
        ("title", "Unknown", True),
        ("title", "  unknown  TITLE ", True),
        ("title", "Untitled", True),
        ("title", "The Unknown", False),
        ("title", "Unknown Soldier", False),
        ("authors", (), True),
        ("authors", ("Unknown",), True),
        ("authors", ("unknown author", " "), True),
        ("authors", ("Unknown", "Roald Dahl"), False),
        ("authors", ("Anonymous",), False),
        ("description", "Unknown", False),  # only titles and authors have placeholders
        ("series_index", 0.0, False),
        ("pages", None, True),
    ],
)
def test_a_field_is_empty_without_a_value_or_with_only_a_placeholder(field, value, empty):
    assert is_empty(field, value) is empty


def test_only_empty_replaces_unknown_authors_and_titles():
    candidate = c("google", "isbn", title="Dune", authors=("Frank Herbert",), publisher="Ace")
    local = {"title": "Unknown", "authors": ("Unknown",), "publisher": "Chilton"}
    assert take_all(candidate, only_empty=local) == ["title", "authors"]


MARTIAN = (
    "Six days ago, astronaut Mark Watney became one of the first people to walk on Mars. Now "
    "he's sure he'll be the first person to die there."
)
STUB = "The Martian by Andy Weir."


@pytest.mark.parametrize(
    ("field", "local", "candidates", "winner"),
    [
        # a one-line stub never replaces a full description; a fuller one further down does
        ("description", MARTIAN, [c("openlibrary", "isbn", description=STUB)], None),
        ("description", MARTIAN,
         [c("openlibrary", "isbn", description=STUB),
          c("google", "search", description=MARTIAN + " More.")], "google"),
        ("description", None, [c("openlibrary", "isbn", description=STUB)], "openlibrary"),
        ("description", "<p>" + MARTIAN + "</p>",
         [c("openlibrary", "isbn", description=MARTIAN[:-1])], None),  # markup is no length
        # fewer authors than the book names is poorer; "Unknown" is no author at all
        ("authors", ("Neil Gaiman", "Terry Pratchett"),
         [c("hardcover", "isbn", authors=("Terry Pratchett",))], None),
        ("authors", ("Unknown",), [c("hardcover", "isbn", authors=("Frank Herbert",))],
         "hardcover"),
        ("authors", ("Unknown", "Neil Gaiman"),
         [c("hardcover", "isbn", authors=("Neil Gaiman",))], "hardcover"),
        # a cover only when known to be larger than the book's (400 x 600 here)
        ("cover", "covers/1.jpg",
         [c("google", "isbn", cover_url="https://a/s.jpg", cover_width=128, cover_height=192)],
         None),
        ("cover", "covers/1.jpg", [c("openlibrary", "isbn", cover_url="https://a/u.jpg")], None),
        ("cover", "covers/1.jpg",
         [c("google", "isbn", cover_url="https://a/l.jpg", cover_width=800, cover_height=1200)],
         "google"),
        ("cover", None, [c("openlibrary", "isbn", cover_url="https://a/u.jpg")], "openlibrary"),
    ],
)  # fmt: skip
def test_best_never_takes_a_value_poorer_than_the_books(field, local, candidates, winner):
    best = best_values(candidates, {field: local}, cover_size=(400, 600)).get(field)
    assert (best.source if best else None) == winner


def test_best_takes_nothing_from_another_edition():
    english = c("openlibrary", "isbn", title="The Hobbit", language="en",
                publisher="Houghton Mifflin Harcourt", pages=300, description="In a hole.",
                cover_url="https://a/h.jpg")  # fmt: skip
    german = c("hardcover", "search", title="Der Hobbit", language="de", pages=380)
    local = {"title": "Der Hobbit", "language": "de"}
    assert best_values([english], local) == {}
    assert {n: x.source for n, x in best_values([english, german], local).items()} == {
        "title": "hardcover", "language": "hardcover", "pages": "hardcover",
    }  # fmt: skip
    assert other_editions(local, [english, german]) == {
        "openlibrary": "another edition: English, not German"
    }
    rows = {r.name: r for r in compare(local, [english, german])}
    assert rows["publisher"].best is None and rows["pages"].best == "hardcover"


def test_best_takes_nothing_from_another_book_whose_title_begins_with_the_books():
    # "Dune" whose ISBN's record is "Dune Messiah": not one value of it is the book's
    messiah = c("openlibrary", "isbn", title="Dune Messiah", language="en", publisher="Putnam",
                pages=256, release_date="1969", cover_url="https://a/m.jpg")  # fmt: skip
    own = c("google", "search", title="Dune: Deluxe Edition", language="en", pages=412)
    local = {"title": "Dune", "language": "en", "publisher": None, "pages": None}
    assert best_values([messiah], local) == {}
    assert {n: x.source for n, x in best_values([messiah, own], local).items()} == {
        "title": "google", "language": "google", "pages": "google",
    }  # fmt: skip
    assert other_editions(local, [messiah, own]) == {
        "openlibrary": "another edition: title differs"
    }


@pytest.mark.parametrize(
    ("field", "local", "found", "mark"),
    [
        ("title", unicodedata.normalize("NFD", "Les Misérables"), "Les Misérables", SAME),
        ("title", "Les Misérables", unicodedata.normalize("NFD", "Les Misérables"), SAME),
        ("title", "FOUNDATION", "Foundation", CASE),
        ("title", "Foundation", "Foundation ", SAME),
        ("title", "Foundation", "Foundation and Empire", DIFFERS),
        ("authors", ("ISAAC ASIMOV",), ("Isaac Asimov",), CASE),
        ("authors", ("Isaac Asimov",), ("Isaac  Asimov",), SAME),
        ("series_index", 2.0, 2, SAME),
        ("cover", "covers/1.jpg", "https://a/1.jpg", DIFFERS),  # the pictures tell (window)
        ("description", None, "Sand.", DIFFERS),
    ],
)
def test_values_compare_in_nfc_and_a_case_only_difference_has_its_own_mark(
    field, local, found, mark
):
    assert difference(field, local, found) == mark
    candidate = c(
        "openlibrary", "isbn", **({"cover_url": found} if field == "cover" else {field: found})
    )
    (row,) = [r for r in compare({field: local}, [candidate]) if r.name == field]
    assert ("openlibrary" in row.differs) is (mark == DIFFERS)
    assert ("openlibrary" in row.case_only) is (mark == CASE)


GREY = bytes(range(0, 256, 1))  # 16 x 16 grey levels


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ((0.66, GREY), (0.66, GREY), True),
        ((0.66, GREY), (0.67, bytes(min(255, g + 6) for g in GREY)), True),  # re-encoded, scaled
        ((0.66, GREY), (0.66, bytes(255 - g for g in GREY)), False),  # another picture
        ((0.66, GREY), (1.0, GREY), False),  # another shape
        ((0.66, b""), (0.66, b""), False),  # nothing to compare
    ],
)
def test_a_cover_is_the_same_picture_whatever_its_size_or_encoding(a, b, same):
    assert same_picture(a, b) is same
