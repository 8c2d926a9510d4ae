"""Waiting costs nothing, and every door counts what waits alike: in every state of the sync's
table, ten idle minutes of the background worker cost at most three requests to Hardcover (a
real account, the fake Hardcover on 127.0.0.1, its virtual clock)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bookorbit_desktop.hardcover.sync import counts
from bookorbit_desktop.hardcover.sync.waiting import waits_parts
from bookorbit_desktop.library.store import dashboard_rows
from bookorbit_desktop.services.hardcover.service import HardcoverService
from bookorbit_desktop.ui.status import AppStatus, sync_details
from tests.hardcover.sync.idle_states import BUDGET, STATES, idle_requests, library_in

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("state", list(STATES))
async def test_ten_idle_minutes_cost_at_most_three_requests(state, library, hardcover, clock,
                                                            tmp_path):  # fmt: skip
    async with library_in(hardcover, tmp_path / "keyring.json", clock) as idle:
        assert await idle_requests(idle, state) <= BUDGET


@pytest.mark.parametrize("state", list(STATES))
async def test_every_door_counts_what_waits_the_same(state, library, hardcover, clock, tmp_path):
    """The page's line and filters, the tray, `hardcover status --json` and the service the
    window asks all say what the one count says, in every state."""
    async with library_in(hardcover, tmp_path / "keyring.json", clock) as idle:
        STATES[state](idle)
        waits = counts.current()
        service = HardcoverService(idle.service.account)
        assert service.status().waits == waits
        assert idle.service.status().waiting == waits.to_json()
        shown = AppStatus(sync_available=True, **AppStatus.waits_fields(waits))
        assert shown.waits == replace(waits, excluded=0)  # the tray does not list those
        details = sync_details(shown, now=0.0)
        assert all(part in details for part in waits_parts(waits))
        page = dashboard_rows.state_counts()
        assert page.get("held", 0) == waits.held
        assert page.get("conflict", 0) == waits.in_conflict
        assert page.get("excluded", 0) == waits.excluded
