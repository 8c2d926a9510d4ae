"""The demo library's Inbox, Hardcover shelves and stored metadata answers, for the README's
screenshots (`screenshots.py` builds the library, `screenshot_pages.py` draws it).

Nothing here asks a network: the shelves are written as a pull of hardcover.app would keep
them (`hardcover.pull.store`), the three metadata sources' answers as a fetch would store them
(`library.store.fetched_metadata`), and their covers' addresses are on this computer's
loopback, drawn into the cover cache before the dialog opens (`draw_covers`).
"""

from __future__ import annotations

import time
from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.hardcover.matching.store import get_match
from bookorbit_desktop.hardcover.pull import store as pulled
from bookorbit_desktop.library.importer.complete import import_sources
from bookorbit_desktop.library.store.fetched_metadata import save_answer
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.metadata_sources.records import Candidate
from tests.factories import make_epub

# New books that wait in the Inbox: two tagged well, one with the file's bare name.
INBOX = (
    ("The Dispossessed", "Ursula K. Le Guin"),
    ("Never Let Me Go", "Kazuo Ishiguro"),
    ("orlando", "Unknown"),
)
FETCHED = "orlando"  # the Inbox book whose Fetch Metadata dialog is shown
# Hardcover's status ids (Want to Read, Currently Reading, Read)
WANT, READING, READ = 1, 2, 3
# Books on the shelves that the library has no copy of, or that matching left unlinked:
# (Hardcover book id, title, author, status on Hardcover or None when only on a list)
OTHERS = (
    (900_007, "The Remains of the Day", "Kazuo Ishiguro", WANT),  # unread: never matched
    (900_001, "The Buried Giant", "Kazuo Ishiguro", WANT),
    (900_002, "The Ladies of Grace Adieu", "Susanna Clarke", WANT),
    (900_003, "Les Misérables", "Victor Hugo", READING),  # two records: matching asks
    (900_004, "Middlemarch", "George Eliot", None),  # one Hardcover did not find by search
    (900_005, "Mrs Dalloway", "Virginia Woolf", None),
    (900_006, "Wolf Hall", "Hilary Mantel", None),
)
# Library books on Hardcover shelves, with their status there
LINKED = (
    ("Klara and the Sun", WANT),
    ("Piranesi", READING),
    ("Dune", READ),
    ("The Left Hand of Darkness", READ),
)
LISTS = (
    (7, "Classics", ["Middlemarch", "Les Misérables", "Dune", "Mrs Dalloway"]),
    (8, "Booker Prize winners", ["The Remains of the Day", "Wolf Hall"]),
)
COVER = "http://127.0.0.1:9/covers/{}.jpg"  # loopback, port 9 (discard): never fetched
# (source, cover width, height, values): each source's record of "Orlando"
ANSWERS = (
    (
        "hardcover",
        (400, 600),
        {
            "source_id": "41022",
            "title": "Orlando",
            "subtitle": "A Biography",
            "description": "Born a nobleman in Elizabethan England, Orlando wakes one morning "
            "a woman, and lives on through three centuries of English life and letters.",
            "publisher": "Mariner Books",
            "release_date": "1928-10-11",
            "isbn13": "9780156031516",
            "pages": 336,
            "matched_by": "search",
        },
    ),
    (
        "openlibrary",
        (300, 456),
        {
            "source_id": "OL52114W",
            "title": "Orlando",
            "subtitle": "a biography",
            "description": "Virginia Woolf's playful mock biography of a poet who changes sex.",
            "publisher": "Hogarth Press",
            "release_date": "1928",
            "isbn13": "9780701185428",
            "pages": 299,
            "matched_by": "search",
        },
    ),
    (
        "google",
        (128, 196),
        {
            "source_id": "xYz0OrlandoAAJ",
            "title": "Orlando",
            "description": "Orlando is a novel by Virginia Woolf, first published in 1928.",
            "publisher": "Penguin UK",
            "release_date": "2000-06-29",
            "isbn13": "9780141184272",
            "pages": 256,
            "matched_by": "search",
        },
    ),
)


def hold_new_books(books_dir: Path, paths: Paths) -> None:
    """Turn the Inbox on and import three new books as the window does (the import that holds
    new books for the Inbox)."""
    set_setting("library.inbox", True)
    for title, author in INBOX:
        make_epub(books_dir / f"{title}.epub", title, [author])
    import_sources([books_dir], paths)


def store_answers(now: float) -> None:
    """The three sources' answers for the Inbox book with the bare name, as a fetch keeps
    them."""
    book = Book.get(Book.title == FETCHED)
    for source, (width, height), values in ANSWERS:
        candidate = Candidate(
            source=source,
            authors=("Virginia Woolf",),
            language="en",
            cover_url=COVER.format(source),
            cover_width=width,
            cover_height=height,
            **values,  # type: ignore[arg-type]
        )
        save_answer(book.id, source, "ok", "", [candidate.to_json()], now)


def pull_shelves() -> None:
    """The user's Hardcover shelves and lists as a pull keeps them: the library's linked
    books by the Hardcover books matching chose, the others by ids of their own."""
    by_title = {b.title: b.id for b in Book.select(Book.id, Book.title)}
    books: dict[str, tuple[int, str, int | None]] = {}
    for title, status in LINKED:
        match = get_match(by_title[title])
        if match is None or match.hc_book_id is None:
            raise SystemExit(f"{title} was not linked by the match")
        author = Book.get_by_id(by_title[title]).author_names()[0]
        books[title] = (match.hc_book_id, author, status)
    for hc_id, title, author, status in OTHERS:
        books[title] = (hc_id, author, status)
    rows = [
        pulled.PulledRow(
            10_000 + hc_id,
            hc_id,
            {"status_id": status, "privacy_id": 1},
            None,
            title=title,
            authors=(author,),
            slug=title.lower().replace(" ", "-"),
        )
        for title, (hc_id, author, status) in books.items()
    ]
    pulled.save_page(rows, 1, {})
    lists = [
        {
            "id": list_id,
            "name": name,
            "slug": name.lower().replace(" ", "-"),
            "book_ids": [books[title][0] for title in titles],
        }
        for list_id, name, titles in LISTS
    ]
    pulled.save_lists(lists, 1, {pulled.LISTS_SINCE: time.strftime("%Y-%m-%dT%H:%M:%SZ")})


def draw_covers(cache_dir: Path) -> None:
    """Each source's cover, drawn into the metadata cover cache under its address (needs a
    QGuiApplication)."""
    import hashlib

    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    folder = cache_dir / "metadata-covers"
    folder.mkdir(parents=True, exist_ok=True)
    colours = {"hardcover": "#6b4c9a", "openlibrary": "#2f6f5e", "google": "#b0483a"}
    for source, (width, height), _values in ANSWERS:
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor(colours[source]))
        painter = QPainter(image)
        painter.setPen(QColor("white"))
        font = QFont()
        font.setPixelSize(max(12, width // 8))
        painter.setFont(font)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(QRect(0, 0, width, height // 2), flags, "ORLANDO")
        font.setPixelSize(max(9, width // 16))
        painter.setFont(font)
        painter.drawText(QRect(0, height // 2, width, height // 2), flags, "Virginia Woolf")
        painter.end()
        url = COVER.format(source)
        target = folder / (hashlib.sha256(url.encode()).hexdigest() + ".img")
        if not image.save(str(target), "JPG"):
            raise SystemExit(f"the cover {target} could not be drawn")
