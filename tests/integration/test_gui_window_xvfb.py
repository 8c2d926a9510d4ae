"""The real app on Xvfb screens of common laptop sizes: the Settings dialog fits the screen
with its Save button on it (every tab), and the cover grid shows the books' covers.

Screenshots of each tab and of the grid are kept in a folder the test prints; with
BOOKORBIT_SHOTS_DIR set they are also copied there (look at them after a change to a dialog).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bookorbit_desktop.library.importer import run as importer
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book, ReadingState
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import make_epub
from tests.integration.test_gui_xvfb import free_port, xvfb_display

pytestmark = pytest.mark.integration

DRIVER = Path(__file__).with_name("gui_window_driver.py")
COLOURS = ("#8e3b46", "#2f5d8a", "#4d7c3a", "#c28a2b", "#5b4a8a", "#2a7f7a")
STATES = (("reading", 0.35), ("read", 1.0), ("unread", 0.0), ("want_to_read", 0.0))


def library_with_covers(tmp_path: Path) -> Path:
    """24 imported books, most with a cover and a reading state; the server on 127.0.0.1."""
    from PIL import Image, ImageDraw

    from bookorbit_desktop.config import resolve_paths

    paths = resolve_paths(tmp_path / "data")
    paths.ensure()
    open_database(paths.db_file)
    try:
        books = tmp_path / "books"
        for number in range(24):
            title = f"The River of Stories, Volume {number + 1}"
            make_epub(books / f"book{number:02}.epub", title, [f"Author {number % 5}"])
        assert importer.import_paths([books], paths).imported == 24
        (paths.data_dir / "covers").mkdir(exist_ok=True)
        for number, book in enumerate(Book.select().order_by(Book.id)):
            status, progress = STATES[number % len(STATES)]
            ReadingState.insert(
                book=book.id, status=status, progress=progress, updated_at=time.time()
            ).on_conflict_replace().execute()
            if number % 7 == 3:
                continue  # a few books without a cover: the placeholder
            image = Image.new("RGB", (300, 450), COLOURS[number % len(COLOURS)])
            ImageDraw.Draw(image).text((20, 40), f"Volume {number + 1}", fill="white")
            name = f"covers/{book.id}.jpg"
            image.save(paths.data_dir / name)
            Book.update(cover_path=name).where(Book.id == book.id).execute()
        set_setting("server.host", "127.0.0.1")
        set_setting("server.port", free_port())
    finally:
        close_database()
    return paths.data_dir


def inside(inner: list[int], outer: list[int]) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox and y >= oy and x + w <= ox + ow and y + h <= oy + oh


@pytest.mark.parametrize("size", ["1366x768", "1280x720"])
def test_settings_fit_small_screens_and_the_grid_shows_covers(tmp_path, size):
    data_dir = library_with_covers(tmp_path)
    shots = tmp_path / f"shots-{size}"
    shots.mkdir()
    with xvfb_display(tmp_path, size) as env:
        result = subprocess.run(
            [sys.executable, str(DRIVER), str(data_dir), str(shots)],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    print(f"screenshots at {size}: {shots}")
    if os.environ.get("BOOKORBIT_SHOTS_DIR"):
        target = Path(os.environ["BOOKORBIT_SHOTS_DIR"]) / size
        shutil.copytree(shots, target, dirs_exist_ok=True)
    summary = json.loads((shots / "summary.json").read_text())
    assert "error" not in summary, (summary, result.stderr[-3000:])
    assert result.returncode == 0, result.stderr[-3000:]
    width, height = (int(part) for part in size.split("x"))
    assert summary["screen"][2:] == [width, height]
    assert inside(summary["window"], summary["free"])
    assert [tab["tab"] for tab in summary["settings"]][:2] == ["KOReader", "Reading"]
    for tab in summary["settings"]:
        assert inside(tab["frame"], summary["free"]), tab  # the whole dialog is on screen
        assert tab["save_visible"] and inside(tab["save"], summary["free"]), tab
        # Room left for a window manager's title bar above it.
        assert tab["frame"][3] <= summary["free"][3] - 40, tab
    assert summary["grid_books_in_view"] >= 8
    for name in ("cover-grid.png", "settings-0-koreader.png"):
        assert (shots / name).is_file()
