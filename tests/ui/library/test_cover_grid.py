"""The cover grid beside the table: covers for the cells on screen, scaled off the window's
thread; status and progress on each cell; the same books and selection as the table."""

from __future__ import annotations

import asyncio
import threading

from bookorbit_desktop.library.metadata.generated_cover import cover_colour
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.services.library.cover_files import cover_files
from bookorbit_desktop.ui import cover_loader
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.library.cover_grid import COVER, status_line
from bookorbit_desktop.ui.library.view import LibraryView
from tests.factories import add_book
from tests.ui.assembled import bare_window
from tests.ui.hardcover.test_row_covers import write_cover
from tests.ui.library.shelf import show_library


def grid_view(qtbot, qloop, library, files) -> LibraryView:
    """The view with the grid on screen; Qt's events run on the asyncio loop (as in the app),
    where the cover loads run."""
    view = LibraryView()
    qtbot.addWidget(view)
    view.grid.show_covers(files)
    view.resize(800, 600)
    show_library(view, library)
    view.show_grid(True)
    view.show()
    qloop.run_until_complete(asyncio.sleep(0.3))
    return view


def test_cells_on_screen_get_their_covers_off_the_window_thread(library, qtbot, qloop, monkeypatch):
    red = add_book("Aa Red Cover", status="reading")
    Book.update(cover_path=write_cover(library, "red.png", "#ff0000")).where(
        Book.id == red.id
    ).execute()
    plain = add_book("Ab No Cover")
    for number in range(300):  # far more cells than fit on screen
        add_book(f"Zz Filler {number:03}")
    asked: list[list[int]] = []
    threads: list[str] = []

    async def files(book_ids):
        asked.append(list(book_ids))
        return await cover_files(library, book_ids)

    real = cover_loader.scaled_covers

    def scaled(*args):
        threads.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(cover_loader, "scaled_covers", scaled)
    view = grid_view(qtbot, qloop, library, files)
    assert view._stack.currentWidget() is view.grid

    async def load() -> None:
        loaded = signal_future(view.grid.covers.loaded)
        view.grid.covers.schedule()
        await asyncio.wait_for(loaded, 10)

    qloop.run_until_complete(load())
    in_view = view.grid.books_in_view()
    assert red.id in in_view and plain.id in in_view
    assert 0 < len(asked[-1]) < 60  # the cells on screen, not 302 books
    assert threads and threading.main_thread().name not in threads
    image = view.grid.cover(red.id).toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2).name() == "#ff0000"
    generated = view.grid.cover(plain.id).toImage()  # no cover of its own: its generated one
    background = generated.pixelColor(generated.width() // 2, generated.height() * 9 // 20)
    assert close(background, cover_colour("Ab No Cover"))

    # What a cell shows: the cover, the title, the status with the progress.
    shot = view.grid.viewport().grab().toImage()
    first = view.grid.visualRect(view.model.index(view.model.row_of(red.id), 0))
    centre = first.center().x(), first.top() + 10 + COVER.height() // 2
    assert shot.pixelColor(*centre).name() == "#ff0000"


def close(colour, rgb, within: int = 12) -> bool:
    """`colour` is `rgb` but for the loss of a JPEG and a scaling."""
    return all(abs(a - b) <= within for a, b in zip(colour.getRgb()[:3], rgb, strict=True))


def test_the_status_line_names_status_and_progress():
    assert status_line("Reading", "35 % · p. 403 of 1152") == "Reading · 35 % · p. 403 of 1152"
    assert status_line("Unread", "") == "Unread"


def test_the_grid_and_the_table_share_the_selection(library, qtbot, qloop):
    dune = add_book("Dune", status="reading")
    add_book("Emma")

    async def no_covers(_ids):
        return {}

    view = grid_view(qtbot, qloop, library, no_covers)
    selected = []
    view.book_selected.connect(selected.append)
    view.grid.setCurrentIndex(view.model.index(view.model.row_of(dune.id), 0))
    assert selected == [dune.id]
    view.show_grid(False)
    assert view._stack.currentWidget() is view.table
    assert view.table.currentIndex().row() == view.model.row_of(dune.id)
    view.filter_edit.setText("emma")  # one filter for both
    view.show_grid(True)
    assert view.grid.model().rowCount() == 1


def test_the_grid_choice_is_kept_across_starts(library, qtbot, tmp_path):
    first = bare_window(qtbot, library, tmp_path)
    first.library_view.show_grid(True)
    first.save_state()
    assert bare_window(qtbot, library, tmp_path).library_view.grid_shown
