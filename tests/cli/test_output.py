"""What the command line prints: a reader that stops early, books without authors, and the
import's report of files sharing a KOReader document id."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.cli import OUTPUT_CLOSED, main
from bookorbit_desktop.library.metadata.bylines import UNKNOWN_AUTHOR, author_line
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from tests.factories import add_book
from tests.library.books import fb2_text
from tests.logging_support import restore_root_logger  # noqa: F401

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("names", "line"),
    [
        (["Frank Herbert"], "Frank Herbert"),
        (["Terry Pratchett", "Neil Gaiman"], "Terry Pratchett, Neil Gaiman"),
        ([" ", "Neil Gaiman "], "Neil Gaiman"),
        ([], "Unknown author"),
        (["", "  "], "Unknown author"),
    ],
)
def test_author_line(names, line):
    assert author_line(names) == line


def test_a_book_without_authors_says_unknown_author(library, capsys):
    add_book("Anonymous Pamphlet", [])
    add_book("Dune", ["Frank Herbert"])
    assert main(["books"]) == 0
    table = capsys.readouterr().out
    assert f"Anonymous Pamphlet — {UNKNOWN_AUTHOR} []" in table
    assert "Dune — Frank Herbert []" in table


@pytest.mark.parametrize("args", [["books"], ["books", "--json"]])
def test_a_reader_that_stops_early_ends_the_command_quietly(library, args):
    """`books | head -1`: the pipe closes while the command still writes."""
    for number in range(300):  # far more than the pipe holds
        add_book(f"Book number {number} with a title long enough", ["Ann Author"])
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)  # the smallest pipe: the write blocks
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bookorbit_desktop", *args],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        assert reader.readline().strip()  # what `head -1` reads before it exits
    _, err = process.communicate(timeout=60)
    assert process.returncode == OUTPUT_CLOSED == 141
    assert err == b"", err.decode()


def _import(data: Path, *paths: Path) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data), "import"]
        + [str(path) for path in paths],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )
    return result.returncode, result.stdout


def _variant(fb2: bytes, at: int, byte: str) -> bytes:
    changed = bytearray(fb2)
    changed[at] = ord(byte)
    return bytes(changed)


def test_files_sharing_a_document_id_are_reported_by_the_import(tmp_path):
    """Also when a known file is changed into one that shares another file's id."""
    base = fb2_text(title="Sammelband").encode("utf-8")
    fb2 = base.replace(b"<body><section>", b"<body><section><p>" + b"a" * 6000 + b"</p>", 1)
    # KOReader's partial MD5 samples 1 KiB at 0, 1, 4, 16... KiB: bytes 2-4 KiB never count.
    books = tmp_path / "books"
    books.mkdir()
    (books / "first.fb2").write_bytes(fb2)
    other = books / "other.fb2"
    other.write_bytes(_variant(fb2, 1100, "z"))
    assert partial_md5(other) != partial_md5(books / "first.fb2")
    data = tmp_path / "data"
    status, out = _import(data, books)
    assert status == 0 and "2 new books imported" in out
    assert "same KOReader document id" not in out

    other.write_bytes(_variant(fb2, 3000, "b"))  # rewritten in place: now it collides
    status, out = _import(data, books)
    assert status == 0
    assert "1 changed since the last import, 1 unchanged" in out
    assert "Different files with the same KOReader document id (partial MD5)" in out
    document = partial_md5(books / "first.fb2")
    assert partial_md5(other) == document
    assert f"  {document}: {other} (book 2) and {books / 'first.fb2'} (book 1)" in out

    newcomer = tmp_path / "later" / "second.fb2"  # a new file colliding with both
    newcomer.parent.mkdir()
    newcomer.write_bytes(_variant(fb2, 3100, "d"))
    assert partial_md5(newcomer) == document
    status, out = _import(data, newcomer)
    assert status == 0 and "1 new book imported" in out
    assert f"  {document}: {newcomer} (book 3) and {books / 'first.fb2'} (book 1)" in out
    assert f"  {document}: {newcomer} (book 3) and {other} (book 2)" in out
