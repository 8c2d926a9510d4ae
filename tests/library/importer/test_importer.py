"""The importer against a real SQLite library and real files: idempotence, moves, copies,
collisions, failures that leave nothing behind, progress and cancelling."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from bookorbit_desktop.library.importer.run import ImportOutcome, import_paths
from bookorbit_desktop.library.importer.scan import collect_file_names
from bookorbit_desktop.library.metadata.covers import COVER_MAX, ensure_cover
from bookorbit_desktop.library.metadata.koreader_hash import filename_md5, partial_md5
from bookorbit_desktop.library.store.models import (
    ALIAS_CONTENT,
    ALIAS_FILENAME,
    Author,
    Book,
    BookAuthor,
    BookFile,
    DocumentAlias,
    ReadingState,
    database,
)
from tests.factories import make_epub
from tests.library.books import build_epub, fb2_text, simple_opf2
from tests.library.conftest import epub_with_cover


def table_counts() -> dict[str, int]:
    return {
        model.__name__: model.select().count()
        for model in (Book, Author, BookAuthor, BookFile, DocumentAlias, ReadingState)
    }


def test_folder_import_reads_every_format(library, shelf):
    summary = import_paths([shelf], library)
    assert summary.ok
    assert (summary.total, summary.imported, len(summary.failures)) == (6, 6, 0)
    assert summary.ignored == 2  # cover.jpg and metadata.opf; hidden and .sdr are not walked
    titles = {book.title: book for book in Book.select()}
    assert set(titles) == {
        "The Hobbit",
        "Covered Book",
        "Thinking in Systems",
        "saga",
        "Kindle Book",
        "Война и мир",
    }
    formats = {f.format for f in BookFile.select()}
    assert formats == {"epub", "pdf", "cbz", "azw3", "fb2"}
    hobbit = titles["The Hobbit"]
    assert hobbit.author_names() == ["J. R. R. Tolkien"]
    assert hobbit.sort_title == "hobbit, the"
    assert ReadingState.get(ReadingState.book == hobbit).status == "unread"
    assert summary.book_ids == sorted(summary.book_ids)


def test_every_file_gets_its_koreader_document_ids(library, shelf):
    import_paths([shelf], library)
    for book_file in BookFile.select():
        aliases = {
            (a.document, a.kind)
            for a in DocumentAlias.select().where(DocumentAlias.book_file == book_file)
        }
        name = os.path.basename(book_file.path)
        assert aliases == {
            (partial_md5(book_file.path), ALIAS_CONTENT),
            (filename_md5(name), ALIAS_FILENAME),
        }
        assert book_file.partial_md5 == partial_md5(book_file.path)
        assert book_file.size == os.path.getsize(book_file.path)


def test_covers_are_recorded_at_import_and_made_from_the_book_when_first_shown(library, shelf):
    import_paths([shelf], library)
    covered = Book.get(Book.title == "Covered Book")
    assert covered.cover_path == f"covers/{covered.id}.jpg"
    stored = library.data_dir / covered.cover_path
    assert not stored.exists()
    sources = [Path(file.path) for file in covered.files]
    assert ensure_cover(library, covered.cover_path, sources) == stored.resolve()
    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.width <= COVER_MAX[0] and image.height <= COVER_MAX[1]
        assert image.size == (600, 900)
    assert Book.get(Book.title == "The Hobbit").cover_path is None
    assert Book.get(Book.title == "saga").cover_path is not None


def test_reimport_is_a_no_op(library, shelf):
    first = import_paths([shelf], library)
    before = table_counts()
    stamps = [(b.id, b.updated_at) for b in Book.select().order_by(Book.id)]
    second = import_paths([shelf, shelf / "fiction" / "hobbit.epub"], library)
    assert second.ok
    assert (second.imported, second.unchanged, second.total) == (0, first.imported, 6)
    assert second.book_ids == []
    assert table_counts() == before
    assert [(b.id, b.updated_at) for b in Book.select().order_by(Book.id)] == stamps


def test_touched_file_is_unchanged(library, tmp_path):
    path = make_epub(tmp_path / "a.epub", "Touched")
    import_paths([path], library)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    summary = import_paths([path], library)
    assert summary.unchanged == 1
    assert BookFile.get().mtime == 1_000_000_000


def test_moved_file_keeps_its_book(library, tmp_path):
    old = make_epub(tmp_path / "old" / "book.epub", "Moving Book")
    import_paths([old], library)
    book = Book.get()
    ReadingState.update(status="reading", progress=0.3).execute()
    new = tmp_path / "new" / "Renamed Book.epub"
    new.parent.mkdir()
    shutil.move(old, new)
    summary = import_paths([tmp_path / "new"], library)
    assert (summary.moved, summary.imported) == (1, 0)
    assert summary.book_ids == [book.id]
    assert Book.select().count() == 1
    moved = BookFile.get()
    assert (moved.path, moved.book_id) == (str(new), book.id)
    assert ReadingState.get().status == "reading"
    kinds = {(a.kind, a.document) for a in DocumentAlias.select()}
    assert (ALIAS_FILENAME, filename_md5("book.epub")) in kinds  # old copies on devices
    assert (ALIAS_FILENAME, filename_md5("Renamed Book.epub")) in kinds


def test_identical_copy_is_another_file_of_the_same_book(library, tmp_path):
    first = make_epub(tmp_path / "a" / "book.epub", "Copied Book")
    second = tmp_path / "b" / "book copy.epub"
    second.parent.mkdir()
    shutil.copyfile(first, second)
    summary = import_paths([tmp_path], library)
    assert (summary.imported, summary.copies) == (1, 1)
    assert Book.select().count() == 1
    assert BookFile.select().count() == 2
    assert {f.book_id for f in BookFile.select()} == {Book.get().id}
    assert summary.collisions == []


def _fb2_pair(tmp_path, same_size: bool):
    """Two different FB2 books that agree on every byte KOReader's digest samples."""
    base = fb2_text(title="Перевод").encode("utf-8")
    head = base.replace(b"<body><section>", b"<body><section><p>" + b"a" * 6000 + b"</p>", 1)
    first = head
    if same_size:  # differ only between 2 KiB and 4 KiB, which is never sampled
        second = head[:3000] + b"b" + head[3001:]
    else:  # agree on the first 5 KiB; past 5 KiB and before 16 KiB nothing is sampled
        second = head.replace(b"a" * 6000, b"a" * 6000 + b"c" * 500)
    a, b = tmp_path / "first.fb2", tmp_path / "second.fb2"
    a.write_bytes(first)
    b.write_bytes(second)
    assert partial_md5(a) == partial_md5(b)
    assert a.read_bytes() != b.read_bytes()
    return a, b


@pytest.mark.parametrize("same_size", [True, False])
def test_partial_md5_collision_between_different_files(library, tmp_path, same_size):
    a, b = _fb2_pair(tmp_path, same_size)
    summary = import_paths([a, b], library)
    assert summary.ok
    assert summary.imported == 2
    assert Book.select().count() == 2
    [collision] = summary.collisions
    assert collision.document == partial_md5(a)
    assert {collision.path, collision.other_path} == {a, b}
    holders = DocumentAlias.select().where(
        (DocumentAlias.document == partial_md5(a)) & (DocumentAlias.kind == ALIAS_CONTENT)
    )
    assert {alias.book_id for alias in holders} == {book.id for book in Book.select()}
    again = import_paths([a, b], library)
    assert (again.unchanged, again.collisions) == (2, [])


def test_shared_uuid_does_not_merge_books(library, tmp_path):
    uuid = "urn:uuid:11111111-2222-3333-4444-555555555555"
    for title in ("First Manual", "Second Manual"):
        build_epub(
            tmp_path / f"{title}.epub",
            simple_opf2(title).replace("urn:uuid:0b5e2f9e-1f6b-4a43-9b0c-7d4c5c7e2a10", uuid),
        )
    summary = import_paths([tmp_path], library)
    assert summary.imported == 2
    assert {b.identifiers["uuid"] for b in Book.select()} == {
        "11111111-2222-3333-4444-555555555555"
    }


def test_bad_files_fail_with_one_line_reasons_and_the_import_goes_on(library, tmp_path):
    good = make_epub(tmp_path / "good.epub", "Good Book")
    truncated = tmp_path / "truncated.epub"
    truncated.write_bytes(good.read_bytes()[:700])
    text = tmp_path / "notes.txt"
    text.write_text("shopping list")
    drm = build_epub(
        tmp_path / "drm.epub",
        simple_opf2("Locked"),
        files={
            "META-INF/encryption.xml": "<encryption><EncryptedData><EncryptionMethod "
            'Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/></EncryptedData></encryption>',
            "META-INF/rights.xml": "<rights/>",
        },
    )
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    events = []
    summary = import_paths(
        [truncated, text, drm, empty, tmp_path / "missing.epub", good],
        library,
        progress=events.append,
    )
    assert not summary.ok
    assert summary.imported == 1
    reasons = {failure.path.name: failure.reason for failure in summary.failures}
    assert set(reasons) == {"truncated.epub", "notes.txt", "drm.epub", "empty.pdf", "missing.epub"}
    assert "truncated" in reasons["truncated.epub"]
    assert "not an ebook" in reasons["notes.txt"]
    assert "DRM" in reasons["drm.epub"]
    assert "empty" in reasons["empty.pdf"]
    assert reasons["missing.epub"] == "no such file or folder"
    assert all("\n" not in reason for reason in reasons.values())
    assert [b.title for b in Book.select()] == ["Good Book"]
    assert BookFile.select().count() == 1
    assert [e.done for e in events] == [1, 2, 3, 4, 5, 6]
    assert {e.total for e in events} == {6}
    assert [e.outcome for e in events].count(ImportOutcome.FAILED) == 5


def test_a_database_refusal_mid_file_leaves_nothing_half_written(library, tmp_path):
    """The book row is written before its file row; a refused file row rolls both back."""
    database.execute_sql(
        """CREATE TRIGGER refuse_poison BEFORE INSERT ON book_file
           WHEN NEW.path LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'refused'); END"""
    )
    good = epub_with_cover(tmp_path / "good.epub", "Good")
    poison = epub_with_cover(tmp_path / "poison.epub", "Poison")
    summary = import_paths([poison, good], library)
    assert summary.imported == 1
    assert [f.path.name for f in summary.failures] == ["poison.epub"]
    assert [b.title for b in Book.select()] == ["Good"]
    assert Author.select().count() == 1
    assert BookAuthor.select().count() == 1
    assert ReadingState.select().count() == 1
    assert DocumentAlias.select().count() == 2
    assert Book.get().cover_path == f"covers/{Book.get().id}.jpg"


def test_file_changed_in_place_refreshes_its_book_and_keeps_the_old_id(library, tmp_path):
    path = make_epub(tmp_path / "book.epub", "Old Title")
    import_paths([path], library)
    old_digest = partial_md5(path)
    book_id = Book.get().id
    make_epub(path, "New Title", ("Other Author",), body="a longer body " * 50)
    os.utime(path, (2_000_000_000, 2_000_000_000))
    summary = import_paths([path], library)
    assert summary.updated == 1
    book = Book.get()
    assert (book.id, book.title, book.author_names()) == (book_id, "New Title", ["Other Author"])
    contents = {
        a.document for a in DocumentAlias.select().where(DocumentAlias.kind == ALIAS_CONTENT)
    }
    assert contents == {old_digest, partial_md5(path)}


def test_progress_and_cancel(library, tmp_path):
    for number in range(4):
        make_epub(tmp_path / f"b{number}.epub", f"Book {number}")
    events = []
    asked = []  # asked before each file: the third time, stop
    summary = import_paths(
        [tmp_path],
        library,
        progress=events.append,
        should_cancel=lambda: asked.append(1) or len(asked) > 2,
    )
    assert summary.cancelled and not summary.ok
    assert summary.imported == 2
    assert [(e.done, e.total, e.outcome) for e in events] == [
        (1, 4, ImportOutcome.IMPORTED),
        (2, 4, ImportOutcome.IMPORTED),
    ]
    assert all(e.elapsed >= 0 and e.book_id for e in events)
    rest = import_paths([tmp_path], library)
    assert (rest.unchanged, rest.imported) == (2, 2)


def test_explicit_non_ebook_file_fails_but_in_a_folder_is_ignored(library, tmp_path):
    (tmp_path / "readme.md").write_text("# hello")
    assert import_paths([tmp_path], library).ignored == 1
    summary = import_paths([tmp_path / "readme.md"], library)
    assert [f.reason for f in summary.failures] == [
        "not an ebook (EPUB, PDF, CBZ, MOBI, AZW3 or FB2)"
    ]


def test_collect_file_names_orders_and_deduplicates(tmp_path):
    make_epub(tmp_path / "b" / "2.epub")
    make_epub(tmp_path / "b" / "10.epub")
    make_epub(tmp_path / "a.epub")
    sources = [tmp_path, tmp_path / "a.epub", tmp_path / "nope"]
    files, failures, ignored = collect_file_names(sources)
    assert [Path(f).relative_to(tmp_path).as_posix() for f in files] == [
        "a.epub",
        "b/10.epub",
        "b/2.epub",
    ]
    assert [f.reason for f in failures] == ["no such file or folder"]
    assert ignored == 0


def test_unreadable_file(library, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their permissions")
    path = make_epub(tmp_path / "secret.epub")
    path.chmod(0)
    try:
        summary = import_paths([path], library)
    finally:
        path.chmod(0o644)
    assert "permission denied" in summary.failures[0].reason


def test_file_name_that_is_not_utf8(library, tmp_path):
    good = make_epub(tmp_path / "good.epub", "Latin-1 Name")
    raw = os.fsencode(tmp_path) + b"/caf\xe9.epub"  # "café" in Latin-1: not decodable as UTF-8
    with open(raw, "wb") as handle:
        handle.write(good.read_bytes())
    good.unlink()
    summary = import_paths([tmp_path], library)
    assert summary.imported == 0
    [failure] = summary.failures
    assert "not valid UTF-8" in failure.reason
    assert Book.select().count() == 0
