"""`bookorbit-desktop metadata write BOOK... [--restore]` end to end on a real data folder: the
edited metadata goes into the EPUB with a backup, a book that cannot be written is named with
its reason (exit 1) while the others are written, and --restore puts the old file back."""

from __future__ import annotations

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.metadata.reader import read_metadata
from tests.factories import make_epub


def _run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def test_write_then_restore(tmp_path, capsys):
    book = make_epub(tmp_path / "in" / "dnue.epub", "Dnue", ("Frank Hebert",))
    original = book.read_bytes()
    assert _run(tmp_path, "import", str(book)) == 0
    assert (
        _run(tmp_path, "books", "edit", "1", "--title", "Dune", "--authors", "Frank Herbert") == 0
    )
    capsys.readouterr()
    assert _run(tmp_path, "metadata", "write", "1", "2") == 1
    out, err = capsys.readouterr()
    assert f"Wrote book 1: {book} (the old file is kept in " in out
    assert "file-backups" in out
    assert "Book 2: There is no book with id 2." in err
    read = read_metadata(book)
    assert (read.title, read.authors) == ("Dune", ["Frank Herbert"])
    assert _run(tmp_path, "metadata", "write", "1", "--restore") == 0
    assert f"Put back book 1: {book}." in capsys.readouterr().out
    assert book.read_bytes() == original
    assert _run(tmp_path, "metadata", "write", "1", "--restore") == 1
    assert "no backup" in capsys.readouterr().err


def test_undo_and_restore_after_writing_several_languages(tmp_path, capsys):
    """Edit ▸ Undo gives the library its earlier languages (the file keeps what was written,
    as the docs say); --restore then puts the file's own languages back, a write at a time."""
    from bookorbit_desktop.library.store.db import close_database, open_database
    from bookorbit_desktop.library.store.languages import languages_of

    def library_languages() -> list[str]:
        open_database(tmp_path / "data" / "library.sqlite3")
        try:
            return languages_of([1])[1]
        finally:
            close_database()

    book = make_epub(tmp_path / "in" / "dune.epub", "Dune", ("Frank Herbert",), language="de")
    original = book.read_bytes()
    assert _run(tmp_path, "import", str(book)) == 0
    assert _run(tmp_path, "books", "edit", "1", "--language", "en,fr") == 0
    assert _run(tmp_path, "metadata", "write", "1") == 0
    assert _run(tmp_path, "books", "edit", "1", "--language", "fr,pt-BR,en") == 0
    assert _run(tmp_path, "metadata", "write", "1") == 0
    assert read_metadata(book).languages == ["fr", "pt-BR", "en"]
    assert _run(tmp_path, "undo") == 0
    assert library_languages() == ["en", "fr"]
    assert read_metadata(book).languages == ["fr", "pt-BR", "en"]
    assert _run(tmp_path, "metadata", "write", "1", "--restore") == 0
    assert read_metadata(book).languages == ["en", "fr"]
    assert _run(tmp_path, "metadata", "write", "1", "--restore") == 0
    assert book.read_bytes() == original and read_metadata(book).languages == ["de"]
    assert library_languages() == ["en", "fr"]
    capsys.readouterr()
