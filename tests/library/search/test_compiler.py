"""The search language on a real library: each search finds exactly the books it says, and
each mistake in a value is a SearchError at the value's place."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.library.search.compiler import search_condition
from bookorbit_desktop.library.search.dates import period
from bookorbit_desktop.library.search.grammar import SearchError
from bookorbit_desktop.library.search.regexp import MAX_PATTERN, PatternError, checked_pattern
from bookorbit_desktop.library.store.models import (
    Book,
    BookFile,
    HardcoverMatch,
    ReadingState,
    database,
)
from bookorbit_desktop.library.store.tag_tables import BookTag, Tag
from tests.factories import add_book

TODAY = date(2025, 6, 15)


def _at(day: date) -> float:
    return datetime.combine(day, datetime.min.time()).timestamp() + 3600


@pytest.fixture
def books(library) -> None:
    """Six books, each with what the searches below look for."""
    rows = [
        # title, authors, series, status, rating, pages, added, finished, publisher, format
        (
            "The Hobbit",
            ["J. R. R. Tolkien"],
            None,
            "read",
            5.0,
            310,
            date(2024, 3, 1),
            "2024-04-02",
            "Allen & Unwin",
            "epub",
        ),
        (
            "The Fellowship of the Ring",
            ["J. R. R. Tolkien"],
            "The Lord of the Rings",
            "reading",
            4.0,
            423,
            date(2025, 6, 1),
            None,
            "Allen & Unwin",
            "pdf",
        ),
        (
            "Dune",
            ["Frank Herbert"],
            "Dune",
            "want_to_read",
            None,
            412,
            date(2025, 6, 14),
            None,
            None,
            "epub",
        ),
        (
            "Élan vital",
            ["Émile Zola", "Anna Adams"],
            None,
            "unread",
            3.5,
            None,
            date(2023, 1, 1),
            None,
            "Gallimard",
            "mobi",
        ),
        (
            "Harbour Lights",
            ["Anna Adams"],
            "Dune",
            "abandoned",
            2.0,
            120,
            date(2025, 5, 1),
            "2025-05-20",
            None,
            "epub",
        ),
        ("Quiet River", [], None, "on_hold", None, None, date(2025, 6, 15), None, None, None),
    ]
    for n, (
        title,
        authors,
        series,
        status,
        rating,
        pages,
        added,
        finished,
        publisher,
        kind,
    ) in enumerate(rows):
        book = add_book(title, authors, series=series, status=status, added_at=_at(added))
        Book.update(pages=pages, publisher=publisher).where(Book.id == book.id).execute()
        ReadingState.update(rating=rating, finished=finished).where(
            ReadingState.book == book.id
        ).execute()
        if kind:
            BookFile.create(
                book=book,
                path=f"/b/{n}.{kind}",
                format=kind,
                size=1,
                mtime=0,
                partial_md5=str(n),
                added_at=0,
            )
    tags = {
        "The Hobbit": ["Fantasy", "Classics"],
        "Dune": ["Sci-Fi", "Classics"],
        "Élan vital": ["Philosophie"],
    }
    for title, names in tags.items():
        for name in names:
            tag, _ = Tag.get_or_create(name=name)
            BookTag.create(book=Book.get(Book.title == title), tag=tag)
    states = {"The Hobbit": "linked", "Dune": "needs_review", "Élan vital": "excluded"}
    for title, state in states.items():
        HardcoverMatch.create(book=Book.get(Book.title == title), state=state, updated_at=0)


def found(text: str) -> set[str]:
    """The titles a search finds, read both ways (`Condition.sql` and `.ids`), which agree."""
    condition = search_condition(text, TODAY)
    sql, params = ("1", ()) if condition is None else (condition.sql, condition.params)
    rows = database.execute_sql(f"SELECT b.title FROM book b WHERE {sql}", list(params))
    titles = {row[0] for row in rows}
    if condition is not None:
        ids = database.execute_sql(
            f"SELECT b.title FROM book b WHERE b.id IN ({condition.ids})", condition.ids_params
        )
        assert {row[0] for row in ids} == titles
    return titles


HOBBIT, RING, DUNE, ELAN, HARBOUR, RIVER = (
    "The Hobbit",
    "The Fellowship of the Ring",
    "Dune",
    "Élan vital",
    "Harbour Lights",
    "Quiet River",
)
ALL = {HOBBIT, RING, DUNE, ELAN, HARBOUR, RIVER}


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("", ALL),
        # plain words: title, authors and series, as the filter box always searched
        ("tolkien", {HOBBIT, RING}),
        ("dune", {DUNE, HARBOUR}),
        ("the ring", {RING}),
        ("elan", {ELAN}),
        ('"lord of the"', {RING}),
        ("hobbit or dune", {HOBBIT, DUNE, HARBOUR}),
        ("not tolkien", {DUNE, ELAN, HARBOUR, RIVER}),
        ("tolkien not hobbit", {RING}),
        ("(hobbit or harbour) and not anna", {HOBBIT}),
        # text fields
        ("title:dune", {DUNE}),
        ("title:the", {HOBBIT, RING}),
        ("title:=dune", {DUNE}),
        ('title:="the hobbit"', {HOBBIT}),
        ("title:=hobbit", set()),
        ("title:~^the", {HOBBIT, RING}),
        ('title:~"ring$"', {RING}),
        ("author:adams", {ELAN, HARBOUR}),
        ("authors:zola", {ELAN}),
        ("author:emile", {ELAN}),
        ('author:="anna adams"', {ELAN, HARBOUR}),
        ("author:false", {RIVER}),
        ("series:dune", {DUNE, HARBOUR}),
        ("series:false", {HOBBIT, ELAN, RIVER}),
        ("series:true", {RING, DUNE, HARBOUR}),
        ("title:!=dune", ALL - {DUNE}),
        ("publisher:unwin", {HOBBIT, RING}),
        ("publisher:false", {DUNE, HARBOUR, RIVER}),
        ("language:en", ALL),
        ("format:epub", {HOBBIT, DUNE, HARBOUR}),
        ("format:pdf or format:mobi", {RING, ELAN}),
        ("format:false", {RIVER}),
        # tags
        ("tags:classics", {HOBBIT, DUNE}),
        ("tag:sci", {DUNE}),
        ("tags:=sci-fi", {DUNE}),
        ("tags:=sci", set()),
        ("tags:~^(fan|phil)", {HOBBIT, ELAN}),
        ("tags:philosophie", {ELAN}),
        ("tags:false", {RING, HARBOUR, RIVER}),
        ("tags:classics not tags:fantasy", {DUNE}),
        # numbers
        ("rating:>=4", {HOBBIT, RING}),
        ("rating:4", {RING}),
        ("rating:=3.5", {ELAN}),
        ("rating:<3", {HARBOUR}),
        ("rating:!=5", ALL - {HOBBIT}),  # a book without a rating is not rated 5
        ("rating:false", {DUNE, RIVER}),
        ("pages:>300", {HOBBIT, RING, DUNE}),
        ("pages:<=310", {HOBBIT, HARBOUR}),
        ("pages:false", {ELAN, RIVER}),
        # dates, from today (15 June 2025)
        ("added:today", {RIVER}),
        ("added:yesterday", {DUNE}),
        ("added:<30daysago", {HOBBIT, ELAN, HARBOUR}),
        ("added:>30daysago", {RING, DUNE, RIVER}),
        ("added:>=30daysago", {RING, DUNE, RIVER}),
        ("added:>2025-01-01", {RING, DUNE, HARBOUR, RIVER}),
        ("added:2024", {HOBBIT}),
        ("added:2025-06", {RING, DUNE, RIVER}),
        ("added:thismonth", {RING, DUNE, RIVER}),
        ("added:thisyear", {RING, DUNE, HARBOUR, RIVER}),
        ("added:<=2024", {HOBBIT, ELAN}),
        ("finished:2024", {HOBBIT}),
        ("finished:true", {HOBBIT, HARBOUR}),
        ("finished:>2024", {HARBOUR}),
        ("finished:2025-05-20", {HARBOUR}),
        # statuses, by name or label, whole or begun
        ("status:reading", {RING}),
        ("status:read", {HOBBIT}),
        ("status:want", {DUNE}),
        ('status:"want to read"', {DUNE}),
        ("status:want-to-read", {DUNE}),
        ("status:unread", {ELAN}),
        ('status:"on hold"', {RIVER}),
        ("status:=read", {HOBBIT}),
        ("not status:unread", ALL - {ELAN}),
        ("not not status:unread", {ELAN}),
        ("not (not hobbit)", {HOBBIT}),
        ("not hardcover:unmatched", {HOBBIT, ELAN}),
        ("status:read or status:reading", {HOBBIT, RING}),
        # Hardcover's states
        ("hardcover:matched", {HOBBIT}),
        ("hardcover:linked", {HOBBIT}),
        ("hardcover:unmatched", {RING, DUNE, HARBOUR, RIVER}),
        ("hardcover:excluded", {ELAN}),
        ("hardcover:needs_review", {DUNE}),
        ('hardcover:"needs review"', {DUNE}),
        # together
        ("tolkien rating:>=5", {HOBBIT}),
        ("author:tolkien or rating:<3", {HOBBIT, RING, HARBOUR}),
        ("series:dune and not status:abandoned", {DUNE}),
    ],
)
def test_searches_find_their_books(books, text: str, titles: set[str]) -> None:
    assert found(text) == titles


@pytest.mark.parametrize(
    ("text", "message", "place"),
    [
        ("ratng:>4", "Unknown field 'ratng' — did you mean rating?", (0, 8)),
        ("dune titel:x", "Unknown field 'titel' — did you mean title?", (5, 12)),
        ("zzz:x", "Unknown field 'zzz' — use one of: title, series", (0, 5)),
        ("rating:>four", "'rating' takes a number, not 'four'", (0, 12)),
        ("rating:~4", "'rating' is a number: no pattern", (0, 9)),
        ("added:<lastweek", "'added' takes a date (2024, 2024-05", (0, 15)),
        ("added:2024-13", "'added' takes a date", (0, 13)),
        ("title:>b", "'title' is text: use title:word", (0, 8)),
        ("status:finished", "No reading status 'finished' — use one of: unread,", (0, 15)),
        ("status:>read", "'status' takes a status name", (0, 12)),
        ("hardcover:maybe", "No Hardcover state 'maybe'", (0, 15)),
        ('title:~"("', "Not a valid pattern", (0, 10)),
        ('title:~"(a)\\1"', "Searches do not take \\1: their engine has no back-refe", (0, 14)),
        ("title:~(?<=a)b", "Searches do not take (?<=: their engine has no back", (0, 14)),
        ("x title:~" + "a" * (MAX_PATTERN + 1), f"A pattern is at most {MAX_PATTERN}", (2, 210)),
    ],
)
def test_mistakes_in_values(text: str, message: str, place: tuple[int, int]) -> None:
    with pytest.raises(SearchError) as raised:
        search_condition(text, TODAY)
    assert raised.value.message.startswith(message)
    assert (raised.value.start, raised.value.end) == place


@pytest.mark.parametrize(
    ("value", "days"),
    [
        ("2024", (date(2024, 1, 1), date(2025, 1, 1))),
        ("2024-02", (date(2024, 2, 1), date(2024, 3, 1))),
        ("2024-12", (date(2024, 12, 1), date(2025, 1, 1))),
        ("2024-02-29", (date(2024, 2, 29), date(2024, 3, 1))),
        ("today", (TODAY, TODAY + timedelta(days=1))),
        ("Yesterday", (TODAY - timedelta(days=1), TODAY)),
        ("0daysago", (TODAY, TODAY + timedelta(days=1))),
        ("30daysago", (date(2025, 5, 16), date(2025, 5, 17))),
        ("thismonth", (date(2025, 6, 1), date(2025, 7, 1))),
        ("thisyear", (date(2025, 1, 1), date(2026, 1, 1))),
        ("2023-02-29", None),
        ("9999", None),
        ("0000", None),
        ("99999999daysago", None),
        ("soon", None),
    ],
)
def test_periods(value: str, days: tuple[date, date] | None) -> None:
    assert period(value, TODAY) == days


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(a)\\1", "Searches do not take \\1:"),
        ("(?P<x>a)(?P=x)", "Searches do not take (?P:"),
        ("(?=a)", "Searches do not take (?=:"),
        ("(?!a)b", "Searches do not take (?!:"),
        ("(?<!a)b", "Searches do not take (?<!:"),
        ("(?>a+)b", "Searches do not take (?>:"),
        ("a++b", "Searches do not take ++:"),
        ("a{1001}", "Searches do not take {1001}: a pattern repeats anything at most 1000"),
        ("[\\Wa]", "Searches do not take \\W inside [ ]"),
        ("a" * (MAX_PATTERN + 1), f"A pattern is at most {MAX_PATTERN} characters"),
        ("[", "Not a valid pattern: unterminated character set"),
        ("a{99999999999}", "Not a valid pattern: the repetition number is too large"),
    ],
)
def test_patterns_that_are_refused(pattern: str, message: str) -> None:
    with pytest.raises(PatternError) as refused:
        checked_pattern(pattern)
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("^the", "The Hobbit", True),
        ("ring$", "The Fellowship of the RING", True),
        ("\\(a+\\)+", "(aa)", True),
        ("colou?r", "Colors", True),
        ("[a-z]{2,4}", "x1", False),
        # Python's meaning, not RE2's: \w, \d and \s are Unicode, case is folded beyond ASCII
        ("^\\w+ \\w+$", "Élan vital", True),
        ("^\\W", "Élan", False),
        ("[\\w]{4}", "Élan", True),
        ("\\d", "٣ kingdoms", True),
        ("a\\sb", "a\u00a0b", True),
        ("^\\S+$", "a\u2003b", False),
        ("élan", "ÉLAN", True),
        ("\\u00e9", "É", True),
        ("end\\Z", "the end", True),
        ("[]a]", "]", True),
        ("[^]a]", "]a", False),
    ],
)
def test_patterns_that_are_searched_with(pattern: str, text: str, found: bool) -> None:
    assert (checked_pattern(pattern).search(text) is not None) is found
    assert (re.search(pattern, text, re.IGNORECASE) is not None) is found  # as Python's re


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|a)*b", "(a*)*b", "^(\\w+\\s?)*$", "(x|a+){2,}b"])
def test_patterns_that_backtrack_in_python_are_searched_with(pattern: str) -> None:
    """Each takes Python's `re` longer than a day on this text; RE2 answers at once."""
    started = time.perf_counter()
    assert checked_pattern(pattern).search("a" * 60 + "!") is None
    assert time.perf_counter() - started < 0.5


_WORDS = st.sampled_from(
    [
        *("title:", "author:", "rating:", "added:", "status:", "hardcover:", "pages:", "x:"),
        *(">=", "<", "=", "~", "!=", "(", ")", '"', " ", " and ", " or ", " not ", "\\"),
        *("4", "2024-05", "30daysago", "true", "read", "dune", "é", "%", "_", "'", "?", "*"),
    ]
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(st.lists(_WORDS, max_size=10).map("".join))
def test_any_search_runs_or_says_why(books, text: str) -> None:
    """Whatever is typed, the search is a SearchError or a condition SQLite runs."""
    try:
        found(text)
    except SearchError as error:
        assert 0 <= error.start <= error.end <= len(text)


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        # a negated part anywhere in an `and`: the others' books not among its opposite's
        ("not tolkien dune", {DUNE, HARBOUR}),
        ("not status:unread tolkien", {HOBBIT, RING}),
        ("rating:>=4 not hobbit", {RING}),
        ("not tolkien not dune", {ELAN, RIVER}),
        ("not tolkien not dune not river", {ELAN}),
        ("not (tolkien or dune) author:adams", {ELAN}),
        ("not not status:unread author:adams", {ELAN}),
        # `=` on an indexed field: the index's candidates, then the whole field compared
        ('title:="élan vital"', {ELAN}),
        ('title:="ELAN VITAL"', {ELAN}),
        ("title:=vital", set()),
        ('author:="anna adams" not title:=dune', {ELAN, HARBOUR}),
        ("author:=tolkien", set()),
        # the series: each distinct value tested once, its books looked up by the index
        ("series:=dune", {DUNE, HARBOUR}),
        ("series:du", {DUNE, HARBOUR}),
        ("series:LORD", {RING}),
        ("series:~rings$", {RING}),
        ("not series:dune", {HOBBIT, RING, ELAN, RIVER}),
        # a title's value shorter than a trigram: the index's texts first, then the title
        ("title:ar", {HARBOUR}),
        ("title:él", {ELAN, RING}),
        ("title:ob", {HOBBIT}),
    ],
)
def test_negations_fields_and_short_values_find_what_each_book_checked_finds(
    books, text: str, titles: set[str]
) -> None:
    """`found` reads each search both ways: its ids (the index's candidates, `a and not b` as
    a's books not among b's, a series by its distinct values) and each book checked by the
    condition on its row."""
    assert found(text) == titles


_PARTS = st.sampled_from(
    [
        *("tolkien", "dune", "elan", "the", "ri", "adams"),
        *("title:=dune", 'title:="the hobbit"', 'title:="élan vital"', 'author:="anna adams"'),
        *(
            "series:=dune",
            "series:du",
            "title:ar",
            "title:the",
            "status:unread",
            "hardcover:unmatched",
            "rating:>=4",
        ),
        *("tags:classics", "format:epub", "author:false"),
    ]
)
_SEARCHES = st.recursive(
    _PARTS,
    lambda inner: st.one_of(
        inner.map(lambda text: f"not ({text})"),
        st.lists(inner, min_size=2, max_size=3).map(
            lambda parts: " ".join(f"({p})" for p in parts)
        ),
        st.lists(inner, min_size=2, max_size=3).map(
            lambda parts: " or ".join(f"({p})" for p in parts)
        ),
    ),
    max_leaves=6,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(_SEARCHES)
def test_the_ids_of_any_search_are_the_books_its_condition_keeps(books, text: str) -> None:
    """However `and`, `or` and `not` nest, the ids the search reads (`Condition.ids`) are the
    books its condition on each row (`Condition.sql`) keeps."""
    found(text)


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ('series:="dune"', "book_sort_key_series"),
        ('publisher:="allen & UNWIN"', "book_sort_key_publisher"),
        ("language:=EN", "book_language_key"),  # any of its languages
    ],
)
def test_a_whole_series_publisher_or_language_is_looked_up_in_its_stored_key(
    books, text: str, index: str
) -> None:
    """`=` finds them by the folded key the library stores with its index (a click in the
    library browser asks for it), not by folding every book's text."""
    condition = search_condition(text, TODAY)
    assert condition is not None
    query = f"SELECT b.id FROM book b WHERE {condition.sql}"
    plan = " ".join(
        row[-1] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {query}", condition.params)
    )
    assert index in plan
    found = {row[0] for row in database.execute_sql(query, condition.params)}
    assert found == {row[0] for row in database.execute_sql(condition.ids, condition.ids_params)}
    assert found  # the fixture's books have them


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("language:fr", {ELAN}),
        ("language:=FR", {ELAN}),
        ("language:=en", ALL - {DUNE, RIVER}),
        ('language:="pt-br"', {DUNE}),
        ("language:~^f", {ELAN}),
        ("language:en and language:fr", {ELAN}),
        ("not language:fr", ALL - {ELAN}),
        ("language:!=en", {DUNE, RIVER}),
        ("language:true", ALL - {RIVER}),
        ("language:false", {RIVER}),
    ],
)
def test_a_book_is_found_by_any_of_its_languages(books, text: str, titles: set[str]) -> None:
    """A parallel text ("fr, en") is a French book and an English one; a book without a
    language is neither."""
    from bookorbit_desktop.library.store.languages import set_languages_of

    ids = {title: book_id for book_id, title in database.execute_sql("SELECT id, title FROM book")}
    with database.atomic():
        set_languages_of({ids[ELAN]: ["fr", "en"], ids[DUNE]: ["pt-BR"], ids[RIVER]: []})
    assert found(text) == titles
