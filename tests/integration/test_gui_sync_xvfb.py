"""The real app on Xvfb syncs a library to the fake Hardcover as a user would: connect on the
Hardcover page, Sync Now, review the big first sync, progress dialog, report, dashboard.

Screenshots of each step are kept in a folder the test prints (look at them after a change to
the sync screens).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bookorbit_desktop.library.metadata.isbn import isbn13_check_digit
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover
from tests.integration.test_gui_xvfb import display, free_port  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

BOOKS = 22  # more than the 20 entries a pass may send without a review
DRIVER = Path(__file__).with_name("gui_sync_driver.py")


def isbn(serial: int) -> str:
    core = f"978{serial:09d}"
    return core + isbn13_check_digit(core)


@pytest.fixture
def fake():
    catalog = Catalog()
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=SystemClock())) as running:
        running.token = catalog.add_token(catalog.add_user("reader"))
        for n in range(BOOKS):
            book = catalog.add_book(f"Book Number {n}", authors=["Ann Author"], users_count=50)
            catalog.add_edition(book, isbn_13=isbn(n + 1), pages=300, users_count=10)
        yield running


def write_cover(data_dir: Path, n: int) -> str:
    """A plain cover in one of a few colours, stored as the library stores covers."""
    colour = ((200, 60, 40), (40, 90, 170), (60, 140, 80), (210, 160, 40))[n % 4]
    (data_dir / "covers").mkdir(exist_ok=True)
    Image.new("RGB", (200, 300), colour).save(data_dir / "covers" / f"{n}.jpg")
    return f"covers/{n}.jpg"


def test_a_first_sync_from_the_window(display, fake, tmp_path):  # noqa: F811
    from bookorbit_desktop.config import resolve_paths

    paths = resolve_paths(tmp_path / "data")
    paths.ensure()
    open_database(paths.db_file)
    try:
        for n in range(BOOKS):
            book = add_book(
                f"Book Number {n}", ["Ann Author"], status="reading", isbn13=isbn(n + 1)
            )
            if n % 3:  # two books in three have a cover; the dashboard shows them on their rows
                book.cover_path = write_cover(paths.data_dir, n)
                book.save()
        set_setting("server.host", "127.0.0.1")
        set_setting("server.port", free_port())
    finally:
        close_database()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    fake.config.response_delay = 0.15  # slow enough to see the progress dialog
    env = {**display, "BOOKORBIT_HARDCOVER_URL": fake.url}
    result = subprocess.run(
        [sys.executable, str(DRIVER), str(paths.data_dir), fake.token, str(shots)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    print(f"screenshots of the sync screens: {shots}")
    summary = json.loads((shots / "summary.json").read_text())
    assert "error" not in summary, (summary, result.stderr[-3000:])
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert summary["review_rows"] == BOOKS
    assert summary["review_send"] == f"Send {BOOKS - 1} books"
    assert summary["progress_step"].startswith("Sending")
    assert summary["report_title"] == "Sync finished"
    if display.get("BOOKORBIT_TEST_TRAY"):  # a real tray: the sync ran from its menu
        assert summary["tray_embedded"]
        assert "syncing" in summary["tray_tooltip_syncing"]
        assert "Last sync just now" in summary["tray_tooltip_after"]
        assert summary["tray_sync_enabled"] is True  # a pass gets hardcover.app's changes too
        assert summary["tray_sync_tip"].startswith("Get your changes from Hardcover")
    assert summary["report_summary"] == f"{BOOKS - 1} sent"
    assert summary["filters"][:3] == [
        f"All books ({BOOKS})",
        f"Synced ({BOOKS - 1})",
        "Pending (0)",
    ]
    assert "Excluded (1)" in summary["filters"]
    assert summary["log_rows"] == BOOKS - 1
    assert summary["rows_with_covers"] >= 3
    for name in (
        "1-hardcover-connected.png",
        "2-review-before-sending.png",
        "3-sync-progress.png",
        "4-sync-report.png",
        "5-dashboard.png",
    ):
        assert (shots / name).stat().st_size > 10_000
