"""The sizes and modification times of many files: one process alone or with a forked child
reading from the other end, the same values either way; a child that dies or is no longer
needed leaves no wrong value and no process behind; no child beside another thread."""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import closing

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.library.importer import file_stats
from bookorbit_desktop.library.importer.file_stats import StatReader
from bookorbit_desktop.library.store.sharing import check_alone
from tests.library.importer.killed import children_of_a_killed_process, running, wait_until

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child is forked on Linux")


@pytest.fixture
def files(tmp_path) -> list[str]:
    """Files of different sizes and times, a path that is gone and a dangling link."""
    paths = []
    for number in range(60):
        path = tmp_path / f"book-{number:02d}.epub"
        path.write_bytes(b"x" * number)
        os.utime(path, (1_000_000_000 + number, 1_000_000_000 + number * 1.5))
        paths.append(str(path))
    paths.insert(10, str(tmp_path / "gone.epub"))
    (tmp_path / "dangling.epub").symlink_to(tmp_path / "nowhere")
    paths.insert(40, str(tmp_path / "dangling.epub"))
    return paths


def expected(paths: list[str]) -> tuple[list[int], list[float]]:
    sizes, mtimes = [], []
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            sizes.append(-1)
            mtimes.append(0.0)
            continue
        sizes.append(stat.st_size)
        mtimes.append(stat.st_mtime)
    return sizes, mtimes


def read(reader: StatReader, unwanted=None) -> tuple[list[int], list[float]]:
    sizes, mtimes = reader.collect(unwanted)
    known = [size >= 0 for size in sizes]
    return list(sizes), [mtime if ok else 0.0 for mtime, ok in zip(mtimes, known, strict=True)]


@pytest.fixture
def children():
    """The child processes started since the test began (earlier tests may leave workers)."""
    before = {process.pid for process in psutil.Process().children()}
    return lambda: [p for p in psutil.Process().children() if p.pid not in before]


@pytest.mark.parametrize("fork_from", [0, 10**9], ids=["with-a-child", "alone"])
def test_each_files_size_and_time_or_minus_one(files, fork_from, monkeypatch, children):
    monkeypatch.setattr(file_stats, "CHUNK", 7)  # both take turns, and meet mid-way
    with closing(StatReader(files, fork_from=fork_from)) as reader:
        assert reader.forked == (fork_from == 0)
        assert read(reader) == expected(files)
    assert children() == []


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    picks=st.lists(st.integers(min_value=0, max_value=61), max_size=120),
    chunk=st.integers(min_value=1, max_value=9),
)
def test_any_list_any_chunk_the_same_values_as_one_by_one(files, picks, chunk, monkeypatch):
    monkeypatch.setattr(file_stats, "CHUNK", chunk)
    paths = [files[pick] for pick in picks]  # repeats and any order
    with closing(StatReader(paths, fork_from=0)) as reader:
        assert read(reader) == expected(paths)


def test_the_unwanted_files_need_no_reading(files):
    unwanted = set(files[::2])
    with closing(StatReader(files, fork_from=10**9)) as reader:
        sizes, mtimes = read(reader, unwanted)
    want_sizes, want_mtimes = expected(files)
    for index, path in enumerate(files):
        if path not in unwanted:
            assert (sizes[index], mtimes[index]) == (want_sizes[index], want_mtimes[index])
        else:
            assert sizes[index] == -1


def test_a_child_that_dies_leaves_its_part_to_this_process(files, monkeypatch, children):
    monkeypatch.setattr(file_stats, "CHUNK", 1)
    with closing(StatReader(files, fork_from=0)) as reader:
        (child,) = children()
        child.send_signal(signal.SIGKILL)  # as the OOM killer would, wherever it was
        child.wait(5)
        assert read(reader) == expected(files)
    assert children() == []


def test_a_child_no_longer_needed_is_stopped(files, monkeypatch, children):
    monkeypatch.setattr(file_stats, "CHUNK", 1)
    with closing(StatReader(files * 2000, fork_from=0)) as reader:
        assert reader.forked
    assert children() == []  # stopped and reaped, without collect


def test_no_child_beside_another_thread(files, children):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with closing(StatReader(files, fork_from=0)) as reader:
            assert not reader.forked
            assert children() == []
            assert read(reader) == expected(files)
    finally:
        stop.set()
        other.join()


# An `import` sharing the library in DATA_DIR, its child reading stats slowly (a network
# drive), killed (`kill -9`) once the child runs: it prints the child's pid first.
KILLED_IMPORT = """
import os, signal, sys, time
from pathlib import Path
from bookorbit_desktop.library.importer import file_stats
from bookorbit_desktop.library.store.sharing import LibraryUse

use = LibraryUse(Path(sys.argv[1]), "import")
use.acquire()
real = os.stat
def slow(path, *args, **kwargs):
    time.sleep(0.001)
    return real(path, *args, **kwargs)
os.stat = slow
reader = file_stats.StatReader([sys.executable] * 50_000, fork_from=0)
print(reader._child, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_child_leaves_soon_after_its_process_is_killed(tmp_path):
    """The child holds what its process held open, the library's share among them: killed,
    the import would otherwise keep a restore out (naming a pid that is gone) until the child
    had read every stat alone, minutes on a slow drive."""
    with children_of_a_killed_process(KILLED_IMPORT, str(tmp_path)) as (child,):
        wait_until(lambda: not running(child), "the child still runs")  # a chunk of slow stats
    check_alone(tmp_path)  # no one shares the library any more
