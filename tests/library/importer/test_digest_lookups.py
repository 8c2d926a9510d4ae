"""The files sharing a file's KOReader document id are looked up in the library only when it
had files before the import: a first import keeps every such file itself (a query per file was
a tenth of a first import's statements), and still finds a copy and a collision among its own
files (`test_importer`)."""

from __future__ import annotations

import shutil

from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.store.models import database
from tests.factories import make_epub


def _digest_lookups(run) -> int:
    """How many statements `run()` ran that look files up by document id."""
    seen: list[str] = []
    database.connection().set_trace_callback(seen.append)
    try:
        run()
    finally:
        database.connection().set_trace_callback(None)
    return sum("WHERE partial_md5 = " in statement for statement in seen)


def test_a_first_import_looks_up_no_document_id(library, tmp_path):
    for number in range(3):
        make_epub(tmp_path / "shelf" / f"{number}.epub", f"Title {number}")
    shutil.copyfile(tmp_path / "shelf" / "0.epub", tmp_path / "shelf" / "0 copy.epub")

    summaries = []
    lookups = _digest_lookups(lambda: summaries.append(import_paths([tmp_path], library)))

    assert lookups == 0
    assert (summaries[0].imported, summaries[0].copies) == (3, 1)


def test_a_library_with_files_is_asked_for_each_new_file(library, tmp_path):
    first = make_epub(tmp_path / "a" / "book.epub", "Copied Book")
    import_paths([tmp_path / "a"], library)
    shutil.copyfile(first, tmp_path / "b.epub")
    make_epub(tmp_path / "c.epub", "Another Book")

    summaries = []
    lookups = _digest_lookups(
        lambda: summaries.append(import_paths([tmp_path / "b.epub", tmp_path / "c.epub"], library))
    )

    assert lookups == 2
    assert (summaries[0].imported, summaries[0].copies) == (1, 1)
