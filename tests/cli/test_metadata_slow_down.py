"""`bookorbit-desktop metadata fetch` against sources that answer "slow down" to everything: the
real command in its own process, Open Library and Google Books on loopback answering 429 (or
a Retry-After past ten minutes). Each source stops after three refusals in a row, every book
says why, and the fetch ends with exit 1 within a minute instead of backing off for ever."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.factories import add_book
from tests.fakes.metadata_sources import FakeBookSources, ThreadedFakeBookSources

BOOKS = 8
LIMIT_SECONDS = 60


@pytest.fixture
def library(tmp_path) -> tuple[Path, list[int]]:
    data_dir = tmp_path / "data"
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    try:
        ids = [
            add_book(f"Book {n}", ["Ann Author"], isbn13=f"978014032872{n}").id
            for n in range(BOOKS)
        ]
    finally:
        close_database()
    return data_dir, ids


@pytest.fixture
def sources() -> Iterator[FakeBookSources]:
    with ThreadedFakeBookSources(FakeBookSources()) as fake:
        yield fake


def fetch(
    tmp_path: Path, data_dir: Path, fake: FakeBookSources, ids: list[int]
) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
        "BOOKORBIT_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),  # no Hardcover token
        "BOOKORBIT_OPENLIBRARY_URL": fake.openlibrary_url,
        "BOOKORBIT_GOOGLEBOOKS_URL": fake.google_url,
    }
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data_dir), "metadata",
         "fetch", *map(str, ids)],
        capture_output=True, text=True, env=env, timeout=LIMIT_SECONDS + 30,
    )  # fmt: skip
    return done, time.monotonic() - start


def test_sources_refusing_everything_stop_and_the_fetch_ends_within_a_minute(
    tmp_path, library, sources
):
    data_dir, ids = library
    sources.fail["openlibrary"] = 429
    sources.fail["google"] = 429
    done, seconds = fetch(tmp_path, data_dir, sources, ids)
    assert done.returncode == 1, done.stderr
    assert seconds < LIMIT_SECONDS
    assert "Traceback" not in done.stderr
    # Three requests each, whichever books they were for; none after the source stopped.
    assert sources.requests == {"openlibrary": 3, "google": 3}
    for book_id in ids:
        line = next(x for x in done.stdout.splitlines() if f"book {book_id}:" in x)
        assert "openlibrary rate-limited: Open Library asked us to slow down 3 times" in line
        assert "google rate-limited: Google Books asked us to slow down 3 times" in line
        assert line.count("not asked again in this fetch") == 2
    assert "pending" not in done.stdout


def test_a_retry_after_past_ten_minutes_stops_the_source_at_once(tmp_path, library, sources):
    data_dir, ids = library
    sources.refuse["openlibrary"] = [(429, "3600")]
    sources.fail["google"] = 503
    done, seconds = fetch(tmp_path, data_dir, sources, ids)
    assert done.returncode == 1, done.stderr
    assert seconds < LIMIT_SECONDS
    assert sources.requests["openlibrary"] == 1
    for book_id in ids:
        line = next(x for x in done.stdout.splitlines() if f"book {book_id}:" in x)
        assert "Open Library asked us to wait 60 min (HTTP 429)" in line
        assert "google refused" in line  # a plain 503 is "busy": three in a row stop it too
