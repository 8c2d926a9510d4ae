"""An import reads an EPUB's cover only as far as it needs to judge it by its header
(`prepare.COVER_HEAD_BYTES`; reading a large cover whole was a tenth of reading the book), and
judges it as reading it whole would: a header past the head is read whole, a cover that is no
image or too large is no cover."""

from __future__ import annotations

import zipfile

import pytest

from bookorbit_desktop.library.importer import prepare
from bookorbit_desktop.library.importer.prepare import prepare_file
from bookorbit_desktop.library.metadata import covers, epub
from tests.library.books import jpeg
from tests.library.conftest import epub_with_cover

HEAD = 4096


@pytest.fixture(autouse=True)
def small_head(monkeypatch):
    monkeypatch.setattr(prepare, "COVER_HEAD_BYTES", HEAD)


@pytest.fixture
def whole_reads(monkeypatch) -> list[str]:
    """The members of a book read whole."""
    names: list[str] = []
    read = zipfile.ZipFile.read

    def recorded(self, name, pwd=None):
        names.append(getattr(name, "filename", name))
        return read(self, name, pwd)

    monkeypatch.setattr(zipfile.ZipFile, "read", recorded)
    return names


def _commented(size: int) -> bytes:
    """A 1200x1800 JPEG whose header (its size) comes after `size` bytes of comments."""
    data, comments = jpeg(1200, 1800), b""
    while size > 0:
        part = min(size, 65_533)
        comments += b"\xff\xfe" + (part + 2).to_bytes(2, "big") + b"x" * part
        size -= part
    return data[:2] + comments + data[2:]


def test_a_large_cover_is_judged_by_its_head(tmp_path, whole_reads):
    cover = _commented(0) + b"\0" * (4 * HEAD)  # the header first, then more than the head
    book = epub_with_cover(tmp_path / "book.epub", "Covered", cover=cover)

    assert prepare_file(book).has_cover
    assert "OEBPS/c.jpg" not in whole_reads


def test_a_header_past_the_head_is_judged_whole(tmp_path):
    book = epub_with_cover(tmp_path / "book.epub", "Covered", cover=_commented(3 * HEAD))

    assert prepare_file(book).has_cover


def test_a_cover_that_is_no_image_is_no_cover(tmp_path):
    book = epub_with_cover(tmp_path / "book.epub", "Covered", cover=b"not an image" * HEAD)

    prepared = prepare_file(book)

    assert not prepared.has_cover
    assert prepared.metadata is not None and prepared.metadata.title == "Covered"


def test_a_cover_larger_than_a_cover_can_be_is_no_cover(tmp_path, monkeypatch):
    limit = 20 * HEAD  # the limit of a usable cover, made small
    monkeypatch.setattr(covers, "MAX_COVER_BYTES", limit)
    monkeypatch.setattr(epub, "USABLE_COVER_BYTES", limit)
    book = epub_with_cover(tmp_path / "book.epub", "Covered", cover=_commented(limit))

    assert not prepare_file(book).has_cover
