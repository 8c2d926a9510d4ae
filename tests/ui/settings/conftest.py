"""The parts the Settings sections act on: the fake Hardcover over HTTP with the token in a
file-backed keyring, the Hardcover service on it, and the LAN server on 127.0.0.1."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.credentials import TokenStore
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.hardcover.service import HardcoverService
from bookorbit_desktop.services.server import DesktopServer
from tests.fakes.clock import SteppedClock
from tests.fakes.file_keyring import FileKeyring
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover


@pytest.fixture
def fake():
    catalog = Catalog()
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=SteppedClock())) as running:
        running.user_id = catalog.add_user("reader")
        running.token = catalog.add_token(running.user_id)
        yield running


@pytest.fixture
def hardcover(fake, tmp_path):
    clock = fake.clock  # the fake's: rate-limit waits move it instead of taking time
    account = HardcoverAccount(
        TokenStore(FileKeyring(tmp_path / "keyring.json")),
        client_factory=lambda token, **kw: HardcoverClient(
            token, endpoint=fake.url, clock=clock, sleep=clock.sleep, **kw
        ),
        clock=clock,
    )
    return HardcoverService(account)


@pytest.fixture
def server(library, qloop):
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    server = DesktopServer(library, addresses=lambda host: [host])
    yield server
    qloop.run_until_complete(server.stop())
