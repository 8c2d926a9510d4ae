"""Draws every page of the window and the Edit dialog for the README, from the real app.

    python packaging/screenshot_pages.py OUT_DIR DATA_DIR

Run by `screenshots.py` on its Xvfb screen (any Qt platform works, offscreen included) against
its demo library: builds the window as the app does, at 1366x768, starts the KOReader sync
server, shows each page in turn, then opens Edit Metadata… for one book, the review a first
Hardcover sync asks for, the library browsed (authors, tags and custom columns open, a tag
chosen and a search typed), the library searched with the search language beside saved searches,
Fetch Metadata… for an Inbox book (its stored answers) and Find Duplicates… once a PDF of one
book is imported beside its EPUB, and saves OUT_DIR/page-*.png, edit-dialog.png,
sync-review.png, library-browser.png, library-search.png, fetch-metadata-dialog.png,
find-duplicates.png and the Year page's share picture, year-share-story.png.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from screenshot_demo import FETCHED, draw_covers  # noqa: E402  (beside this script)

from bookorbit_desktop.app import Desktop  # noqa: E402
from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.hardcover.sync.desired import Proposal  # noqa: E402
from bookorbit_desktop.hardcover.sync.results import BookResult, ProposedDate  # noqa: E402
from bookorbit_desktop.library.categories.counts import TITLES  # noqa: E402
from bookorbit_desktop.library.history.reads import latest_read_days  # noqa: E402
from bookorbit_desktop.library.importer.run import import_paths  # noqa: E402
from bookorbit_desktop.library.store.db import open_database  # noqa: E402
from bookorbit_desktop.library.store.models import Book  # noqa: E402
from bookorbit_desktop.library.store.queries import list_books  # noqa: E402
from bookorbit_desktop.services.hardcover.service import HardcoverService  # noqa: E402
from bookorbit_desktop.services.library.saved_searches import save_search  # noqa: E402
from bookorbit_desktop.services.metadata.service import MetadataService  # noqa: E402
from bookorbit_desktop.services.year.service import share_covers  # noqa: E402
from bookorbit_desktop.ui.library.duplicates_dialog import DuplicatesDialog  # noqa: E402
from bookorbit_desktop.ui.library.edit_dialog import EditDialog  # noqa: E402
from bookorbit_desktop.ui.library.saved_searches import SavedSearchesSection  # noqa: E402
from bookorbit_desktop.ui.metadata.fetch_dialog import FetchDialog  # noqa: E402
from bookorbit_desktop.ui.single_instance import SingleInstance  # noqa: E402
from bookorbit_desktop.ui.sync.review_dialog import ReviewDialog  # noqa: E402
from bookorbit_desktop.ui.text import install_translations  # noqa: E402
from bookorbit_desktop.ui.year.share import share_picture  # noqa: E402

WIDTH = 960  # pixels of the saved image
SIZE = (1366, 768)  # the window, as on a common laptop screen
EDITED = "Piranesi"  # the book whose Edit dialog is shown


def slug(title: str) -> str:
    """ "S&tatistics" -> "statistics"; "&Unlinked Documents (2)" -> "unlinked-documents"."""
    words = title.replace("&", "").split("(")[0].strip().lower().split()
    return "-".join(words)


def save(widget: QWidget, target: Path) -> None:
    image = widget.grab().toImage()
    if image.width() > WIDTH:
        image = image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
    if not image.save(str(target), "PNG", 0):
        raise SystemExit(f"{target} could not be saved")
    print(f"{target}  ({target.stat().st_size / 1000:.0f} kB)")


async def draw(desktop: Desktop, out: Path) -> None:
    desktop.show(start_hidden=False)
    filled = desktop.fill()
    if filled is not None:
        await filled
    window = desktop.window
    window.resize(*SIZE)
    info = await desktop.server.start()  # as the app does once the window is filled
    desktop.controller.apply_server_info(info)
    await asyncio.sleep(1.5)  # the pages read the library off the window's thread
    by_title = {book["title"]: book["id"] for book in list_books()}
    window.library_view.select_book(by_title[EDITED])
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        await asyncio.sleep(1.0)
        save(window, out / f"page-{slug(window.tabs.tabText(index))}.png")
    await shared_year(desktop, out)
    window.tabs.setCurrentIndex(0)
    action = next(
        a
        for m in window.menuBar().actions()
        for a in m.menu().actions()
        if a.text() == "&Edit Metadata…"
    )
    action.trigger()
    await asyncio.sleep(1.0)
    dialog = window.findChild(EditDialog)
    if dialog is None:
        raise SystemExit("the Edit dialog did not open")
    save(dialog, out / "edit-dialog.png")
    dialog.reject()
    review = ReviewDialog(review_books(by_title), window, HardcoverService().match_details())
    review.resize(1100, 440)  # the rows in sight, without the empty half
    review.show()
    await asyncio.sleep(0.5)
    save(review, out / "sync-review.png")
    review.reject()
    await browsed(desktop, out)
    await searched(desktop, out)
    await fetched_metadata(desktop, out)
    await find_duplicates(desktop, out)


async def shared_year(desktop: Desktop, out: Path) -> None:
    """The Year page's picture to share, as Share… saves it (the phone-story size)."""
    figures = desktop.year.page.figures
    if figures is None:
        raise SystemExit("the Year page did not read its year")
    covers = await share_covers(desktop.paths, figures.finished)
    target = out / "year-share-story.png"
    share_picture(figures, covers, "story").save(target)
    print(f"{target}  ({target.stat().st_size / 1000:.0f} kB)")


async def browsed(desktop: Desktop, out: Path) -> None:
    """The library page with the browser in the sidebar: the authors, the tags and the custom
    columns open, a tag under another chosen and a search typed, the table showing the books
    of both."""
    window = desktop.window
    window.tabs.setCurrentIndex(0)
    window.sidebar_action.setChecked(True)
    view = window.library_view
    view.clear_selection()
    browser = view.browser
    browser.open_category("authors")
    for kind in browser.model.kinds[len(TITLES) :]:  # the custom columns'
        browser.open_category(kind)
    await asyncio.sleep(1.0)  # read off the window's thread
    if not browser.choose("tags", "Fiction.Fantasy"):
        raise SystemExit("the browser has no tag Fiction.Fantasy")
    view.filter_edit.setText("rating:>=4.5")
    await asyncio.sleep(1.5)
    save(window, out / "library-browser.png")
    view.filter_edit.clear()
    browser.choose_all()
    window.sidebar_action.setChecked(False)
    await asyncio.sleep(0.5)


# The search shown, and the searches kept in the sidebar (name, search).
SEARCH = "tags:fantasy rating:>=4"
SAVED = (
    ("Fantasy I loved", SEARCH),
    ("Reading now", "status:reading or status:rereading"),
    ("Not on Hardcover yet", "hardcover:unmatched"),
)


async def searched(desktop: Desktop, out: Path) -> None:
    """The library page with a search of the search language in the filter box and saved
    searches in the sidebar."""
    window = desktop.window
    window.tabs.setCurrentIndex(0)
    for name, search in SAVED:
        save_search(name, search)
    section = window.findChild(SavedSearchesSection)
    if section is None:
        raise SystemExit("the saved searches are not in the sidebar")
    section.reload()
    window.sidebar_action.setChecked(True)
    window.library_view.filter_edit.setText(SEARCH)
    await asyncio.sleep(1.5)
    save(window, out / "library-search.png")
    window.library_view.filter_edit.clear()
    window.sidebar_action.setChecked(False)
    await asyncio.sleep(0.5)


async def fetched_metadata(desktop: Desktop, out: Path) -> None:
    """The one-book Fetch Metadata dialog showing the sources' stored answers for the Inbox
    book with the bare name (the dialog's own Fetch Again is not pressed: no source is
    asked)."""
    paths = desktop.paths
    draw_covers(paths.cache_dir)
    book = Book.get(Book.title == FETCHED)
    dialog = FetchDialog(MetadataService(paths), book.id, desktop.window)
    dialog.setWindowTitle(f"Fetch Metadata for “{book.title}”")
    dialog.show()
    await dialog.pane.load(book.id)
    dialog.apply_button.setEnabled(True)  # as once the sources answered
    await asyncio.sleep(1.0)  # the covers
    save(dialog, out / "fetch-metadata-dialog.png")
    dialog.reject()


async def find_duplicates(desktop: Desktop, out: Path) -> None:
    """Find Duplicates… with a PDF of the edited book imported beside its EPUB (last: the
    other images show the library without it)."""
    from pypdf import PdfWriter

    folder = desktop.paths.data_dir.parent / "second-copies"
    folder.mkdir(exist_ok=True)
    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    writer.add_metadata({"/Title": f"{EDITED}: A Novel", "/Author": "Susanna Clarke"})
    with (folder / f"{EDITED}.pdf").open("wb") as handle:
        writer.write(handle)
    import_paths([folder], desktop.paths, workers=0)
    window = desktop.window
    next(a for a in window.file_menu.actions() if a.text() == "Find &Duplicates…").trigger()
    await asyncio.sleep(1.0)
    dialog = window.findChild(DuplicatesDialog)
    if dialog is None:
        raise SystemExit("the Find Duplicates dialog did not open")
    save(dialog, out / "find-duplicates.png")
    dialog.reject()


def review_books(by_title: dict[str, int]) -> list[BookResult]:
    """What a first sync of the demo library would send, as its dry run words it, and the
    start dates found in the reading history (the first session's day of each read)."""
    added = dt.date.today().isoformat()  # the day the books came into the library

    def started(title: str, hardcover: str | None = None) -> tuple[ProposedDate, ...]:
        days = latest_read_days(by_title[title])
        proposal = Proposal(by_title[title], "started", days[0]) if days else None
        return (ProposedDate(proposal, hardcover),) if proposal else ()

    def add(status: str, *more: str) -> tuple[dict[str, tuple[str, ...]], ...]:
        entry = (f"add to Hardcover as {status}", "privacy Public", f"added {added}")
        return ({"changes": entry + more},)

    return [
        BookResult(
            by_title["Piranesi"],
            "Piranesi",
            "would_send",
            (*add("Currently Reading", "rating 4.5★"), {"changes": ("p. 118 of 280",)}),
            proposals=started("Piranesi"),
        ),
        BookResult(
            by_title["Dune"],
            "Dune",
            "would_send",
            add("Read", "rating 4★"),
            proposals=started("Dune"),
        ),
        BookResult(
            by_title["Klara and the Sun"], "Klara and the Sun", "would_send", add("Want to Read")
        ),
        BookResult(
            by_title["The Left Hand of Darkness"],
            "The Left Hand of Darkness",
            "up_to_date",
            proposals=started("The Left Hand of Darkness"),
        ),
    ]


def main() -> int:
    out, data = Path(sys.argv[1]), Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    install_translations(app)
    paths = resolve_paths(data)
    open_database(paths.db_file)
    desktop = Desktop(paths, SingleInstance(paths.data_dir), started=time.monotonic())
    desktop.build()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.run_until_complete(draw_and_stop(desktop, out))
    return 0


async def draw_and_stop(desktop: Desktop, out: Path) -> None:
    """Draw, then stop the server and the window on the same run of the loop (tasks stepped
    between two runs would find no running loop)."""
    try:
        await draw(desktop, out)
    finally:
        await desktop.shutdown()


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # the images are saved: no waiting on the library's worker threads
