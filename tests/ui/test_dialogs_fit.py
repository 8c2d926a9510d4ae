"""Every dialog of the window fits a 1366x768 laptop screen: the whole dialog, with the room the
window manager's title bar and frame take, and every one of its buttons within the screen's
free area. Each dialog is built with a realistic, long content (real SQLite, real widgets)."""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QRect, QUrl
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QScrollArea, QWidget

import bookorbit_desktop.ui
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.sync.results import BookResult
from bookorbit_desktop.library.custom.columns import add_column
from bookorbit_desktop.library.editing.removal import RemovalPlan
from bookorbit_desktop.services.goals.service import Goal
from bookorbit_desktop.services.hardcover.service import HardcoverService
from bookorbit_desktop.services.library.authors import AuthorsService
from bookorbit_desktop.services.library.custom_columns import Column
from bookorbit_desktop.services.library.device_positions import DeviceRow
from bookorbit_desktop.services.library.edits import EditForm
from bookorbit_desktop.services.library.merge import MergeService
from bookorbit_desktop.services.library.saved_searches import save_search
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.services.metadata.apply import FillPlan, LeftOut
from bookorbit_desktop.services.metadata.service import MetadataService
from bookorbit_desktop.services.settings import load_settings, save_settings
from bookorbit_desktop.ui.crash_dialog import CrashDialog
from bookorbit_desktop.ui.data_folder_dialog import DataFolderDialog
from bookorbit_desktop.ui.devices.shelf_addresses import ShelfAddressesDialog
from bookorbit_desktop.ui.hardcover.conflicts import ConflictsDialog
from bookorbit_desktop.ui.hardcover.pick_dialog import PickDialog
from bookorbit_desktop.ui.highlights.earlier_dialog import EarlierTextsDialog
from bookorbit_desktop.ui.library.authors_dialog import AuthorsDialog
from bookorbit_desktop.ui.library.book_chooser import BookChooser
from bookorbit_desktop.ui.library.calibre_import import CalibreDialog
from bookorbit_desktop.ui.library.custom_columns import CustomColumnsDialog
from bookorbit_desktop.ui.library.duplicates_dialog import DuplicatesDialog
from bookorbit_desktop.ui.library.edit_dialog import EditDialog
from bookorbit_desktop.ui.library.finish_date import FinishDateDialog
from bookorbit_desktop.ui.library.progress_reset import ResetDialog
from bookorbit_desktop.ui.library.read_dialog import ReadDialog
from bookorbit_desktop.ui.library.remove_dialog import RemoveDialog
from bookorbit_desktop.ui.library.tidy_dialog import TidyDialog
from bookorbit_desktop.ui.metadata.batch_dialog import BatchDialog
from bookorbit_desktop.ui.metadata.fetch_dialog import FetchDialog
from bookorbit_desktop.ui.metadata.fill_review import FillReview
from bookorbit_desktop.ui.opening import CouldNotOpen
from bookorbit_desktop.ui.settings.dialog import SettingsDialog
from bookorbit_desktop.ui.sync.progress_dialog import SyncDialog
from bookorbit_desktop.ui.sync.review_dialog import ReviewDialog
from bookorbit_desktop.ui.widgets import FRAME_ALLOWANCE
from bookorbit_desktop.ui.year.goal_dialog import GoalDialog
from bookorbit_desktop.ui.year.sharing import ShareDialog
from tests.factories import add_book
from tests.ui.small_screen import small_screen_fixture  # noqa: F401  (the `small_screen` fixture)

LONG_TITLE = (
    "The Hitchhiker's Guide to the Galaxy: The Complete Trilogy of Five, With an Introduction "
    "by the Author and Notes on the Radio Series"
)


async def _nothing(*_args: object) -> list[object]:
    return []


async def _no_search(query: str) -> tuple[str, list[dict[str, object]]]:
    return query, []


def _crash(tmp_path) -> QDialog:
    dialog = CrashDialog(
        tmp_path / "bookorbit-desktop.log", restart=lambda: None, quit=lambda: None
    )
    dialog.add("Traceback (most recent call last):\n" + "  File 'x.py', line 1\n" * 200)
    return dialog


def _remove(tmp_path) -> QDialog:
    plans = [
        RemovalPlan(n, f"{LONG_TITLE} {n}", (str(tmp_path / f"book {n}.epub"),), n)
        for n in range(40)
    ]
    return RemoveDialog(plans)


def _chooser(tmp_path) -> QDialog:
    for n in range(60):
        add_book(f"{LONG_TITLE} {n}", ["Douglas Adams"])
    books = LibraryService(resolve_paths(tmp_path / "data")).list_books()
    return BookChooser(books, title="Link to Book", prompt=f"Which book is “{LONG_TITLE}”?")


def _reset(_tmp_path) -> QDialog:
    rows = [
        DeviceRow(f"D{n}", f"Kobo Libra 2 number {n}", 0.5, "page 56", 1_790_000_000, None)
        for n in range(12)
    ]
    return ResetDialog(LONG_TITLE, rows)


def _edit(_tmp_path) -> QDialog:
    texts = {
        "title": LONG_TITLE,
        "authors": "Douglas Adams & Eoin Colfer",
        "series": "Hitchhiker's Guide",
        "series_index": "1",
        "language": "en",
        "isbn": "9780330258647",
        "description": "A long description. " * 200,
    }
    # With ten custom columns: their section scrolls instead of growing the dialog.
    custom = tuple(
        Column(n, f"field_{n}", f"{LONG_TITLE[:30]} {n}", kind, False, ("Desk", "Attic"))
        for n, kind in enumerate(("text", "float", "enumeration", "bool", "datetime") * 2, 1)
    )
    form = EditForm((1,), texts, frozenset(), (LONG_TITLE,), custom=custom)
    return EditDialog(form, lambda *_: None)


def _bulk_edit(_tmp_path) -> QDialog:
    # Several books with ten custom columns of long names (a long text among them), each
    # field with its Clear box: the section scrolls, the dialog keeps its width.
    custom = tuple(
        Column(n, f"field_{n}", f"{LONG_TITLE[:30]} {n}", kind, False, ("Desk", LONG_TITLE))
        for n, kind in enumerate(("comments", "float", "enumeration", "bool", "text") * 2, 1)
    )
    texts = {"authors": "Douglas Adams", "publisher": LONG_TITLE}
    mixed = frozenset(column.key for column in custom)
    form = EditForm((1, 2, 3), texts, mixed, (LONG_TITLE,) * 3, custom=custom)
    return EditDialog(form, lambda *_: None)


def _custom_columns(_tmp_path) -> QDialog:
    for n in range(12):
        add_column(f"{LONG_TITLE[:40]} {n}", "list", [LONG_TITLE[:20], "b"])
    return CustomColumnsDialog()


def _pick(_tmp_path) -> QDialog:
    candidates = [
        {"book_id": n, "title": f"{LONG_TITLE} {n}", "authors": ["Douglas Adams"], "year": 1979}
        for n in range(50)
    ]
    return PickDialog(LONG_TITLE, candidates, _no_search, _nothing, current=2)


def _review(_tmp_path) -> QDialog:
    books = [
        BookResult(n, f"{LONG_TITLE} {n}", "would_send", ({"changes": ("add as Read",)},))
        for n in range(80)
    ]
    return ReviewDialog(books, None, HardcoverService().match_details())


def _paths(tmp_path):
    return resolve_paths(tmp_path / "data")


def _batch(tmp_path) -> QDialog:
    ids = [add_book(f"{LONG_TITLE} {n}", ["Douglas Adams"]).id for n in range(60)]
    return BatchDialog(MetadataService(_paths(tmp_path)), ids)


def _fetch(tmp_path) -> QDialog:
    book = add_book(LONG_TITLE, ["Douglas Adams"])
    return FetchDialog(MetadataService(_paths(tmp_path)), book.id)


def _fill(_tmp_path) -> QDialog:
    left_out = tuple(
        LeftOut(n, f"{LONG_TITLE} {n}", "openlibrary", "another edition: English, not German")
        for n in range(60)
    )
    return FillReview(FillPlan({1: []}, {"description": {"hardcover": 1}}, left_out), 61)


def _duplicates(tmp_path) -> QDialog:
    for n in range(30):
        for _copy in range(2):
            add_book(f"{LONG_TITLE} {n}", ["Douglas Adams"])
    return DuplicatesDialog(MergeService(_paths(tmp_path)))


def _authors(_tmp_path) -> QDialog:
    for n in range(60):
        add_book(f"Book {n}", [f"Author Number {n} With A Rather Long Name, Jr."])
    parent = QWidget()
    dialog = AuthorsDialog(AuthorsService(), lambda _step: None, parent)
    dialog.kept_parent = parent  # the parent lives as long as the dialog
    return dialog


def _shelf_addresses(_tmp_path) -> QDialog:
    save_search(LONG_TITLE[:80], "tags:holiday or series:~saga")
    return ShelfAddressesDialog(lambda: "http://192.168.178.120:8765", lambda _ids: "", None)


FACTORIES: dict[str, Callable[..., QDialog]] = {
    "BatchDialog": _batch,
    "FetchDialog": _fetch,
    "FillReview": _fill,
    "DuplicatesDialog": _duplicates,
    "AuthorsDialog": _authors,
    "CrashDialog": _crash,
    "DataFolderDialog": lambda tmp_path: DataFolderDialog(
        f"{tmp_path / ('very long folder name ' * 8)} is a file, not a folder.", resolve_paths
    ),
    "RemoveDialog": _remove,
    "BookChooser": _chooser,
    "TidyDialog": lambda _tmp_path: TidyDialog(),
    "FinishDateDialog": lambda _tmp_path: FinishDateDialog(LONG_TITLE, datetime.date(2026, 3, 1)),
    "ResetDialog": _reset,
    "CalibreDialog": lambda _tmp_path: CalibreDialog(),
    "ReadDialog": lambda _tmp_path: ReadDialog("Edit Read", {"started": "2026-03-01"}, print),
    "EditDialog": _edit,
    "EditDialog (several books)": _bulk_edit,
    "CustomColumnsDialog": _custom_columns,
    "CouldNotOpen": lambda tmp_path: CouldNotOpen(QUrl.fromLocalFile(str(tmp_path / "a.epub"))),
    "ConflictsDialog": lambda _tmp_path: ConflictsDialog(_nothing, _nothing),
    "PickDialog": _pick,
    "EarlierTextsDialog": lambda _tmp_path: EarlierTextsDialog(list, lambda _id: [], print),
    "SettingsDialog": lambda _tmp_path: SettingsDialog(load_settings(), save_settings),
    "ReviewDialog": _review,
    "SyncDialog": lambda _tmp_path: SyncDialog(lambda _book_id: None, None),
    "ShelfAddressesDialog": _shelf_addresses,
    "ShareDialog": lambda _tmp_path: ShareDialog(None, 2026),
    "GoalDialog": lambda _tmp_path: GoalDialog(
        "Set a Reading Goal",
        Goal(24, "books", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), LONG_TITLE),
    ),
}


def dialog_classes() -> set[str]:
    """Every QDialog subclass the window's package defines."""
    found = set()
    for module in pkgutil.walk_packages(bookorbit_desktop.ui.__path__, "bookorbit_desktop.ui."):
        loaded = importlib.import_module(module.name)
        for name, value in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(value, QDialog) and value.__module__ == loaded.__name__:
                found.add(name)
    return found


def test_every_dialog_is_checked():
    assert dialog_classes() == {name.split(" (")[0] for name in FACTORIES}


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_the_dialog_fits_a_laptop_screen(name, library, qtbot, qloop, tmp_path, small_screen):
    dialog = FACTORIES[name](tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    framed = dialog.size() + FRAME_ALLOWANCE
    assert framed.width() <= small_screen.width(), (name, dialog.size())
    assert framed.height() <= small_screen.height(), (name, dialog.size())
    # Where the window manager would put it: centred in the free area, never above its top.
    left = small_screen.left() + (small_screen.width() - framed.width()) // 2
    top = small_screen.top() + max(0, (small_screen.height() - framed.height()) // 2)
    inner = QPoint(left, top) + QPoint(FRAME_ALLOWANCE.width() // 2, FRAME_ALLOWANCE.height() - 12)
    buttons = [
        b
        for b in dialog.findChildren(QAbstractButton)
        if b.isVisibleTo(dialog) and b.metaObject().className() != "QTableCornerButton"
    ]  # a table's corner button is Qt's own, sized to the headers (none when they are hidden)
    assert buttons, name
    for button in buttons:
        # A button in a box that scrolls is reached by scrolling down: the box must show, and
        # the button within its width (no scrolling sideways).
        area = next((w for w in _parents(button) if isinstance(w, QScrollArea)), None)
        if area is not None:
            right = button.mapTo(area.widget(), QPoint(button.width(), 0)).x()
            assert right <= area.viewport().width(), (name, button.text())
        shown = area or button
        at = QRect(shown.mapTo(dialog, QPoint(0, 0)) + inner, shown.size())
        assert dialog.rect().translated(inner).contains(at), (name, button.text())
        assert small_screen.contains(at), (name, button.text())


def _parents(widget: QWidget) -> list[QWidget]:
    found = []
    while (widget := widget.parentWidget()) is not None:
        found.append(widget)
    return found
