"""A search's pattern runs in time bounded by the text it reads: random patterns built from
alternation, repeats, counted repeats, groups and classes against long titles, through the
search language and SQLite's `bookorbit_regexp`, each answered within a bound (or refused in
one sentence); and the patterns that froze `books --search` on a 40-character title, through
the real command line."""

from __future__ import annotations

import faulthandler
import json
import subprocess
import sys
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.search.compiler import search_condition
from bookorbit_desktop.library.search.grammar import SearchError
from bookorbit_desktop.library.store.models import database
from tests.factories import add_book, make_epub
from tests.logging_support import restore_root_logger  # noqa: F401

# Texts on which backtracking engines fail slowly: runs of one letter or word, then a stop.
LONG_TITLES = (
    "a" * 239 + "!",
    "ab " * 80 + "!",
    "word " * 48 + "x!",
    ("Élan vital " * 22)[:239] + "\t",
)
SECONDS_PER_SEARCH = 1.0
STUCK_SECONDS = 120  # the whole property test takes a few seconds

_ATOMS = st.sampled_from(["a", "b", "ab", ".", "\\w", "\\s", "\\W", "[ab]", "[^!]", "x", " "])


def _repeated(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    counts = st.sampled_from(["*", "+", "?", "{2}", "{3,}", "{1,4}", "{0,2}", "*?", "+?"])
    return st.tuples(inner, counts).map(lambda part: f"(?:{part[0]}){part[1]}")


def _patterns() -> st.SearchStrategy[str]:
    parts = st.recursive(
        _ATOMS,
        lambda inner: st.one_of(
            _repeated(inner),
            st.lists(inner, min_size=2, max_size=3).map("|".join).map(lambda alt: f"({alt})"),
            st.lists(inner, min_size=2, max_size=4).map("".join),
            inner.map(lambda group: f"({group})"),
        ),
        max_leaves=10,
    )
    return st.tuples(st.sampled_from(["", "^"]), parts, st.sampled_from(["", "$", "b", "!$"])).map(
        "".join
    )


def _titles_found(search: str) -> set[str]:
    condition = search_condition(search, date(2025, 6, 15))
    assert condition is not None
    rows = database.execute_sql(
        f"SELECT b.title FROM book b WHERE {condition.sql}", condition.params
    )
    return {row[0] for row in rows}


@pytest.fixture
def ended_if_stuck():
    """A pattern stuck in Python's `re` holds the interpreter in C: neither a signal handler nor
    another thread runs, so faulthandler's watchdog ends the process (the run fails) instead."""
    faulthandler.dump_traceback_later(STUCK_SECONDS, exit=True, file=sys.__stderr__)
    yield
    faulthandler.cancel_dump_traceback_later()


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pattern=_patterns())
@example(pattern="(a|a)*b")  # shapes that backtrack: alternation, nesting, counts, chains
@example(pattern="(?:(?:[ab])+)+$")
@example(pattern="(?:a+){20}b")
@example(pattern="(\\w|\\s|ab)*#$")
@example(pattern="a*a*a*a*a*a*a*a*a*a*a*b")
def test_any_pattern_runs_in_bounded_time_on_long_titles(
    library, ended_if_stuck, pattern: str
) -> None:
    if not database.execute_sql("SELECT 1 FROM book").fetchone():
        for title in LONG_TITLES:
            add_book(title)
    search = f'title:~"{pattern}"'  # no atom holds a quote or a backslash before one
    started = time.perf_counter()
    try:
        _titles_found(search)
    except SearchError as error:
        # only a pattern RE2 finds too large is refused, and in one sentence
        assert error.message.startswith(("Searches do not take {", "This pattern is too large"))
    assert time.perf_counter() - started < SECONDS_PER_SEARCH, pattern


@pytest.fixture
def forty_characters(tmp_path, capsys):
    """A library of two books, one titled with 39 a's and a stop, on which backtracking fails."""
    books = tmp_path / "books"
    make_epub(books / "a.epub", "a" * 39 + "!", ("Ann Author",))
    make_epub(books / "dune.epub", "Dune", ("Frank Herbert",))
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "import", str(books)]) == 0
    capsys.readouterr()
    return data


@pytest.mark.parametrize(
    ("pattern", "found"),
    [
        ("(a|a)*b", []),
        ("(\\w|\\w)*$", ["a" * 39 + "!", "Dune"]),
        ("((\\w+)\\s?)+$", ["Dune"]),
        ("(a+){20}$", []),
        ("a*a*a*a*a*a*a*a*a*a*b", []),
    ],
)
def test_patterns_that_froze_the_command_line_answer_at_once(forty_characters, pattern, found):
    command = [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(forty_characters)]
    started = time.monotonic()
    done = subprocess.run(
        [*command, "books", "--json", "--search", f"title:~{pattern}"],
        capture_output=True,
        text=True,
        timeout=20,
    )
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert [book["title"] for book in json.loads(done.stdout)] == found
    assert seconds < 10, seconds  # the process's start included; the search itself is at once
