"""A small EPUB whose description nests 100,000 elements: its import, a real command-line
process, ends at once with the description cut where it nests too deep, and says so."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
import zipfile
from html import escape
from pathlib import Path

from bookorbit_desktop.descriptions import CUT_MARK

_CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""
_OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:5b0c7c8e-1f0e-4d0b-9a53-2d1f0c3e9a11</dc:identifier>
    <dc:title>Nested</dc:title><dc:creator>Ann Author</dc:creator><dc:language>en</dc:language>
    <dc:description>{description}</dc:description>
  </metadata>
  <manifest><item id="one" href="one.xhtml" media-type="application/xhtml+xml"/></manifest>
  <spine><itemref idref="one"/></spine>
</package>"""
_PAGE = '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Hello.</p></body></html>'


def _epub(path: Path, description: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as epub:
        epub.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        epub.writestr("META-INF/container.xml", _CONTAINER)
        epub.writestr("content.opf", _OPF.format(description=escape(description)))
        epub.writestr("one.xhtml", _PAGE)
    return path


def test_a_description_nested_100000_deep_is_cut_and_imported_at_once(tmp_path):
    books = tmp_path / "books"
    books.mkdir()
    epub = _epub(books / "nested.epub", "<p>Before.</p>" + "<div>" * 100_000 + "x")
    assert epub.stat().st_size < 8192
    data = tmp_path / "data"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data), "import", str(books)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert seconds < 10, seconds  # the process's start included; the cleaner took 15 s alone
    with sqlite3.connect(f"file:{data / 'library.sqlite3'}?mode=ro", uri=True) as db:
        assert db.execute("SELECT title, description FROM book").fetchall() == [
            ("Nested", f"<p>Before.</p>{CUT_MARK}")
        ]
    logs = "".join(path.read_text() for path in data.rglob("*.log"))
    assert "was cut" in logs
