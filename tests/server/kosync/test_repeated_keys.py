"""KOReader and the kosync conformance suite send the same wrong key several times in a row:
a retry is no new guess, so it is refused at once without a check and without spending the
address's budget, and the right key afterwards still logs in."""

from __future__ import annotations

import logging

import pytest

from bookorbit_desktop.guards.repeats import REPEAT_SECONDS
from bookorbit_desktop.guards.throttle import ANSWERS_PER_SECOND, LOGINS
from bookorbit_desktop.server.accounts import set_account
from tests.server.kosync.support import KEY, USER, kosync_fixture  # noqa: F401

pytestmark = pytest.mark.asyncio

AUTH = "/kosync/users/auth"
RETRIES = 3 * LOGINS.failures


async def test_the_same_wrong_key_sent_again_costs_no_check_and_no_budget(kosync, caplog):
    caplog.set_level(logging.WARNING)
    for _ in range(RETRIES):
        reply = await kosync.request("GET", AUTH, auth=(USER, "wrongkey"))
        assert (reply.status, reply.json["code"]) == (401, 2001)
        # A device's retries come one answer apart; on a clock that stood still each refusal
        # would wait out all the answers before it.
        kosync.clock.now += 1 / ANSWERS_PER_SECOND
    # Checked once; every retry answered from memory, uncounted.
    assert kosync.ctx.throttle.refused == RETRIES - 1
    assert not kosync.ctx.throttle.blocked("127.0.0.1")
    assert (await kosync.request("GET", AUTH)).status == 200  # the right key, at once
    assert "wrongkey" not in caplog.text


async def test_a_remembered_failure_ends_with_its_minute_or_a_new_password(kosync):
    clock = kosync.clock
    assert (await kosync.request("GET", AUTH, auth=(USER, "newkey"))).status == 401
    assert kosync.ctx.throttle.repeats.seen(kosync.ctx.account.peek().digest, USER, "newkey")
    # The user makes "newkey" the password: the device's very next retry logs in.
    set_account(USER, "newkey")
    kosync.ctx.account.forget()
    assert (await kosync.request("GET", AUTH, auth=(USER, "newkey"))).status == 200
    set_account(USER, KEY)
    kosync.ctx.account.forget()
    assert (await kosync.request("GET", AUTH, auth=(USER, "other"))).status == 401
    clock.now += REPEAT_SECONDS
    refused = kosync.ctx.throttle.refused
    assert (await kosync.request("GET", AUTH, auth=(USER, "other"))).status == 401
    assert kosync.ctx.throttle.refused == refused  # a minute later: checked again
