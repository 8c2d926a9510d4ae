"""pytest fixtures for the fake Hardcover; import the ones a test module needs.

    from tests.fakes.hardcover_fixtures import clock, hardcover, hc_client  # noqa: F401

`hardcover` is a started `FakeHardcover` whose catalogue has one user ("reader") and one token
with the default scopes (`hardcover.token`, `hardcover.user_id`); `hc_client` is a client for it
that shares the fake's virtual clock, so rate-limit waits take no wall time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.ratelimit import RateLimiter
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover


class StartedFake(FakeHardcover):
    token: str
    user_id: int


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
async def hardcover(clock: VirtualClock) -> AsyncIterator[StartedFake]:
    catalog = Catalog()
    server = StartedFake(catalog, clock=clock)
    server.user_id = catalog.add_user("reader")
    server.token = catalog.add_token(server.user_id)
    await server.start()
    try:
        yield server
    finally:
        await server.close()


def make_client(
    server: FakeHardcover, clock: VirtualClock, token: str, **kwargs
) -> HardcoverClient:
    """A client wired to the fake and its virtual clock (jitter fixed for predictable waits)."""
    return HardcoverClient(
        token,
        endpoint=server.url,
        clock=clock,
        sleep=clock.sleep,
        jitter=lambda: 0.5,
        limiter=kwargs.pop("limiter", None) or RateLimiter(clock=clock),
        **kwargs,
    )


@pytest.fixture
async def hc_client(hardcover: StartedFake, clock: VirtualClock) -> AsyncIterator[HardcoverClient]:
    client = make_client(hardcover, clock, hardcover.token)
    try:
        yield client
    finally:
        await client.close()
