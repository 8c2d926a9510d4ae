"""Only the imported file is ever served: same kind, size and partial MD5."""

from __future__ import annotations

import os

import pytest

from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.server.opds.downloads import FileState, file_state


def _prepare(tmp_path, change: str):
    book = tmp_path / "book.epub"
    book.write_bytes(bytes(range(256)) * 40)
    size, digest = book.stat().st_size, partial_md5(book)
    other = tmp_path / "other.bin"
    other.write_bytes(b"o" * size)
    if change == "deleted":
        book.unlink()
    elif change == "symlink to another file":
        book.unlink()
        os.symlink(other, book)
    elif change == "symlink to the same bytes":
        moved = tmp_path / "moved.epub"
        book.rename(moved)
        os.symlink(moved, book)
    elif change == "same size, other bytes":
        book.write_bytes(b"x" * size)
    elif change == "longer":
        book.write_bytes(book.read_bytes() + b"!")
    elif change == "a folder":
        book.unlink()
        book.mkdir()
    return book, size, digest


@pytest.mark.parametrize(
    ("change", "state"),
    [
        ("none", FileState.SAME),
        ("symlink to the same bytes", FileState.SAME),
        ("deleted", FileState.MISSING),
        ("symlink to another file", FileState.CHANGED),
        ("same size, other bytes", FileState.CHANGED),
        ("longer", FileState.CHANGED),
        ("a folder", FileState.CHANGED),
    ],
)
def test_file_state(tmp_path, change, state):
    book, size, digest = _prepare(tmp_path, change)
    assert file_state(book, size, digest) is state
