"""Open Library and Google Books (one loopback fake) and Hardcover (its fake) on threads of
their own, for the metadata dialogs driven on the window's qasync loop; a `MetadataService`
talking to all three, the sources' polite pacing off. The library knows "Fantastic Mr. Fox" by
its ISBN only loosely (its title as a file name gives it, an unknown author, no description)."""

from __future__ import annotations

import asyncio
import functools

import pytest

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.credentials import SuppliedToken
from bookorbit_desktop.metadata_sources import googlebooks, openlibrary
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.metadata.service import MetadataService
from bookorbit_desktop.ui.asyncqt import running_tasks
from tests.factories import add_book
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover
from tests.fakes.metadata_sources import FakeBook, FakeBookSources, ThreadedFakeBookSources
from tests.fakes.metadata_sources_fixtures import FOX, paced_virtually

NO_PACING = {"openlibrary": 0.0, "google": 0.0}


@pytest.fixture
def sources(monkeypatch):
    with ThreadedFakeBookSources(FakeBookSources()) as fake:
        fake.add(FakeBook(**{**FOX.__dict__}))
        monkeypatch.setenv(openlibrary.BASE_URL_ENV, fake.openlibrary_url)
        monkeypatch.setenv(googlebooks.BASE_URL_ENV, fake.google_url)
        monkeypatch.setattr(openlibrary, "REQUEST_INTERVAL", 0.0)
        monkeypatch.setattr(googlebooks, "REQUEST_INTERVAL", 0.0)
        paced_virtually(monkeypatch)  # a refusal's wait takes no wall time
        yield fake


@pytest.fixture
def hardcover_fake():
    catalog = Catalog()
    server = FakeHardcover(catalog, clock=SystemClock())
    with ThreadedFakeHardcover(server) as running:
        user = catalog.add_user("reader")
        running.token = catalog.add_token(user)
        book = catalog.add_book(
            "Fantastic Mr Fox", authors=["Roald Dahl"], users_count=50,
            description="Boggis, Bunce and Bean against one fox.",
        )  # fmt: skip
        catalog.add_edition(book, isbn_13=FOX.isbn13, pages=96, users_count=5)
        yield running


@pytest.fixture
def service(library, sources, hardcover_fake) -> MetadataService:
    factory = functools.partial(HardcoverClient, endpoint=hardcover_fake.url)
    account = HardcoverAccount(
        supplied=SuppliedToken(hardcover_fake.token, "test"), client_factory=factory
    )
    return MetadataService(library, account=account, intervals=NO_PACING)


@pytest.fixture
def fox(library):
    return add_book("fantastic_mr_fox", ["Unknown"], isbn13=FOX.isbn13, language=None)


def until(check, timeout: float = 10.0):
    """A coroutine that ends once `check()` holds (the window's loop keeps running)."""

    async def poll() -> None:
        while not check():
            await asyncio.sleep(0.01)

    return asyncio.wait_for(poll(), timeout)


def wait(loop: asyncio.AbstractEventLoop, awaitable):
    """Run the window's loop until `awaitable` (a task or a signal's future) is done."""
    return loop.run_until_complete(asyncio.wait_for(asyncio.ensure_future(awaitable), 20))


def emitted(loop: asyncio.AbstractEventLoop, signal) -> asyncio.Future:
    """A future for the next emission of `signal`, connected now, before the loop runs."""
    future = loop.create_future()

    def fire(*args) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(fire)
    return future


def settle(loop: asyncio.AbstractEventLoop) -> None:
    """Run the window's loop until every task started with `spawn` has ended, those they start
    included. A fetch shows the book again as each source answers, and each showing loads its
    covers: a `covers_loaded` awaited from the start may be an earlier showing's (the others'
    covers came before a slow source answered), not the one the table shows at the end."""

    async def idle() -> None:
        while tasks := running_tasks():
            await asyncio.wait(tasks)

    wait(loop, idle())
