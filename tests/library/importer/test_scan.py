"""Walking folders for ebooks: the files and their order are those of a top-down `os.walk`
(a folder's files by name, then its folders by name), with hidden entries, `.sdr` and
`__MACOSX` folders and the data folder left out and linked folders not followed."""

from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.library.importer.scan import collect_file_names, source_ranges


def _touch(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_walk_order_and_what_is_left_out(tmp_path):
    root = tmp_path / "books"
    for name in (
        "b.epub",
        "A.EPUB",
        "notes.txt",
        ".hidden.epub",
        "z/deep/1.pdf",
        "z/0.fb2.zip",
        "a/x.epub",
        "a/cover.jpg",
        ".git/h.epub",
        "book.sdr/metadata.epub",
        "__MACOSX/a/._b.epub",
        "data/library.epub",
        "elsewhere/linked.epub",
    ):
        _touch(root / name)
    os.symlink(root / "elsewhere", root / "link-to-folder")
    os.symlink(root / "b.epub", root / "c-link.epub")
    os.symlink(root / "gone.epub", root / "d-broken.epub")
    files, failures, ignored = collect_file_names([root], skip=[root / "data"])
    assert [os.path.relpath(name, root) for name in files] == [
        "A.EPUB",
        "b.epub",
        "c-link.epub",
        "d-broken.epub",  # the import reports it cannot be read
        "a/x.epub",
        "elsewhere/linked.epub",
        "z/0.fb2.zip",
        "z/deep/1.pdf",
    ]
    assert failures == [] and ignored == 2  # notes.txt, a/cover.jpg


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["books"], ["books/a.epub", "books/sub/b.epub"]),
        (["books", "books"], ["books/a.epub", "books/sub/b.epub"]),
        (["books/sub/b.epub", "books"], ["books/sub/b.epub", "books/a.epub"]),
        (["books", "books/sub/b.epub"], ["books/a.epub", "books/sub/b.epub"]),
        (["books/sub", "books/a.epub", "books"], ["books/sub/b.epub", "books/a.epub"]),
        (["books/a.epub", "books/a.epub"], ["books/a.epub"]),
        (
            ["books/a.epub", "other.epub", "books"],
            ["books/a.epub", "other.epub", "books/sub/b.epub"],
        ),
    ],
)
def test_each_file_is_taken_once_in_the_order_first_named(tmp_path, sources, expected):
    for name in ("books/a.epub", "books/sub/b.epub", "other.epub"):
        _touch(tmp_path / name)
    files, failures, _ = collect_file_names([tmp_path / source for source in sources])
    assert [os.path.relpath(name, tmp_path) for name in files] == expected
    assert failures == []


@given(
    st.lists(
        st.sampled_from(["books", "books/sub", "books/sub/b.epub", "books/a.epub", "book"]),
        min_size=1,
        max_size=4,
    )
)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_file_found_lies_in_the_sources_ranges(tmp_path, sources):
    # The quick answer reads the library's rows of these ranges only: a file found outside
    # them would be taken for a new one.
    for name in ("books/a.epub", "books/sub/b.epub", "books-2/c.epub", "book/d.epub", "e.epub"):
        _touch(tmp_path / name)
    named = [tmp_path / source for source in sources]
    ranges = source_ranges(named)
    assert ranges == sorted(ranges)
    assert all(low < high < after for (low, high), (after, _) in pairwise(ranges))
    files, _, _ = collect_file_names(named)
    assert files
    for file in files:
        assert any(low <= file < high for low, high in ranges), file


def test_the_root_folder_ranges_every_path():
    ranges = source_ranges([os.sep])
    for path in (os.sep, os.path.join(os.sep, "a.epub"), os.path.join(os.sep, "x", "y.epub")):
        assert any(low <= path < high for low, high in ranges)


def test_the_ranges_leave_out_neighbouring_folders_and_files(tmp_path):
    books = tmp_path / "books"
    ranges = source_ranges([books, tmp_path / "books" / "sub"])  # the second lies in the first
    inside = [books, books / "a.epub", books / "sub" / "deep" / "b.epub"]
    outside = [tmp_path / "books-2" / "a.epub", tmp_path / "books.epub", tmp_path / "book"]
    assert all(any(low <= str(path) < high for low, high in ranges) for path in inside)
    assert not any(any(low <= str(path) < high for low, high in ranges) for path in outside)
    assert len(ranges) == 2  # the folder's own path, then all below it


def test_a_linked_source_is_ranged_where_its_files_are_found(tmp_path):
    _touch(tmp_path / "real" / "a.epub")
    os.symlink(tmp_path / "real", tmp_path / "link")
    files, _, _ = collect_file_names([tmp_path / "link"])
    ranges = source_ranges([tmp_path / "link"])
    assert files == [str(tmp_path / "real" / "a.epub")]
    assert any(low <= files[0] < high for low, high in ranges)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_many_named_files_resolve_as_each_would_alone(tmp_path, monkeypatch):
    """Files named one by one (a calibre library's), their folders resolved once for all:
    each is found, and ranged, where resolving it alone finds it, through linked folders and
    files, `..`, `.`, doubled separators and relative names."""
    real = tmp_path / "real"
    for name in ("A/x (1)/x.epub", "A/y (2)/y.epub", "B/z.epub", "target.epub"):
        _touch(real / name)
    (tmp_path / "linked").symlink_to(real / "A", target_is_directory=True)
    (real / "B" / "link.epub").symlink_to(real / "target.epub")
    monkeypatch.chdir(real)
    sources = [
        str(tmp_path / "linked" / "x (1)" / "x.epub"),
        str(real / "A" / "y (2)" / "y.epub"),
        f"{tmp_path}/linked/../../real/B/z.epub",
        f"{real}/./A//x (1)/x.epub",
        str(real / "B" / "link.epub"),
        "A/y (2)/y.epub",
        str(tmp_path / "linked" / "y (2)" / "y.epub"),
    ]
    alone = [str(Path(source).resolve()) for source in sources]

    files, failures, _ = collect_file_names(sources)

    assert files == list(dict.fromkeys(alone))
    assert not failures
    assert [files[0], files[2], files[3]] == [
        str(real / "A" / "x (1)" / "x.epub"),
        str(real / "B" / "z.epub"),
        str(real / "target.epub"),
    ]
    ranges = source_ranges(sources)
    assert ranges == source_ranges(alone)
