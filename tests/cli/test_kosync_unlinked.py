"""`kosync unlinked` names the library book KOReader's metadata proposes for a document (the
Link dialog's proposal), in text and JSON, and shows what a device sent escaped."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.store.db import close_database
from bookorbit_desktop.library.store.models import BookFile
from tests.factories import add_book
from tests.logging_support import restore_root_logger  # noqa: F401

PROPOSED = "0123456789abcdef0123456789abcdef"
UNKNOWN = "fedcba9876543210fedcba9876543210"


def push(document: str, metadata: progress.DocumentMetadata | None = None) -> None:
    progress.record_push(
        progress.Push(document, "/body/DocFragment[3]", 0.31, "Kobo\x1b[2J", "dev1", metadata),
        timestamp=1_763_750_000,
    )


@pytest.fixture
def piranesi(library):
    add_book("Dune", ["Frank Herbert"])
    book = add_book("Piranesi", ["Susanna Clarke"])
    BookFile.create(
        book=book, path="/books/clarke/piranesi.epub", format="epub", size=5, mtime=0,
        partial_md5="other", added_at=0,
    )  # fmt: skip
    # KOReader sent the file's name with a title and author the library does not have.
    push(PROPOSED, progress.DocumentMetadata("Pir\u202eanesi", "S. C.", "piranesi.epub"))
    push(UNKNOWN)  # an older KOReader: no metadata, nothing to propose
    close_database()  # the command opens the library itself
    return book


def run(library, *args: str) -> int:
    return main(["--data-dir", str(library.data_dir), "kosync", "unlinked", *args])


def test_the_proposed_book_is_printed_with_why(library, piranesi, capsys):
    assert run(library) == 0
    out = capsys.readouterr().out
    blocks = {}
    for line in out.splitlines():
        if not line.startswith(" "):
            current = blocks.setdefault(line[:32], [])
        current.append(line)
    proposed, unknown = "\n".join(blocks[PROPOSED]), "\n".join(blocks[UNKNOWN])
    assert f"proposed: #{piranesi.id} Piranesi — Susanna Clarke (same file name)" in proposed
    assert f"link it with: bookorbit-desktop kosync link {PROPOSED} {piranesi.id}" in proposed
    assert "proposed" not in unknown
    assert "\x1b" not in out and "\u202e" not in out  # what the device sent, escaped
    assert "Kobo\\x1b[2J" in out and "Pir\\u202eanesi" in out


def test_the_proposal_is_in_the_json(library, piranesi, capsys):
    assert run(library, "--json") == 0
    rows = {row["document"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows[PROPOSED]["proposed"] == {
        "book_id": piranesi.id,
        "title": "Piranesi",
        "authors": ["Susanna Clarke"],
        "reason": "file name",
    }
    assert rows[UNKNOWN]["proposed"] is None
    assert rows[PROPOSED]["filename"] == "piranesi.epub"
