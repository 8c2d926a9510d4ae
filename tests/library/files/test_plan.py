"""The pure rules of tidy file names: pattern -> target path, table-driven."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.files.plan import (
    DEFAULT_PATTERN,
    BookFacts,
    PatternError,
    Rename,
    Rules,
    check_pattern,
    legal_part,
    plan,
    sidecar,
)

LINUX = Rules.for_system("linux")
WINDOWS = Rules.for_system("windows")
MAC = Rules.for_system("darwin")


def _book(
    title: str = "Dune",
    authors: tuple[str, ...] = ("Frank Herbert",),
    series: str | None = None,
    index: float | None = None,
    path: str = "/in/x.epub",
    file_id: int = 1,
    published: str | None = None,
) -> BookFacts:
    return BookFacts(file_id, path, title, authors, series, index, published, "en")


@pytest.mark.parametrize(
    ("book", "pattern", "rules", "expected"),
    [
        (_book(), DEFAULT_PATTERN, LINUX, "/lib/Frank Herbert/Dune.epub"),
        (
            _book(series="Dune Chronicles", index=1.0),
            DEFAULT_PATTERN,
            LINUX,
            "/lib/Frank Herbert/Dune Chronicles 01 - Dune.epub",
        ),
        (
            _book(series="S", index=2.5),
            DEFAULT_PATTERN,
            LINUX,
            "/lib/Frank Herbert/S 02.5 - Dune.epub",
        ),
        (_book(series="S"), DEFAULT_PATTERN, LINUX, "/lib/Frank Herbert/Dune.epub"),  # no number
        (_book(authors=()), DEFAULT_PATTERN, LINUX, "/lib/Unknown Author/Dune.epub"),
        (_book(path="/in/X.EPUB"), "{title}", LINUX, "/lib/Dune.epub"),  # extension lowercased
        (_book(authors=("A", "B")), "{authors}/{title}", LINUX, "/lib/A, B/Dune.epub"),
        (_book(published="1965-08-01"), "{title} ({year})", LINUX, "/lib/Dune (1965).epub"),
        (_book(title="AC/DC: Live?"), "{title}", LINUX, "/lib/AC_DC: Live?.epub"),
        (_book(title="AC/DC: Live?"), "{title}", WINDOWS, "/lib/AC_DC_ Live_.epub"),
        (_book(title="AC/DC: Live?"), "{title}", MAC, "/lib/AC_DC_ Live?.epub"),
        (_book(title="con"), "{title}", WINDOWS, "/lib/con_.epub"),
        (_book(title="Trailing... "), "{title}", WINDOWS, "/lib/Trailing.epub"),
        (_book(title=".hidden"), "{title}", LINUX, "/lib/hidden.epub"),
        (_book(title="two\nlines\tand  tabs"), "{title}", LINUX, "/lib/two lines and tabs.epub"),
        (_book(title="red\x1b[31m"), "{title}", LINUX, "/lib/red_[31m.epub"),
        (
            _book(authors=("J. R. R. Tolkien.",)),
            "{author}/{title}",
            WINDOWS,
            "/lib/J. R. R. Tolkien/Dune.epub",
        ),
    ],
)
def test_targets(book, pattern, rules, expected):
    assert plan([book], pattern, "/lib", rules) == [Rename(1, book.path, expected)]


def test_long_names_are_cut_on_a_character_boundary_with_room_for_number_and_sidecar():
    title = "é" * 400
    (rename,) = plan([_book(title=title)], "{title}", "/lib", LINUX)
    name = rename.new.rsplit("/", 1)[1]
    stem = name.removesuffix(".epub")
    assert len((stem + " (999).epub").encode()) <= 255
    assert len((stem + " (999).sdr").encode()) <= 255
    assert set(stem) == {"é"}


def test_windows_paths_stay_under_the_path_limit():
    (rename,) = plan([_book(title="t" * 300)], "{author}/{title}", "C:/" + "f" * 150, WINDOWS)
    assert len(rename.new) + len(" (999)") <= 259


def test_collisions_are_numbered_and_files_in_place_keep_their_names():
    books = [
        _book(path="/lib/Frank Herbert/Dune.epub", file_id=1),
        _book(path="/in/a.epub", file_id=2),
        _book(path="/in/b.epub", file_id=3),
    ]
    assert plan(books, DEFAULT_PATTERN, "/lib", LINUX) == [
        Rename(2, "/in/a.epub", "/lib/Frank Herbert/Dune (2).epub"),
        Rename(3, "/in/b.epub", "/lib/Frank Herbert/Dune (3).epub"),
    ]


def test_existing_files_are_not_overwritten_and_case_counts_where_the_system_folds_it():
    taken = ["/lib/frank herbert/dune.epub"]
    (linux,) = plan([_book()], DEFAULT_PATTERN, "/lib", LINUX, taken)
    assert linux.new == "/lib/Frank Herbert/Dune.epub"
    (mac,) = plan([_book()], DEFAULT_PATTERN, "/lib", MAC, taken)
    assert mac.new == "/lib/Frank Herbert/Dune (2).epub"


@pytest.mark.parametrize("pattern", ["", "{author}/", "/{title}", "../{title}", "{nope}", "{title"])
def test_bad_patterns_are_refused(pattern):
    with pytest.raises(PatternError):
        check_pattern(pattern)


def test_legal_part_never_returns_an_empty_name_and_sidecar_sits_beside_the_book():
    assert legal_part("...", WINDOWS) == "_"
    assert sidecar("/lib/A/Dune.epub") == "/lib/A/Dune.sdr"


def test_windows_separators_and_case_only_renames():
    stored = "C:\\lib\\Frank Herbert\\Dune.epub"
    assert plan([_book(path=stored)], "{author}/{title}", "C:/lib", WINDOWS) == []
    (rename,) = plan([_book(path="/lib/frank herbert/dune.epub")], "{author}/{title}", "/lib", MAC)
    assert rename.new == "/lib/Frank Herbert/Dune.epub"  # the case is tidied too
