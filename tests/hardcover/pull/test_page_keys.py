"""The pull pages on by the last entry that has a key of its own: an answer with rows
without an id (or a timestamp) is read, its good rows kept, and never crashes the pass.
Answered in-process by aioresponses."""

from __future__ import annotations

import aiohttp
import pytest
from aioresponses import aioresponses

from bookorbit_desktop.hardcover.api.client import HardcoverClient, RetryPolicy
from bookorbit_desktop.hardcover.api.ratelimit import RateLimiter
from bookorbit_desktop.hardcover.pull import run, store
from tests.fakes.clock import VirtualClock

URL = "https://api.hardcover.test/v1/graphql"
STAMP = "2026-08-21T10:00:00+00:00"


def _entry(entry_id, updated_at=STAMP) -> dict:
    return {
        "id": entry_id,
        "book_id": 70,
        "status_id": 1,
        "privacy_setting_id": 1,
        "rating": None,
        "updated_at": updated_at,
        "user_book_reads": [],
    }


@pytest.fixture
async def client():
    clock = VirtualClock()
    session = aiohttp.ClientSession()
    hc = HardcoverClient(
        "hc_pat_test",
        session=session,
        endpoint=URL,
        clock=clock,
        sleep=clock.sleep,
        jitter=lambda: 0.5,
        limiter=RateLimiter(clock=clock),
        retry=RetryPolicy(),
    )
    yield hc
    await session.close()


async def test_rows_without_a_key_are_left_out_and_the_pass_pages_on_the_last_good_one(
    library, client
):
    rows = [_entry(5), _entry(None), "junk", _entry(9, updated_at="garbage")]
    with aioresponses() as mock:
        mock.post(URL, payload={"data": {"user_books": rows}})
        mock.post(URL, payload={"data": {"lists": []}})
        result = await run.pull(client, 7, full=True)
    assert result.error is None and result.entries == 4
    assert [e["user_book_id"] for e in store.pulled()] == [5, 9]
    assert len(result.left_out) == 2  # the row without an id, the one that is no entry
    assert (store.state(store.SINCE), store.state(store.SINCE_ID)) == (STAMP, "5")


async def test_a_full_page_without_a_key_ends_the_pass_with_an_error(library, client):
    with aioresponses() as mock:
        mock.post(URL, payload={"data": {"user_books": [_entry("x")] * 100}})
        result = await run.pull(client, 7, full=True)
    assert result.error and "Unexpected answer from Hardcover" in result.error
    assert run.status()["error"] == result.error
