"""Fixtures of the welcome page's tests: a Hardcover account to connect, on the fake."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.credentials import TokenStore
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.hardcover.service import HardcoverService
from tests.fakes.clock import SystemClock
from tests.fakes.file_keyring import FileKeyring
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover


@pytest.fixture
def hardcover_reader(tmp_path) -> Iterator[tuple[HardcoverService, str]]:
    """The Hardcover service of a fresh install (its keyring a file) talking to the fake on
    127.0.0.1, and the token of the fake's user "reader"."""
    catalog = Catalog()
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=SystemClock())) as fake:
        token = catalog.add_token(catalog.add_user("reader"))
        account = HardcoverAccount(
            TokenStore(FileKeyring(tmp_path / "keyring.json")),
            client_factory=lambda t, **kw: HardcoverClient(t, endpoint=fake.url, **kw),
        )
        yield HardcoverService(account), token
