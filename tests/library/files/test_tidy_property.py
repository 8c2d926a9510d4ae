"""Random sequences of tidy, kept copies, undo, import, remove and a process killed at a random
file-system step, against real folders (one drive, or another drive where /dev/shm is one):
after every step and the repair the next start makes, every book's bytes and every KOReader
note still exist, each recorded file has its book's bytes with its notes beside it, no move is
left half done and no temporary file is left.

`BOOKORBIT_PROPERTY_EXAMPLES=500 pytest tests/library/files/test_tidy_property.py` runs a
longer search than the few examples `make test` runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.config import Paths, resolve_paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.editing.removal import remove_books
from bookorbit_desktop.library.files import journal, mover, safe, tidy_record
from bookorbit_desktop.library.files.journal import COPIED, PLANNED
from bookorbit_desktop.library.files.plan import sidecar
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book, BookFile
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import make_epub
from tests.new_library import new_library

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = int(os.environ.get("BOOKORBIT_PROPERTY_EXAMPLES", "12"))
TITLES = ("Dune", "Emma", "Solaris")

OPS = st.one_of(
    st.just(("tidy",)),
    st.just(("keep",)),
    st.just(("undo",)),
    st.just(("import",)),
    st.tuples(st.just("remove"), st.integers(0, 2)),
    st.tuples(
        st.just("kill"), st.sampled_from(["tidy-copy", "tidy-keep", "undo"]), st.integers(1, 40)
    ),
)


def _kill(data: Path, action: str, step: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KILL_AT": str(step)}
    command = [sys.executable, "-m", "tests.library.files.file_child"]
    command += [str(data / "library.sqlite3"), str(data), action]
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode in (0, -9), run.stderr[-2000:]


def _contents(*roots: Path) -> set[bytes]:
    found = set()
    for root in roots:
        for directory, _folders, files in os.walk(root):
            for name in files:
                assert not name.startswith(safe.TEMP_PREFIX), os.path.join(directory, name)
                found.add(Path(directory, name).read_bytes())
    return found


def _check(books: dict[bytes, bytes], roots: tuple[Path, ...]) -> None:
    mover.recover()  # what the next start does first
    assert journal.moves(states=(PLANNED, COPIED)) == []
    on_disk = _contents(*roots)
    for book, notes in books.items():
        assert book in on_disk and notes in on_disk  # nothing is lost
    for row in BookFile.select():
        data = Path(row.path).read_bytes()
        assert data in books, row.path
        assert Path(sidecar(row.path), "metadata.epub.lua").read_bytes() == books[data]
    chain = journal.last_tidy()
    if chain and not journal.batches_to_undo():  # the last tidy is undone
        step = steps.last_done(tidy_record.TIDY)  # and Edit ▸ Undo does not offer its step:
        # these sequences redo nothing, so a step written after its first run began is its own
        assert step is None or step.created_at < journal.created_at(chain[-1])


def _library(base: Path, target: Path) -> tuple[Path, Paths, Path, dict[bytes, bytes]]:
    """An open library of TITLES imported from `base/in`, each with its notes, tidied into
    `target`: (data folder, paths, the books' folder, book bytes -> notes bytes)."""
    data = base / "data"
    data.mkdir()
    paths = resolve_paths(data)
    new_library(paths.db_file)
    open_database(paths.db_file)
    folder = base / "in"
    books = {}
    for title in TITLES:
        path = make_epub(folder / f"{title.lower()}.epub", title, ["Jane Austen"])
        notes = f"return {{title = {title!r}}}".encode()
        path.with_suffix(".sdr").mkdir()
        path.with_suffix(".sdr").joinpath("metadata.epub.lua").write_bytes(notes)
        books[path.read_bytes()] = notes
    import_paths([folder], paths, workers=0)
    set_setting("library.tidy_folder", str(target))
    return data, paths, folder, books


def _run(ops: list[tuple], other_drive: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        target = Path(tempfile.mkdtemp(dir="/dev/shm")) if other_drive else base / "Library"
        target.mkdir(exist_ok=True)
        data, paths, folder, books = _library(base, target)
        try:
            for op in ops:
                try:
                    if op[0] == "tidy":
                        mover.tidy(mover.preview(), allow_copy=True)
                    elif op[0] == "keep":
                        mover.tidy(mover.preview(), keep=True)
                    elif op[0] == "undo":
                        mover.undo_last(allow_copy=True)
                    elif op[0] == "import":
                        import_paths([folder, target], paths, workers=0)
                    elif op[0] == "remove":
                        ids = [b.id for b in Book.select().order_by(Book.id)]
                        if ids:
                            remove_books([ids[op[1] % len(ids)]], paths)
                    else:
                        close_database()
                        _kill(data, op[1], op[2])
                        open_database(paths.db_file)
                except BookOrbitError:
                    pass  # a refusal in the user's words is an allowed outcome
                _check(books, (folder, target))
        finally:
            close_database()
            shutil.rmtree(target, ignore_errors=True)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=1, max_size=6), other_drive=st.booleans())
@example(  # an undo stopped part way, a new tidy, its undo: the first tidy's rest is next
    ops=[("tidy",), ("kill", "undo", 9), ("tidy",), ("undo",), ("undo",)], other_drive=True
)
@example(ops=[("tidy",), ("kill", "undo", 9), ("tidy",), ("undo",)], other_drive=True)
@example(  # the first tidy's rest removed once the second is back: its step is an older one
    ops=[("tidy",), ("remove", 0), ("kill", "undo", 9), ("tidy",), ("undo",), ("remove", 1)],
    other_drive=True,
)
def test_random_sequences_lose_nothing(ops, other_drive):
    shm = Path("/dev/shm")
    if other_drive and (
        not shm.is_dir() or shm.stat().st_dev == Path(tempfile.gettempdir()).stat().st_dev
    ):
        pytest.skip("needs /dev/shm on a file system of its own")
    _run(ops, other_drive)


def test_a_tidy_whose_undo_stopped_is_taken_back_after_the_next_one(tmp_path, other_drive):
    """Tidy, its undo killed part way, a new tidy of the file the undo had put back, and its
    undo: the first tidy's other files are still moved, and the next undo takes them back."""
    data, paths, folder, _books = _library(tmp_path, other_drive)
    try:
        mover.tidy(mover.preview(), allow_copy=True)
        close_database()
        _kill(data, "undo", 9)
        open_database(paths.db_file)
        mover.tidy(mover.preview(), allow_copy=True)  # what the stopped undo had put back
        mover.undo_last(allow_copy=True)
        assert journal.batches_to_undo()  # the first tidy's rest waits for the next undo
        mover.undo_last(allow_copy=True)
        assert sorted(Path(row.path).parent for row in BookFile.select()) == [folder] * 3
        assert journal.batches_to_undo() == []
        assert steps.last_done(tidy_record.TIDY) is None  # Edit ▸ Undo offers no tidy
    finally:
        close_database()
