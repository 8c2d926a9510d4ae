"""Fixtures for the library tests: a shelf of real, varied ebook files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from tests.factories import make_epub
from tests.library.books import build_epub, build_mobi, fb2_text, jpeg, opf3


def write_pdf(path: Path, title: str | None = None, author: str | None = None) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=300)
    if title or author:
        writer.add_metadata({"/Title": title or "", "/Author": author or ""})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def epub_with_cover(path: Path, title: str, *, cover: bytes | None = None) -> Path:
    opf = opf3(
        f"""<dc:title>{title}</dc:title><dc:creator>Cora Cover</dc:creator>
        <dc:identifier id="bookid">urn:isbn:9780306406157</dc:identifier>
        <dc:language>en</dc:language>""",
        manifest='<item id="c" href="c.jpg" media-type="image/jpeg" properties="cover-image"/>',
    )
    return build_epub(path, opf, files={"OEBPS/c.jpg": cover or jpeg(1200, 1800)})


@pytest.fixture
def shelf(tmp_path) -> Path:
    """A folder of one book per format, plus files a folder import must ignore."""
    root = tmp_path / "shelf"
    make_epub(root / "fiction" / "hobbit.epub", "The Hobbit", ("J. R. R. Tolkien",))
    epub_with_cover(root / "fiction" / "covered.epub", "Covered Book")
    write_pdf(root / "papers" / "systems.pdf", "Thinking in Systems", "Donella Meadows")
    (root / "comics").mkdir(parents=True)
    with zipfile.ZipFile(root / "comics" / "saga.cbz", "w") as archive:
        archive.writestr("01.jpg", jpeg())
    build_mobi(root / "kindle" / "book.azw3", full_name="Kindle Book", exth=[(100, b"Kay Author")])
    (root / "russian").mkdir()
    (root / "russian" / "war.fb2").write_bytes(fb2_text().encode("utf-8"))
    # Not books: a folder import skips them silently.
    (root / "fiction" / "cover.jpg").write_bytes(jpeg())
    (root / "fiction" / "metadata.opf").write_text("<package/>")
    (root / "fiction" / ".hidden.epub").write_bytes(b"not even a zip")
    (root / "fiction" / "hobbit.sdr").mkdir()
    (root / "fiction" / "hobbit.sdr" / "metadata.epub.lua").write_text("return {}")
    (root / "fiction" / "hobbit.sdr" / "stray.epub").write_bytes(b"KOReader's folder, not ours")
    return root
