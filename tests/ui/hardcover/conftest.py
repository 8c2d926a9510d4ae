"""The fake Hardcover on its own thread and a Hardcover controller talking to it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.credentials import TokenStore
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.hardcover.service import HardcoverService
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.hardcover.controller import HardcoverController
from bookorbit_desktop.ui.hardcover.page import HardcoverView
from bookorbit_desktop.ui.status import StatusHub
from tests.fakes.clock import SteppedClock
from tests.fakes.file_keyring import CountingKeyring
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover


@pytest.fixture
def fake():
    catalog = Catalog()
    server = FakeHardcover(catalog, clock=SteppedClock())
    with ThreadedFakeHardcover(server) as running:
        running.user_id = catalog.add_user("reader")
        running.token = catalog.add_token(running.user_id)
        yield running


@pytest.fixture
def keyring_file(tmp_path):
    return tmp_path / "keyring.json"


@pytest.fixture
def keyring_backend(keyring_file):
    return CountingKeyring(keyring_file)


def make_controller(library, fake, backend, qtbot, **options):
    clock = fake.clock  # the fake's: rate-limit waits move it instead of taking time
    account = HardcoverAccount(
        TokenStore(backend),
        client_factory=lambda token, **kw: HardcoverClient(
            token, endpoint=fake.url, clock=clock, sleep=clock.sleep, **kw
        ),
        clock=clock,
    )
    service = HardcoverService(account)
    window = QWidget()
    qtbot.addWidget(window)
    hub = StatusHub()
    view = HardcoverView(window)
    books = LibraryService(library).list_books
    controller = HardcoverController(service, hub, view, books, window, **options)
    controller.matches_changed.connect(controller.refresh)
    return controller


@pytest.fixture
def hc(library, fake, keyring_backend, qtbot, qloop):
    controller = make_controller(library, fake, keyring_backend, qtbot)
    controller.refresh()
    qloop.run_until_complete(controller.check_account())  # as at start-up
    return controller


async def open_pick(hc, book_id):
    """Start Pick for a book; (its dialog once on screen, the task that ends with it)."""
    opened = signal_future(hc.pick_opened)
    task = hc.pick(book_id)
    (dialog,) = await opened
    return dialog, task


def settle(hc, qloop):
    """Wait for what the page reads off the window's thread (the account, the counts)."""
    task = hc._reload_task
    if task is not None and not task.done():
        qloop.run_until_complete(task)


def refresh(hc, qloop):
    """`hc.refresh()` once what it reads off the window's thread is on screen too."""
    hc.refresh()
    settle(hc, qloop)


def connect(hc, fake, qloop):
    hc.view.token_edit.setText(f"Bearer {fake.token}")
    qloop.run_until_complete(_click_connect(hc))
    settle(hc, qloop)


async def _click_connect(hc):
    before = _tasks()  # the page may be counting conflicts meanwhile
    hc.view.connect_button.click()
    (task,) = _tasks() - before
    await task


def _tasks():
    from bookorbit_desktop.ui.asyncqt import running_tasks

    return running_tasks()


# -- the page's list, as the user reads it ---------------------------------------------------


def row_texts(view, row):
    """What row `row` of the page's list says, column by column."""
    return view.row_texts(row)


def current_texts(view):
    """What the current (selected) row says."""
    return view.row_texts(view.tree.currentIndex().row())


def top_rows(view):
    """The first column of every row that is not inside a group: books alone and headings."""
    from bookorbit_desktop.ui.hardcover.rows_model import CHILD_ROLE

    model = view.model
    return [
        row_texts(view, row)[0]
        for row in range(model.rowCount())
        if not model.index(row, 0).data(CHILD_ROLE)
    ]


def group_rows(view, heading):
    """The first column of the rows under the heading whose text is `heading`."""
    from bookorbit_desktop.ui.hardcover.rows_model import CHILD_ROLE

    model = view.model
    rows = [row_texts(view, row)[0] for row in range(model.rowCount())]
    start = rows.index(heading) + 1
    end = start
    while end < model.rowCount() and model.index(end, 0).data(CHILD_ROLE):
        end += 1
    return rows[start:end]


def heading_row(view, heading):
    return [row_texts(view, row)[0] for row in range(view.model.rowCount())].index(heading)
