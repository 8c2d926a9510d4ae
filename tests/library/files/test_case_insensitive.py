"""Tidy on a case-insensitive drive (FAT and exFAT sticks, macOS and Windows disks), here a
case-folding FUSE file system over a real folder: a case-only rename is a rename, keeping a
copy that differs only in case is refused (it would be the original itself, which the undo
would then delete), and undo gives the old name back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bookorbit_desktop.library.files import mover
from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book, make_epub

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def drive(tmp_path):
    """A case-insensitive drive mounted for the test."""
    if not sys.platform.startswith("linux") or not os.path.exists("/dev/fuse"):
        pytest.skip("FUSE is not available here")
    if shutil.which("fusermount") is None:
        pytest.skip("fusermount (Debian's fuse package) is not installed")
    pytest.importorskip("mfusepy", reason="the FUSE library (libfuse2) is not installed")
    backing, mount = tmp_path / "backing", tmp_path / "drive"
    backing.mkdir()
    mount.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.library.files.case_folding_fs", str(backing), str(mount)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(200):
            if os.path.ismount(mount):
                break
            if process.poll() is not None:
                why = process.stderr.read().strip()
                # a fault of the drive's own code fails the test; only a refused mount skips it
                assert "Traceback" not in why, why
                pytest.skip(f"FUSE could not mount here: {why}")
            time.sleep(0.05)
        else:
            pytest.skip("FUSE did not mount the drive within 10 s here")
        (mount / "probe").write_text("x")
        assert (mount / "PROBE").exists()  # the drive ignores case
        (mount / "probe").unlink()
        yield mount
    finally:
        subprocess.run(["fusermount", "-u", str(mount)], capture_output=True, check=False)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_case_only_rename_on_a_case_insensitive_drive(library, drive):
    book = add_book("Emma", ["Jane Austen"], file=make_epub(drive / "emma.epub", "Emma"))
    (drive / "emma.sdr").mkdir()
    (drive / "emma.sdr" / "metadata.epub.lua").write_text("notes")
    before = (drive / "emma.epub").read_bytes()
    set_setting("library.tidy_folder", str(drive))
    set_setting("library.tidy_pattern", "{title}")

    (planned,) = mover.preview()
    assert planned.rename.new == str(drive / "Emma.epub")
    result = mover.tidy([planned], keep=True)
    (_move, why), *_ = result.failed
    assert "only the case of its name would change" in why
    assert sorted(os.listdir(drive)) == ["emma.epub", "emma.sdr"]

    result = mover.tidy(mover.preview())
    assert len(result.done) == 1 and not result.failed
    assert sorted(os.listdir(drive)) == ["Emma.epub", "Emma.sdr"]
    assert (drive / "Emma.epub").read_bytes() == before
    assert (drive / "Emma.sdr" / "metadata.epub.lua").read_text() == "notes"
    assert BookFile.get_by_id(book.files[0].id).path == str(drive / "Emma.epub")

    assert len(mover.undo_last().done) == 1
    assert sorted(os.listdir(drive)) == ["emma.epub", "emma.sdr"]
    assert (drive / "emma.epub").read_bytes() == before


def test_two_titles_that_differ_only_in_case_get_two_names(library, drive):
    for name, title in (("a.epub", "Emma"), ("b.epub", "EMMA")):
        add_book(title, ["Jane Austen"], file=make_epub(drive / name, title))
    set_setting("library.tidy_folder", str(drive))
    set_setting("library.tidy_pattern", "{title}")
    result = mover.tidy(mover.preview())
    assert len(result.done) == 2 and not result.failed
    assert sorted(os.listdir(drive)) == ["EMMA (2).epub", "Emma.epub"]


def test_a_cross_drive_tidy_onto_a_case_insensitive_drive(library, drive, tmp_path):
    source = tmp_path / "elsewhere"
    source.mkdir()
    book = add_book("Emma", ["Jane Austen"], file=make_epub(source / "emma.epub", "Emma"))
    before = (source / "emma.epub").read_bytes()
    old_mtime = (source / "emma.epub").stat().st_mtime_ns
    set_setting("library.tidy_folder", str(drive))
    set_setting("library.tidy_pattern", "{title}")

    result = mover.tidy(mover.preview(), allow_copy=True)
    assert len(result.done) == 1 and not result.failed, result.failed
    assert os.listdir(drive) == ["Emma.epub"]
    assert (drive / "Emma.epub").read_bytes() == before
    assert (drive / "Emma.epub").stat().st_mtime_ns == old_mtime  # times kept across drives
    assert not (source / "emma.epub").exists()
    assert BookFile.get_by_id(book.files[0].id).path == str(drive / "Emma.epub")

    assert len(mover.undo_last(allow_copy=True).done) == 1
    assert (source / "emma.epub").read_bytes() == before
    assert os.listdir(drive) == []
