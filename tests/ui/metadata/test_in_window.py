"""In the assembled window, Fetch Metadata… spends the window's Hardcover rate budget (the one
sync spends), and "Failed Metadata Fetches…" sits beside it in the library's context menu."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.api.client import ENDPOINT_ENV
from bookorbit_desktop.hardcover.api.credentials import TOKEN_ENV
from bookorbit_desktop.ui.metadata.actions import FAILED, ONE
from bookorbit_desktop.ui.metadata.batch_dialog import BatchDialog
from bookorbit_desktop.ui.metadata.fetch_dialog import FetchDialog
from tests.ui.assembled import local_desktop
from tests.ui.metadata.conftest import wait


@pytest.fixture
def desktop(library, sources, hardcover_fake, fox, monkeypatch, qloop):
    monkeypatch.setenv(TOKEN_ENV, hardcover_fake.token)  # connected for this run
    monkeypatch.setenv(ENDPOINT_ENV, hardcover_fake.url)
    desktop = local_desktop(library, shown=True)
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def test_a_fetch_spends_the_windows_hardcover_budget(desktop, fox, qloop):
    limiter = desktop.hardcover.account.limiter()  # the one sync and the pull use
    assert not limiter.budget().from_server
    dialog = desktop.book_actions.metadata.fetch_books([fox.id])
    assert isinstance(dialog, FetchDialog)
    wait(qloop, dialog.task)
    assert dialog.pane.status_labels["hardcover"].text().startswith("Hardcover: ok")
    assert limiter.budget().from_server  # the fetch's requests went through it


def test_failed_fetches_are_in_the_context_menu_beside_fetch_metadata(desktop, fox, qloop):
    table = desktop.window.library_view.table
    texts = [action.text() for action in table.actions()]
    assert texts.index(FAILED) == texts.index(ONE) + 1
    failed = next(a for a in table.actions() if a.text() == FAILED)
    failed.trigger()
    dialog = desktop.book_actions.metadata.batch
    assert isinstance(dialog, BatchDialog) and dialog.isVisible()
    assert wait(qloop, dialog.task) == 0
    assert dialog.progress_label.text() == "No metadata fetch has failed."
