"""Fixtures of the tidy tests: the library folder setting, and a folder on another drive."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bookorbit_desktop.library.store.settings import set_setting


@pytest.fixture
def library_folder(library, tmp_path) -> Path:
    """The tidy folder, `Library` beside the test's other folders."""
    target = tmp_path / "Library"
    target.mkdir()
    set_setting("library.tidy_folder", str(target))
    return target


@pytest.fixture
def other_drive(tmp_path) -> Iterator[Path]:
    """An empty folder on another file system than the test's own (/dev/shm, a tmpfs)."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs /dev/shm on a file system of its own")
    folder = Path(tempfile.mkdtemp(dir=shm))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
