"""An import's files found by a forked child while the library is read: the same files,
failures and count of ignored files as a walk here, whatever the names; the stats it reads
afterwards are those stat() gives; a child killed before it sends the files or while it reads
the stats leaves its part to this process; a child not handed over is stopped; and the child
holds nothing of its process open (a killed import leaves no child holding the library)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import psutil
import pytest

from bookorbit_desktop.library.importer import file_stats, finding, scan
from bookorbit_desktop.library.importer.file_stats import StatReader
from bookorbit_desktop.library.importer.finding import Finding
from bookorbit_desktop.library.importer.scan import collect_file_names
from bookorbit_desktop.library.store.sharing import LibraryBusyError, check_alone
from tests.library.importer.killed import children_of_a_killed_process, wait_until

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child is forked on Linux")


@pytest.fixture
def library(tmp_path) -> Path:
    """A library file to read meanwhile (the child is forked only when there is one)."""
    path = tmp_path / "data" / "library.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"SQLite format 3\0")
    return path


@pytest.fixture
def sources(tmp_path) -> list[Path]:
    """Two folders and a file, with names no text encodes plainly, hidden and ignored files,
    a file named twice, the data folder inside one of them and a source that is gone."""
    shelf, other = tmp_path / "shelf", tmp_path / "other"
    names = ["b.epub", "A.EPUB", "notes.txt", ".hidden.epub", "z/deep/1.pdf", "a/x.epub"]
    names += ["ünï çødé.epub", "line\nbreak.epub", "a/cover.jpg", "data/inside.epub"]
    for name in names:
        (shelf / name).parent.mkdir(parents=True, exist_ok=True)
        (shelf / name).write_bytes(b"x" * len(name))
    os.makedirs(other)
    raw = os.path.join(os.fsencode(other), b"latin-\xe9.epub")  # not UTF-8: surrogates
    with open(raw, "wb") as handle:
        handle.write(b"y")
    (other / "empty").mkdir()
    return [shelf, other, shelf / "b.epub", tmp_path / "gone"]


@pytest.fixture
def children() -> Callable[[], list[psutil.Process]]:
    """The children this process started since the test began (an earlier test's
    multiprocessing resource tracker lives as long as the process)."""
    before = {process.pid for process in psutil.Process().children()}
    return lambda: [p for p in psutil.Process().children() if p.pid not in before]


@pytest.mark.parametrize("may_fork", [True, False], ids=["by-a-child", "here"])
def test_the_same_files_as_a_walk_here(sources, library, monkeypatch, may_fork, children):
    monkeypatch.setattr(finding, "may_fork", lambda: may_fork)
    skip = [sources[0] / "data"]
    with closing(Finding(sources, skip=skip, library=library)) as found:
        assert found.forked == may_fork
        result = found.result()
    files, failures, ignored = collect_file_names(sources, skip=skip)
    assert (result.files, result.failures, result.ignored) == (files, failures, ignored)
    assert (
        len(files) == 7
        and ignored == 2
        and [f.reason for f in failures] == ["no such file or folder"]
    )
    assert children() == []


def _forks(sources, library) -> bool:
    with closing(Finding(sources, library=library)) as found:
        return found.forked


def test_no_child_without_a_folder_a_library_or_alone(sources, library, tmp_path, children):
    assert _forks(sources, library)
    assert not _forks([sources[2]], library)  # a file: nothing to walk
    assert not _forks(sources, tmp_path / "none.sqlite3")  # no library to read meanwhile
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not _forks(sources, library)  # another thread runs
    finally:
        stop.set()
        other.join()
    assert children() == []


def test_the_childs_stats_are_those_of_stat(sources, library, children):
    with closing(Finding(sources, library=library)) as found:
        files = sorted(found.result().files)
        child = found.stats_child()
        assert child is not None and found.stats_child() is None  # handed over once
    with closing(StatReader(files, child=child)) as reader:
        assert reader.forked
        sizes, mtimes = reader.collect()
        assert list(sizes) == [os.stat(file).st_size for file in files]
        assert list(mtimes) == [os.stat(file).st_mtime for file in files]
    assert children() == []


def _slow(monkeypatch, module, name):
    real = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(0.2)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)  # the child is forked with it


def test_a_child_killed_before_it_sent_the_files_leaves_the_walk_here(
    sources, library, monkeypatch, children
):
    _slow(monkeypatch, scan, "_walk")
    with closing(Finding(sources, library=library)) as found:
        (child,) = children()
        child.send_signal(signal.SIGKILL)
        result = found.result()
        assert found.stats_child() is None
    assert result.files == collect_file_names(sources)[0]
    assert children() == []


def test_a_child_killed_while_it_reads_the_stats_leaves_them_here(
    sources, library, monkeypatch, children
):
    monkeypatch.setattr(file_stats, "CHUNK", 1)
    _slow(monkeypatch, os, "stat")
    with closing(Finding(sources, library=library)) as found:
        files = sorted(found.result().files)
        child = found.stats_child()
    (process,) = children()
    process.send_signal(signal.SIGKILL)
    process.wait(5)
    monkeypatch.undo()
    with closing(StatReader(files, child=child)) as reader:
        sizes, _ = reader.collect()
        assert list(sizes) == [os.stat(file).st_size for file in files]
    assert children() == []


@pytest.mark.parametrize("taken", [False, True], ids=["still-walking", "reading-stats"])
def test_a_child_not_handed_over_is_stopped(sources, library, monkeypatch, taken, children):
    _slow(monkeypatch, os, "stat")
    _slow(monkeypatch, scan, "_walk")
    with closing(Finding(sources, library=library)) as found:
        if taken:
            found.result()
    assert children() == []


def test_the_child_holds_none_of_its_processes_files(
    sources, library, tmp_path, monkeypatch, children
):
    """Nor the reading end of its own pipe: holding it, a child whose process was killed
    would wait forever to write an answer larger than the pipe holds."""
    held, walking, go = tmp_path / "held", tmp_path / "walking", tmp_path / "go"
    real = scan._walk

    def walk_once_looked_at(*args, **kwargs):
        walking.touch()  # past its start: what it holds now, it holds while it walks
        deadline = time.monotonic() + 30
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(*args, **kwargs)

    monkeypatch.setattr(scan, "_walk", walk_once_looked_at)  # the child is forked with it
    with held.open("w"), closing(Finding(sources, library=library)) as found:
        (child,) = children()
        wait_until(walking.exists, "the child walks")
        assert str(held) not in {file.path for file in child.open_files()}
        assert len(child.open_files()) <= 1  # its memory file, at most
        assert found._pipe is not None
        pipe = f"pipe:[{os.fstat(found._pipe).st_ino}]"
        ends = [
            os.readlink(f"/proc/{child.pid}/fd/{fd}") for fd in os.listdir(f"/proc/{child.pid}/fd")
        ]
        assert ends.count(pipe) == 1  # the end it writes to
        go.touch()


# An `import`'s finding, sharing the library in DATA_DIR, its child walking slowly (a network
# drive), killed (`kill -9`) once the child runs: it prints the child's pid first.
KILLED_IMPORT = """
import os, signal, sys, time
from pathlib import Path
from bookorbit_desktop.library.importer import finding, scan
from bookorbit_desktop.library.store.sharing import LibraryUse

data = Path(sys.argv[1])
use = LibraryUse(data, "import")
use.acquire()
real = scan._walk
def slow(*args):
    time.sleep(60)
    return real(*args)
scan._walk = slow
found = finding.Finding([sys.argv[2]], library=data / "library.sqlite3")
print(found._child, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_import_leaves_no_child_holding_the_library(sources, library):
    script_args = (str(library.parent), str(sources[0]))
    with children_of_a_killed_process(KILLED_IMPORT, *script_args) as (child,):
        wait_until(lambda: _alone(library.parent), "the child holds the library")
        assert child.is_running()  # still walking, holding nothing


def _alone(data_dir: Path) -> bool:
    try:
        check_alone(data_dir)  # no one shares the library any more
    except LibraryBusyError:
        return False
    return True
