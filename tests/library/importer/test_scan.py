"""Walking folders for ebooks: the files and their order are those of a top-down `os.walk`
(a folder's files by name, then its folders by name), with hidden entries, `.sdr` and
`__MACOSX` folders and the data folder left out and linked folders not followed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bookorbit_desktop.library.importer.scan import collect_file_names


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
