"""The real app on Xvfb, started on an empty library, walked through its first run as a new
user would: the Welcome tab, a books folder imported and watched, the KOReader account with
the addresses to type, a device logging in, Hardcover connected, then the library.

Screenshots of each step are kept in a folder the test prints (look at them after a change to
the first run).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import make_epub
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover
from tests.integration.test_gui_xvfb import display, free_port  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

DRIVER = Path(__file__).with_name("gui_first_run_driver.py")


def test_a_first_run_from_an_empty_library(display, tmp_path):  # noqa: F811
    from bookorbit_desktop.config import resolve_paths

    paths = resolve_paths(tmp_path / "data")
    paths.ensure()
    open_database(paths.db_file)
    try:  # this computer only: tests never listen on the network
        set_setting("server.host", "127.0.0.1")
        port = free_port()
        set_setting("server.port", port)
    finally:
        close_database()
    books = tmp_path / "Books"
    make_epub(books / "dune.epub", "Dune", ["Frank Herbert"])
    make_epub(books / "piranesi.epub", "Piranesi", ["Susanna Clarke"])
    shots = tmp_path / "screenshots"
    shots.mkdir()
    catalog = Catalog()
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=SystemClock())) as fake:
        token = catalog.add_token(catalog.add_user("reader"))
        env = {**display, "BOOKORBIT_HARDCOVER_URL": fake.url}
        result = subprocess.run(
            [sys.executable, str(DRIVER), str(paths.data_dir), str(books), token, str(shots)],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    print(f"screenshots of the first run: {shots}")
    summary = json.loads((shots / "summary.json").read_text())
    assert "error" not in summary, (summary, result.stderr[-3000:])
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert summary["welcome_current"] is True
    if display.get("BOOKORBIT_TEST_TRAY"):
        assert summary["tray_embedded"] is True
    assert summary["folder"] == "2 books in your library."
    assert summary["account"] == "KOReader logs in as “reader” with this password."
    assert summary["waiting"].startswith("Waiting for your e-reader")
    assert summary["sync_url"] == f"http://127.0.0.1:{port}/kosync"
    assert summary["opds_url"] == f"http://127.0.0.1:{port}/opds"
    assert summary["login_status"] == 200
    assert summary["device"].startswith("Your e-reader (127.0.0.1) logged in")
    assert summary["hardcover"] == "Connected as reader."
    assert summary["library_books"] == 2
    for step in range(1, 7):
        assert list(shots.glob(f"{step}-*.png")), step
