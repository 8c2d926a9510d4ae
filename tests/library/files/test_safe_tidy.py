"""Tidy never loses a file or a KOReader note: shared and stale sidecars, a file imported again
after a kept copy, links, long names, a repair before the plan, the emptied folders an undo
leaves, and a kept copy changed since it was made. Real files, a real library."""

from __future__ import annotations

import os
from pathlib import Path

from bookorbit_desktop.library.files import journal, mover
from bookorbit_desktop.library.files.journal import FAILED, PLANNED
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.store.models import BookFile
from tests.factories import add_book, make_epub


def _paths() -> dict[int, str]:
    return {f.id: f.path for f in BookFile.select().order_by(BookFile.id)}


def _no_temporary_files(*roots: Path) -> None:
    for root in roots:
        for directory, _folders, files in os.walk(root):
            left = [n for n in files if n.endswith(".part")]
            assert not left, (directory, left)


def _book_with_sidecar(folder: Path, name: str, title: str, notes: dict[str, str]):
    """A book file of `name` in `folder`, with KOReader's sidecar holding `notes`."""
    path = folder / name
    if path.suffix == ".epub":
        make_epub(path, title, ["Jane Austen"])
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4 " + title.encode())
    sdr = path.with_suffix(".sdr")
    sdr.mkdir(exist_ok=True)
    for note, text in notes.items():
        (sdr / note).write_text(text)
    book = add_book(title, ["Jane Austen"], file=path)
    BookFile.update(format=path.suffix[1:]).where(BookFile.book == book.id).execute()
    return book


def test_two_books_sharing_a_sidecar_target_merge_file_by_file(library_folder, tmp_path):
    """Emma.epub and Emma.pdf from two folders both go to Jane Austen/Emma.sdr: both notes."""
    _book_with_sidecar(tmp_path / "a", "Emma.epub", "Emma", {"metadata.epub.lua": "epub notes"})
    _book_with_sidecar(tmp_path / "b", "Emma.pdf", "Emma", {"metadata.pdf.lua": "pdf notes"})
    result = mover.tidy(mover.preview())
    assert not result.failed
    sdr = library_folder / "Jane Austen" / "Emma.sdr"
    assert (sdr / "metadata.epub.lua").read_text() == "epub notes"
    assert (sdr / "metadata.pdf.lua").read_text() == "pdf notes"
    assert not (tmp_path / "a" / "Emma.sdr").exists() and not (tmp_path / "b" / "Emma.sdr").exists()


def test_a_book_leaves_its_sibling_s_notes_where_the_sibling_stays(library_folder, tmp_path):
    """A PDF beside the EPUB, not in the library, keeps its own settings file."""
    _book_with_sidecar(
        tmp_path / "a",
        "Emma.epub",
        "Emma",
        {"metadata.epub.lua": "epub notes", "metadata.pdf.lua": "pdf notes"},
    )
    (tmp_path / "a" / "Emma.pdf").write_bytes(b"%PDF-1.4 not in the library")
    assert not mover.tidy(mover.preview()).failed
    assert (tmp_path / "a" / "Emma.sdr" / "metadata.pdf.lua").read_text() == "pdf notes"
    moved = library_folder / "Jane Austen" / "Emma.sdr"
    assert (moved / "metadata.epub.lua").read_text() == "epub notes"
    assert not (moved / "metadata.pdf.lua").exists()


def test_a_stale_sidecar_with_other_notes_refuses_the_move(library_folder, tmp_path):
    book = _book_with_sidecar(tmp_path / "a", "Emma.epub", "Emma", {"metadata.epub.lua": "new"})
    stale = library_folder / "Jane Austen" / "Emma.sdr"
    stale.mkdir(parents=True)
    (stale / "metadata.epub.lua").write_text("stale")
    result = mover.tidy(mover.preview())
    (_failed, why), *_ = result.failed
    assert "KOReader's notes clash" in why
    assert _paths()[book.files[0].id] == str(tmp_path / "a" / "Emma.epub")
    assert (tmp_path / "a" / "Emma.sdr" / "metadata.epub.lua").read_text() == "new"
    assert (stale / "metadata.epub.lua").read_text() == "stale"


def test_an_identical_stale_sidecar_file_is_merged(library_folder, tmp_path):
    _book_with_sidecar(
        tmp_path / "a", "Emma.epub", "Emma", {"metadata.epub.lua": "same", "cover.jpg": "c"}
    )
    stale = library_folder / "Jane Austen" / "Emma.sdr"
    stale.mkdir(parents=True)
    (stale / "metadata.epub.lua").write_text("same")
    assert not mover.tidy(mover.preview()).failed
    assert sorted(p.name for p in stale.iterdir()) == ["cover.jpg", "metadata.epub.lua"]
    assert not (tmp_path / "a" / "Emma.sdr").exists()


def test_a_file_imported_again_after_a_kept_copy_is_undone_to_it(library, library_folder, tmp_path):
    """`--copy`, then the originals' folder imported again (a watched folder does that): the
    original is a file of the same book again, and undo drops the copy and its record."""
    original = make_epub(tmp_path / "in" / "e.epub", "Emma", ["Jane Austen"])
    book = add_book("Emma", ["Jane Austen"], file=original)
    assert not mover.tidy(mover.preview(), keep=True).failed
    import_paths([original.parent], library, workers=0)
    assert sorted(_paths().values()) == sorted(
        [str(original), str(library_folder / "Jane Austen" / "Emma.epub")]
    )
    result = mover.undo_last()
    assert len(result.done) == 1 and not result.failed
    assert list(_paths().values()) == [str(original)]
    assert BookFile.get(BookFile.path == str(original)).book_id == book.id
    assert list(library_folder.iterdir()) == []
    assert mover.preview()  # later runs still plan
    assert [m.state for m in journal.moves(states=(PLANNED,))] == []


def test_a_kept_copy_s_original_taken_by_another_book_is_named(library_folder, tmp_path):
    original = make_epub(tmp_path / "in" / "e.epub", "Emma", ["Jane Austen"])
    add_book("Emma", ["Jane Austen"], file=original)
    assert not mover.tidy(mover.preview(), keep=True).failed
    add_book("Someone else's", ["A"], file=original)  # a different book at the old path
    result = mover.undo_last()
    (_move, why), *_ = result.failed
    assert why == f"{original} is already in the library as another book's file"
    assert all(os.path.isfile(p) for p in _paths().values())


def test_a_relative_link_is_made_anew_pointing_at_the_same_file_and_undo_puts_it_back(
    library_folder, tmp_path
):
    real = make_epub(tmp_path / "store" / "real.epub", "Emma", ["Jane Austen"])
    link = tmp_path / "links" / "emma.epub"
    link.parent.mkdir()
    link.symlink_to(os.path.relpath(real, link.parent))
    book = add_book("Emma", ["Jane Austen"], file=link)
    assert not mover.tidy(mover.preview()).failed
    moved = Path(_paths()[book.files[0].id])
    assert moved.is_symlink() and moved.resolve() == real.resolve()
    assert not os.path.isabs(os.readlink(moved))  # a relative link stays relative
    assert not os.path.lexists(link)
    result = mover.undo_last()
    assert len(result.done) == 1 and not result.failed
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.is_file()


def test_the_plan_comes_after_the_repair(library_folder, tmp_path):
    """A move a killed run left planned, its file already moved: the next preview repairs first
    and plans from where the file really is."""
    book = add_book("Emma", ["Jane Austen"], file=make_epub(tmp_path / "in" / "e.epub", "Emma"))
    (planned,) = mover.preview()
    journal.start_batch([planned.rename], [journal.MOVE])
    Path(planned.rename.new).parent.mkdir(parents=True)
    os.rename(planned.rename.old, planned.rename.new)  # the process stopped here
    assert mover.preview() == []  # repaired: the file is where it belongs
    assert _paths()[book.files[0].id] == planned.rename.new


def test_undo_removes_the_folders_tidy_made_and_emptied(library_folder, tmp_path):
    for title in ("Emma", "Persuasion"):
        add_book(title, ["Jane Austen"], file=make_epub(tmp_path / "in" / f"{title}.epub", title))
    mover.tidy(mover.preview())
    assert (library_folder / "Jane Austen").is_dir()
    mover.undo_last()
    assert list(library_folder.iterdir()) == []
    assert library_folder.is_dir()


def test_a_long_title_with_a_collision_number_fits_every_mode(library_folder, tmp_path):
    title = "Ü" * 200  # 400 bytes: cut to fit " (2)", the extension and the temporary name
    for number in (1, 2):
        add_book(title, ["A"], file=make_epub(tmp_path / "in" / f"{number}.epub", title))
    result = mover.tidy(mover.preview(), keep=True)
    assert not result.failed and len(result.done) == 2
    names = [Path(p).name for p in _paths().values()]
    assert all(len(n.encode()) <= 255 for n in names) and any(" (2)" in n for n in names)
    _no_temporary_files(library_folder)


def test_a_kept_copy_changed_since_is_not_dropped_by_undo(library_folder, tmp_path):
    original = make_epub(tmp_path / "in" / "e.epub", "Emma", ["Jane Austen"])
    book = add_book("Emma", ["Jane Austen"], file=original)
    mover.tidy(mover.preview(), keep=True)
    copy = Path(_paths()[book.files[0].id])
    copy.write_bytes(copy.read_bytes() + b" written into since")
    result = mover.undo_last()
    (_move, why), *_ = result.failed
    assert "changed since it was made" in why
    assert copy.is_file() and original.is_file()
    assert [m.state for m in journal.moves() if m.state == FAILED]


def test_a_link_to_another_file_of_the_same_book_still_points_at_it_and_undo_too(
    library_folder, tmp_path
):
    """A book's `.kepub.epub` is a relative link to its `.epub` beside it, both moved by one
    tidy (the link's id first): the link points at the moved file, and so after the undo."""
    folder = tmp_path / "in"
    real = make_epub(folder / "emma.epub", "Emma", ["Jane Austen"])
    link = folder / "emma.kepub"
    link.symlink_to("emma.epub")
    book = add_book("Emma", ["Jane Austen"], file=link)
    BookFile.create(
        book=book,
        path=str(real),
        format="epub",
        size=real.stat().st_size,
        mtime=0.0,
        partial_md5="x",
        added_at=0.0,
    )
    before = real.read_bytes()
    result = mover.tidy(mover.preview())
    assert len(result.done) == 2 and not result.failed, result.failed
    paths = _paths()
    moved_link, moved_real = Path(paths[book.files[0].id]), Path(paths[book.files[1].id])
    assert moved_link.is_symlink() and not os.path.isabs(os.readlink(moved_link))
    assert moved_link.resolve() == moved_real.resolve() and moved_link.read_bytes() == before

    result = mover.undo_last()
    assert len(result.done) == 2 and not result.failed, result.failed
    assert link.is_symlink() and os.readlink(link) == "emma.epub"
    assert real.read_bytes() == before and link.read_bytes() == before
