"""`#label:` searches of custom columns on a real library: each kind by the operators of the
built-in fields of its kind, the books without a value, and mistakes as SearchErrors at the
term's place."""

from __future__ import annotations

from datetime import date

import pytest

from bookorbit_desktop.library.custom.columns import add_column
from bookorbit_desktop.library.custom.kinds import parse
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.library.search.compiler import search_condition
from bookorbit_desktop.library.search.grammar import SearchError
from bookorbit_desktop.library.search.grammar import parse as parse_search
from bookorbit_desktop.library.store.models import database
from tests.factories import add_book

TODAY = date(2025, 6, 15)
VALUES = {
    # title: mood, weight, stars, bought, lent, place, themes
    "Emma": ("Calm", "2", "4.5", "2024-03-01", "yes", "Desk", "love, class"),
    "Dune": ("Épique", "10", "3", "2025-06-01", "no", "Attic", "desert, power"),
    "Lights": ("calm seas", "0.5", None, None, None, None, "love"),
    "Quiet": (None, None, None, None, None, None, None),
}


@pytest.fixture
def books(library) -> None:
    columns = [
        add_column("Mood", "text"),
        add_column("Weight", "number"),
        add_column("Stars", "rating"),
        add_column("Bought", "date"),
        add_column("Lent", "yes-no"),
        add_column("Place", "list", ["Desk", "Attic"]),
        add_column("Themes", "tags"),
    ]
    for title, texts in VALUES.items():
        book = add_book(title).id
        values = {c.id: parse(c, t) for c, t in zip(columns, texts, strict=True) if t}
        if values:
            set_values([book], values)


def found(text: str) -> list[str]:
    condition = search_condition(text, TODAY)
    assert condition is not None
    by_sql = database.execute_sql(
        f"SELECT b.title FROM book b WHERE {condition.sql} ORDER BY b.title", condition.params
    )
    by_ids = database.execute_sql(
        f"SELECT title FROM book WHERE id IN ({condition.ids}) ORDER BY title",
        condition.ids_params,
    )
    titles = [title for (title,) in by_sql]
    assert titles == [title for (title,) in by_ids]
    return titles


@pytest.mark.parametrize(
    ("search", "titles"),
    [
        ("#mood:calm", ["Emma", "Lights"]),
        ("#mood:=calm", ["Emma"]),
        ("#mood:epique", ["Dune"]),
        ("#mood:~^calm\\b", ["Emma", "Lights"]),
        ("#mood:!=calm", ["Dune", "Lights", "Quiet"]),
        ("#mood:true", ["Dune", "Emma", "Lights"]),
        ("#mood:false", ["Quiet"]),
        ('#mood:""', ["Quiet"]),
        ("#weight:>1", ["Dune", "Emma"]),
        ("#weight:<=2", ["Emma", "Lights"]),
        ("#weight:=10", ["Dune"]),
        ("#weight:false", ["Quiet"]),
        ("#stars:>=4", ["Emma"]),
        ('#stars:""', ["Lights", "Quiet"]),
        ("#bought:2024", ["Emma"]),
        ("#bought:>2025-01-01", ["Dune"]),
        ("#bought:<30daysago", ["Emma"]),
        ("#lent:true", ["Emma"]),
        ("#lent:no", ["Dune"]),
        ('#lent:""', ["Lights", "Quiet"]),
        ("#place:=desk", ["Emma"]),
        ("#themes:love", ["Emma", "Lights"]),
        ("#themes:=love", ["Emma", "Lights"]),
        ("#themes:pow", ["Dune"]),
        ("#themes:false", ["Quiet"]),
        ("#themes:~^(LOVE|des)", ["Dune", "Emma", "Lights"]),  # each spelling tested once
        ("not #themes:~^power$", ["Emma", "Lights", "Quiet"]),
        ("#THEMES:love and not #mood:=calm", ["Lights"]),
        ("#weight:>1 or #themes:love", ["Dune", "Emma", "Lights"]),
    ],
)
def test_each_kind_finds_its_books(books, search, titles):
    assert found(search) == titles


@pytest.mark.parametrize(
    ("search", "message"),
    [
        ("#colour:red", "Unknown column '#colour' — the custom columns are: #bought,"),
        ("#weight:heavy", "'#weight' takes a number, not 'heavy'"),
        ("#weight:~1", "'#weight' is a number: no pattern"),
        ("#bought:someday", "'#bought' takes a date"),
        ("#lent:maybe", "'#lent' is yes or no"),
        ("#mood:>a", "'#mood' is text"),
    ],
)
def test_mistakes_are_search_errors_at_the_term(books, search, message):
    text = f"emma {search}"
    with pytest.raises(SearchError) as raised:
        search_condition(text, TODAY)
    assert raised.value.message.startswith(message)
    assert (raised.value.start, raised.value.end) == (5, len(text))


def test_a_label_with_digits_is_a_field_and_a_hash_word_is_text():
    term = parse_search("#vol2:3")
    assert (term.field, term.value) == ("#vol2", "3")
    assert parse_search("#1").field is None
