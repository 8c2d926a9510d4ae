"""A failed pull (rate limit, refused token) shows in the window's status bar with what to do
next, and the line clears once a pull works again."""

from __future__ import annotations

import time

import pytest

from bookorbit_desktop.app import Desktop
from bookorbit_desktop.hardcover.pull.run import pull
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.ui.single_instance import SingleInstance
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_fixtures import make_client
from tests.fakes.hardcover_server import FakeHardcover


@pytest.fixture
def desktop(library, qtbot, qloop):
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    desktop = Desktop(library, SingleInstance(library.data_dir), started=time.monotonic())
    desktop.build()
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


async def _pull(fault: int | None, *, bad_token: bool = False):
    clock = VirtualClock(start=time.time())
    catalog = Catalog()
    fake = FakeHardcover(catalog, clock=clock)
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    await fake.start()
    client = make_client(fake, clock, "not-the-token" if bad_token else token)
    try:
        if fault is not None:
            fake.fail_next(fault, times=50, retry_after=30)
        return await pull(client, user, full=True)
    finally:
        await client.close()
        await fake.close()


def test_a_failed_pull_shows_in_the_status_bar_with_the_next_try(desktop, qloop, qtbot):
    desktop.show(start_hidden=False)
    label = desktop.window.sync_label
    result = qloop.run_until_complete(_pull(429))
    assert result.error
    desktop.hub.update(sync_available=True)  # connected, as the Hardcover page reports it
    assert label.text() == "Hardcover: connected"
    qloop.run_until_complete(desktop.pull_watch.update())
    desktop.hub.update(sync_available=True)  # as the Hardcover page reports a connection
    assert "could not read your changes" in label.text()
    text = label.text()
    assert "rate limit" in text.lower() and "Next try at" in text
    assert "Traceback" not in text
    qloop.run_until_complete(_pull(None))  # Hardcover answers again
    qloop.run_until_complete(desktop.pull_watch.update())
    desktop.hub.update(sync_available=True)  # as the Hardcover page reports a connection
    assert label.text() == "Hardcover: connected"


def test_a_refused_token_says_to_connect_again(desktop, qloop, qtbot):
    desktop.show(start_hidden=False)
    result = qloop.run_until_complete(_pull(None, bad_token=True))
    assert result.refused
    desktop.hub.update(sync_available=True)
    qloop.run_until_complete(desktop.pull_watch.update())
    desktop.hub.update(sync_available=True)  # as the Hardcover page reports a connection
    label = desktop.window.sync_label
    assert "Connect again on the Hardcover page" in label.text()
    assert "Next try" not in label.text()
