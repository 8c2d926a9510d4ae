"""Shared fixtures: a fresh data folder and a real SQLite library in it for every test."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest
from hypothesis import settings

from bookorbit_desktop.config import Paths, resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.fakes.hardcover_fixtures import clock, hardcover, hc_client
from tests.new_library import make_first, new_library
from tests.write_lock import watching_reads_then_writes

__all__ = ["clock", "hardcover", "hc_client"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

# Timing deadlines make property tests flaky on a loaded two-core CI machine; speed is measured
# by the benchmarks instead.
settings.register_profile("bookorbit", deadline=None, print_blob=True)
settings.load_profile("bookorbit")


@pytest.hookimpl(wrapper=True)
def pytest_report_to_serializable(report: pytest.TestReport) -> object:
    """A report as pytest-xdist sends it from a worker, its text sendable: a test of a file
    name that is not valid UTF-8 logs it with surrogate escapes ("caf\\udce9.epub"), which
    the workers' channel cannot encode (it stops the whole run)."""
    return _sendable((yield))


def _sendable(value: object) -> object:
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {key: _sendable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_sendable(item) for item in value)
    return value


@pytest.fixture(scope="session", autouse=True)
def _made_library(tmp_path_factory) -> None:
    """The library each test's new library is a copy of (tests/new_library.py)."""
    make_first(tmp_path_factory.mktemp("made-library"))


@pytest.fixture
def ctrl_c_interrupts() -> Iterator[None]:
    """Ctrl-C raising KeyboardInterrupt, as in a program run from a terminal (a test may run
    in a process that ignores SIGINT: pytest-xdist's workers leave it to their controller)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


@pytest.fixture
def paths(tmp_path, monkeypatch) -> Paths:
    monkeypatch.setenv("BOOKORBIT_DATA_DIR", str(tmp_path / "data"))
    resolved = resolve_paths(tmp_path / "data")
    resolved.ensure()
    return resolved


@pytest.fixture
def library(paths) -> Iterator[Paths]:
    """An opened, migrated library database in a fresh data folder. A transaction of the test
    that reads, then writes, without taking the write lock first fails it
    (`tests/write_lock.py`): another writer between the two would make it fail for a user."""
    new_library(paths.db_file)
    open_database(paths.db_file)
    with watching_reads_then_writes() as found:
        yield paths
    close_database()
    assert not found, (
        "A transaction read, then wrote, without the write lock: begin it IMMEDIATE.\n"
        + "\n".join(dict.fromkeys(found))
    )
