"""A book's languages from its EPUB file, on a real library: every `dc:language` in order
(normalised, each once), a changed file's languages in place of the old ones, and the user's
languages kept when the file changes again."""

from __future__ import annotations

import os
from pathlib import Path

from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.metadata.reader import read_metadata
from bookorbit_desktop.library.store.languages import languages_of
from bookorbit_desktop.library.store.models import Book
from tests.library.books import build_epub, opf2


def _epub(path: Path, *languages: str) -> Path:
    tags = "".join(f"<dc:language>{code}</dc:language>" for code in languages)
    opf = opf2(
        "<dc:title>Le Petit Prince</dc:title><dc:creator>Antoine de Saint-Exupéry</dc:creator>"
        f'<dc:identifier id="bookid">urn:uuid:5e1f</dc:identifier>{tags}'
    )
    build_epub(path, opf)
    os.utime(path, (len(languages), len(languages)))  # another file each time
    return path


def test_every_language_of_the_file_is_read_in_order(tmp_path):
    path = _epub(tmp_path / "prince.epub", "fre", "en-US", "und", "fr-CA", "English")
    metadata = read_metadata(path)
    assert (metadata.languages, metadata.language) == (["fr", "en"], "fr")


def test_a_changed_file_brings_its_languages_unless_the_user_set_them(library, tmp_path):
    path = _epub(tmp_path / "prince.epub", "eng", "fra")
    import_paths([path], library)
    (book,) = Book.select()
    assert (languages_of([book.id])[book.id], Book.get_by_id(book.id).language) == (
        ["en", "fr"],
        "en",
    )

    _epub(path, "en")  # the second language gone, the first the same
    assert import_paths([path], library).updated == 1
    assert languages_of([book.id])[book.id] == ["en"]

    edit_books([book.id], BookChanges(language=("fr", "en")), library)
    _epub(path, "de", "it", "es")
    assert import_paths([path], library).updated == 1
    assert languages_of([book.id])[book.id] == ["fr", "en"]  # the user's
