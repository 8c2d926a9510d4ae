"""Registration runs a hash too: while no account exists, a flood of registrations from one
address runs only a few hashes at once, exactly one creates the account, and none of it
touches the login budget of that address."""

from __future__ import annotations

import asyncio
import hashlib

import pytest

from bookorbit_desktop.guards.throttle import LOGINS, REGISTRATIONS
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.server import accounts
from bookorbit_desktop.server.accounts import remove_account
from tests.server.kosync.support import kosync_fixture  # noqa: F401

pytestmark = pytest.mark.asyncio

CLOSED = {"code": 2005, "message": "User registration is disabled."}
TRY_AGAIN = {"code": 2000, "message": "Unknown server error."}


async def test_parallel_registrations_run_few_hashes_and_leave_the_login_budget(
    kosync, monkeypatch
):
    remove_account()
    set_setting("kosync.allow_registration", True)
    hashes = []
    real_new_account = accounts.new_account

    def counted(username: str, key: str) -> accounts.Account:
        hashes.append(username)
        return real_new_account(username, key)

    monkeypatch.setattr(accounts, "new_account", counted)
    keys = {f"reader{n}": hashlib.md5(f"pw{n}".encode()).hexdigest() for n in range(12)}
    replies = await asyncio.gather(
        *(
            kosync.request(
                "POST", "/users/create", auth=None, body={"username": name, "password": key}
            )
            for name, key in keys.items()
        )
    )
    created = [reply.json["username"] for reply in replies if reply.status == 201]
    assert len(created) == 1
    others = [(reply.status, reply.json) for reply in replies if reply.status != 201]
    assert set(map(str, others)) <= {str((402, CLOSED)), str((502, TRY_AGAIN))}, others
    assert 1 <= len(hashes) <= REGISTRATIONS.failures, hashes
    # The registrations spent nothing of the address's login budget: its whole burst of
    # failed checks is still there, and then the account's key logs in.
    (name,) = created
    for n in range(LOGINS.failures - 1):
        wrong = await kosync.request("GET", "/users/auth", auth=(name, f"typo{n}"))
        assert wrong.status == 401
    assert kosync.ctx.throttle.refused == 0
    assert (await kosync.request("GET", "/users/auth", auth=(name, keys[name]))).status == 200
