"""A book's files for the window's Open, Open With, Show in Folder and Copy Path
(`ui.library.open_actions`): each with its format and whether it is on disk now, the one a
plain Open reads first, and how each system shows a file in its file manager.

Which file Open reads (`preferred_order`): a file that is on disk before one that is not, then
by format in `FORMAT_ORDER` (EPUB first: every system has a reader for it; a format not listed
after those that are), then the order the files were added in.

How a file is shown selected in its folder (`show_command`):

| system  | command                          |
|---------|----------------------------------|
| Windows | `explorer /select,<path>`        |
| macOS   | `open -R <path>`                 |
| other   | none: the file manager's D-Bus `ShowItems` (freedesktop FileManager1), else the  |
|         | folder opened                                                                    |

"Open With" the system's own application chooser exists only on Windows (`shell32`'s
`OpenAs_RunDLL`, `chooser_command`); elsewhere the window offers the book's formats instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.library.store.models import Book, BookFile

FORMAT_ORDER = ("epub", "azw3", "mobi", "azw", "fb2", "fb2.zip", "pdf", "cbz")


@dataclass(frozen=True)
class BookFileChoice:
    path: str
    format: str
    present: bool  # on disk when the book's files were read


def preferred_order(files: list[BookFileChoice]) -> list[BookFileChoice]:
    """`files` (in the order they were added) in the order Open takes them."""

    def rank(numbered: tuple[int, BookFileChoice]) -> tuple[bool, int, int]:
        number, choice = numbered
        kind = choice.format.lower()
        order = FORMAT_ORDER.index(kind) if kind in FORMAT_ORDER else len(FORMAT_ORDER)
        return (not choice.present, order, number)

    return [choice for _number, choice in sorted(enumerate(files), key=rank)]


def show_command(platform: str, path: str) -> tuple[str, list[str]] | None:
    """The program and arguments that show `path` selected in the system's file manager;
    None where there is none (the D-Bus `ShowItems` then)."""
    if platform == "win32":
        return "explorer", [f"/select,{Path(path)}"]
    if platform == "darwin":
        return "open", ["-R", path]
    return None


def chooser_command(platform: str, path: str) -> tuple[str, list[str]] | None:
    """The program and arguments that ask which application opens `path`; None where the
    system has no such chooser to call."""
    if platform == "win32":
        return "rundll32.exe", ["shell32.dll,OpenAs_RunDLL", str(Path(path))]
    return None


@dataclass(frozen=True)
class BookFiles:
    book_id: int
    title: str
    files: list[BookFileChoice]  # in `preferred_order`


class BookFilesService:
    def files(self, book_id: int) -> BookFiles | None:
        """The book's files as they are on disk now (None when the book is gone)."""
        book = Book.get_or_none(Book.id == book_id)
        if book is None:
            return None
        rows = BookFile.select(BookFile.path, BookFile.format).where(BookFile.book == book_id)
        found = [
            BookFileChoice(row.path, row.format.upper(), Path(row.path).is_file())
            for row in rows.order_by(BookFile.id)
        ]
        return BookFiles(book_id, book.title, preferred_order(found))
