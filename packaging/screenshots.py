"""Screenshots for the README, taken from the real app on a private Xvfb screen.

    .venv/bin/python packaging/screenshots.py [--out packaging/screenshots]

Builds a small demo library (generated EPUBs with reading states, tags, a custom column and a
year of KOReader reading statistics, `demo_statistics.py`; three new books in the Inbox,
Hardcover shelves and stored metadata answers, `screenshot_demo.py`), starts
`python -m bookorbit_desktop gui` on Xvfb with the xcb platform as a desktop would, grabs the
main window once it shows its books, scales it down, draws the Settings dialog on the same
screen, then every page of the window, the Edit and Fetch Metadata dialogs
(`screenshot_pages.py`), and saves
packaging/screenshots/*.png.
Needs Xvfb and xwininfo (`make test` installs them as root).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from demo_statistics import write_history  # noqa: E402  (beside this script)
from screenshot_demo import hold_new_books, pull_shelves, store_answers  # noqa: E402

from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.library.custom.columns import add_column  # noqa: E402
from bookorbit_desktop.library.custom.values import set_values  # noqa: E402
from bookorbit_desktop.library.editing.apply import edit_books  # noqa: E402
from bookorbit_desktop.library.editing.values import changes_from_text  # noqa: E402
from bookorbit_desktop.library.highlights import store  # noqa: E402
from bookorbit_desktop.library.highlights.rules import Entry  # noqa: E402
from bookorbit_desktop.library.history.importer import import_statistics  # noqa: E402
from bookorbit_desktop.library.importer.run import import_paths  # noqa: E402
from bookorbit_desktop.library.reading.edits import update_reading_state  # noqa: E402
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from bookorbit_desktop.library.store.models import BookFile  # noqa: E402
from bookorbit_desktop.library.store.queries import list_books  # noqa: E402
from bookorbit_desktop.library.store.settings import set_setting  # noqa: E402
from bookorbit_desktop.library.tags.changes import change_tags  # noqa: E402
from tests.factories import make_epub  # noqa: E402
from tests.fakes.clock import SystemClock  # noqa: E402
from tests.fakes.hardcover_catalog import EBOOK, Catalog  # noqa: E402
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover  # noqa: E402
from tests.integration.xvfb import start_xvfb, stop  # noqa: E402
from tests.server.serve_process import server_answers  # noqa: E402

WIDTH = 960  # pixels of the saved image
BOOKS = (
    ("Piranesi", "Susanna Clarke", "reading", "0.42", "4.5"),
    ("The Left Hand of Darkness", "Ursula K. Le Guin", "read", "1", "5"),
    ("Les Misérables", "Victor Hugo", "reading", "0.18", None),
    ("Dune", "Frank Herbert", "read", "1", "4"),
    ("Klara and the Sun", "Kazuo Ishiguro", "want_to_read", None, None),
    ("A Wizard of Earthsea", "Ursula K. Le Guin", "on_hold", "0.63", None),
    ("The Remains of the Day", "Kazuo Ishiguro", "unread", None, None),
    ("Middlemarch", "George Eliot", "abandoned", "0.31", None),
    ("Jonathan Strange & Mr Norrell", "Susanna Clarke", "read", "1", "4.5"),
)
# The demo library's own tags, as a user groups books (the Tags column and the library browser,
# which shows the dotted ones under "Fiction").
TAGS = {
    "Fiction.Fantasy": ("Piranesi", "A Wizard of Earthsea", "Jonathan Strange & Mr Norrell"),
    "Fiction.Science Fiction": ("The Left Hand of Darkness", "Dune", "Klara and the Sun"),
    "Classics": ("Les Misérables", "Middlemarch"),
    "Book club": ("Piranesi", "Klara and the Sun", "The Remains of the Day"),
}
# A custom column of a fixed list (the library browser lists it after the tags).
MOODS = {
    "Cosy": ("Middlemarch", "Jonathan Strange & Mr Norrell"),
    "Dark": ("Les Misérables", "Dune"),
    "Hopeful": ("Piranesi", "A Wizard of Earthsea", "The Left Hand of Darkness"),
    "Wistful": ("Klara and the Sun", "The Remains of the Day"),
}
DAY = 1_764_000_000.0  # when the sample highlights arrived
HIGHLIGHTS = {
    "Piranesi": [
        Entry(1_763_000_000, "The Beauty of the House is immeasurable; its Kindness infinite.", ""),
        Entry(
            1_763_100_000,
            "I realised that the search for the Knowledge has encouraged us "
            "to think of the House as if it were a sort of riddle to be solved.",
            "Chapter 4",
        ),
    ],
    "Dune": [Entry(1_762_000_000, "I must not fear. Fear is the mind-killer.", "The litany")],
}
# The Edit dialog's book as a reader has filled it in (the dialog's own save, as typed there).
EDITED_FIELDS = {
    "publisher": "Bloomsbury",
    "published": "2020-09",
    "pages": "272",
    "identifiers": "isbn:9781635575637\ngoodreads:50202953\nopenlibrary:OL20893680W",
    "description": (
        "<p>A man keeps a <b>journal</b> of the endless House he lives in: its halls of "
        "statues, its tides, and <i>the Other</i>, who visits twice a week.</p>"
        "<ul><li>Book club pick for March</li><li>Borrowed from Ana</li></ul>"
    ),
}
GRAB = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication(sys.argv[:1])
    x, y, w, h, width = (int(v) for v in sys.argv[2:7])
    image = app.primaryScreen().grabWindow(0, x, y, w, h).toImage()
    image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    sys.exit(0 if image.save(sys.argv[1], "PNG", 0) else 1)
    """
)
# The Settings dialog as a reader sees it after creating the KOReader account (the address is
# an example LAN address; the real dialog shows this computer's).
SETTINGS = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication
    from bookorbit_desktop.services.settings import DesktopSettings
    from bookorbit_desktop.ui.settings.dialog import SettingsDialog, StartAtLogin
    app = QApplication(sys.argv[:1])
    settings = DesktopSettings(
        host="0.0.0.0", port=8765, opds_enabled=True, opds_page_size=50,
        allow_registration=False, finish_threshold=0.995, username="reader",
    )
    dialog = SettingsDialog(
        settings, lambda _new: None, lan_addresses=["192.168.1.20"],
        start_at_login=StartAtLogin(True, lambda _on: None),
    )
    dialog.show()
    app.processEvents()
    sys.exit(0 if dialog.grab().toImage().save(sys.argv[1], "PNG", 0) else 1)
    """
)
# The Hardcover page after a real "hardcover match" against the test suite's fake Hardcover.
HARDCOVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from bookorbit_desktop.config import resolve_paths
    from bookorbit_desktop.library.store.db import open_database
    from bookorbit_desktop.services.hardcover.service import HardcoverService, HardcoverStatus
    from bookorbit_desktop.ui.hardcover.page import HardcoverView
    app = QApplication(sys.argv[:1])
    paths = resolve_paths(Path(sys.argv[2]))
    open_database(paths.db_file)
    page = HardcoverView()
    page.show_account(HardcoverStatus(
        connected=True, username="reader", sync_enabled=True, paused_reason=None,
        keyring="the system keyring (Secret Service)",
    ))
    listing = HardcoverService().page(query=page.current_query(), rows=40).listing
    page.show_listing(listing)
    page.resize(1280, 560)
    page.show()
    app.processEvents()
    image = page.grab().toImage().scaledToWidth(960, Qt.TransformationMode.SmoothTransformation)
    sys.exit(0 if image.save(sys.argv[1], "PNG", 0) else 1)
    """
).replace("import sys\n", "import sys\nfrom PySide6.QtCore import Qt\n", 1)
GEOMETRY = re.compile(r'"BookOrbit Desktop[^"]*":.*?(\d+)x(\d+)\+(-?\d+)\+(-?\d+)')


def demo_library(data_dir: Path, books_dir: Path, port: int) -> None:
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    try:
        for title, author, *_ in BOOKS:
            make_epub(books_dir / f"{title}.epub", title, [author])
        import_paths([books_dir], paths)
        by_title = {book["title"]: book["id"] for book in list_books()}
        md5s = {
            title: BookFile.get(BookFile.book == book).partial_md5
            for title, book in by_title.items()
        }
        # The reading statistics a Kobo uploaded; a read book's finish date is its last day.
        statistics = books_dir.parent / "statistics.sqlite3"
        finished = write_history(statistics, md5s, dt.date.today())
        import_statistics(statistics)
        for title, _author, status, progress, rating in BOOKS:
            changes = {"status": status}
            if progress:
                changes["progress"] = progress
            if rating:
                changes["rating"] = rating
            if status == "read":  # a finish date is the reader's to give
                changes["finished"] = finished[title]
            update_reading_state(by_title[title], **changes)
        for tag, titles in TAGS.items():
            change_tags([by_title[title] for title in titles], paths, add=[tag])
        mood = add_column("Mood", "list", list(MOODS))
        for value, titles in MOODS.items():
            set_values([by_title[title] for title in titles], {mood.id: value}, paths)
        edit_books([by_title["Piranesi"]], changes_from_text(EDITED_FIELDS), paths)
        for title, entries in HIGHLIGHTS.items():
            target = store.Target(by_title[title])
            store.record(target, entries, source="xmnote", origin="192.168.1.23", now=DAY)
        hold_new_books(books_dir.parent / "new", paths)
        store_answers(time.time())
        set_setting("server.host", "127.0.0.1")
        set_setting("server.port", port)
    finally:
        close_database()


def match_on_fake_hardcover(data_dir: Path) -> None:
    """Connect and run `hardcover match` for real, against the fake Hardcover on 127.0.0.1."""
    catalog = Catalog()
    token = catalog.add_token(catalog.add_user("reader"))
    for number, (title, author, *_) in enumerate(BOOKS):
        if title == "Middlemarch":
            continue  # one book Hardcover does not know
        book = catalog.add_book(title, authors=[author], users_count=5000 - number * 400)
        catalog.add_edition(book, pages=280 + number * 40, reading_format_id=EBOOK, language="en")
    # Two records of one title by one author: matching asks the reader to pick.
    for readers in (800, 760):
        book = catalog.add_book("Les Misérables", authors=["Victor Hugo"], users_count=readers)
        catalog.add_edition(book, pages=1232, reading_format_id=EBOOK, language="en")
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=SystemClock())) as server:
        env = dict(
            os.environ,
            PYTHON_KEYRING_BACKEND="tests.fakes.file_keyring.FileKeyring",
            BOOKORBIT_TEST_KEYRING_FILE=str(data_dir / "screenshot-keyring.json"),
            BOOKORBIT_HARDCOVER_URL=server.url,
            PYTHONPATH=str(ROOT),
        )
        command = [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data_dir)]
        for args in (["connect", "--token-stdin"], ["match"]):
            subprocess.run(
                [*command, "hardcover", *args],
                input=token,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )


def start_screen() -> tuple[subprocess.Popen[bytes], str]:
    started = start_xvfb("1366x768")  # a common laptop screen, as the pages
    if started is None:
        raise SystemExit("Xvfb did not start")
    return started


def window_geometry(env: dict[str, str]) -> tuple[int, int, int, int] | None:
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True, timeout=10
    ).stdout
    sizes = [tuple(int(v) for v in match.groups()) for match in GEOMETRY.finditer(tree)]
    big = [s for s in sizes if s[0] > 400 and s[1] > 300]
    if not big:
        return None
    width, height, x, y = max(big)
    return x, y, width, height


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "packaging" / "screenshots")
    args = parser.parse_args()
    for tool in ("Xvfb", "xwininfo"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bookorbit-shots-") as folder:
        tmp = Path(folder)
        port = 18765
        demo_library(tmp / "data", tmp / "books", port)
        match_on_fake_hardcover(tmp / "data")
        open_database(resolve_paths(tmp / "data").db_file)
        try:
            pull_shelves()
        finally:
            close_database()
        (tmp / "runtime").mkdir(mode=0o700)
        xvfb, display = start_screen()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND"))}
        env.update(
            DISPLAY=display,
            QT_QPA_PLATFORM="xcb",
            XDG_RUNTIME_DIR=str(tmp / "runtime"),
            XDG_CONFIG_HOME=str(tmp / "config"),
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
            PYTHONPATH=str(ROOT),
        )
        app = subprocess.Popen(
            [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(tmp / "data"), "gui"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            geometry = None
            while time.monotonic() < deadline and not (geometry and server_answers(port)):
                time.sleep(0.2)
                geometry = window_geometry(env)
            if geometry is None:
                raise SystemExit("the window did not appear within 60 s")
            time.sleep(1.5)  # the first paint and the table filled
            target = args.out / "library-window.png"
            grabbed = subprocess.run(
                [sys.executable, "-c", GRAB, str(target), *map(str, geometry), str(WIDTH)],
                env=env,
                timeout=30,
            )
            if grabbed.returncode:
                raise SystemExit("the screenshot could not be saved")
            print(f"{target}  ({target.stat().st_size / 1000:.0f} kB)")
            settings = args.out / "settings-dialog.png"
            drawn = subprocess.run(
                [sys.executable, "-c", SETTINGS, str(settings)], env=env, timeout=30
            )
            if drawn.returncode:
                raise SystemExit("the Settings screenshot could not be saved")
            print(f"{settings}  ({settings.stat().st_size / 1000:.0f} kB)")
            page = args.out / "hardcover-page.png"
            drawn = subprocess.run(
                [sys.executable, "-c", HARDCOVER, str(page), str(tmp / "data")],
                env=env,
                timeout=60,
            )
            if drawn.returncode:
                raise SystemExit("the Hardcover screenshot could not be saved")
            print(f"{page}  ({page.stat().st_size / 1000:.0f} kB)")
            stop(app, 30)  # the pages are drawn by a window of their own on the same library
            connected = dict(  # the account saved by `hardcover connect`; no Hardcover to ask
                env,
                PYTHON_KEYRING_BACKEND="tests.fakes.file_keyring.FileKeyring",
                BOOKORBIT_TEST_KEYRING_FILE=str(tmp / "data" / "screenshot-keyring.json"),
                BOOKORBIT_HARDCOVER_URL="http://127.0.0.1:9/graphql",
            )
            pages = [str(ROOT / "packaging" / "screenshot_pages.py"), str(args.out)]
            drawn = subprocess.run(
                [sys.executable, *pages, str(tmp / "data")], env=connected, timeout=120
            )
            if drawn.returncode:
                raise SystemExit("the pages could not be drawn")
        finally:
            stop(app, 30)
            stop(xvfb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
