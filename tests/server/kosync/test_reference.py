"""The reference server's own test suite (koreader-sync-server spec/controllers/1, groups
#create, #auth and #sync, kosync-protocol.md §5.5), ported to this single-user server, plus
the extra cases §5.5 lists and KOReader's own client spec (kosync_spec.lua)."""

from __future__ import annotations

import hashlib

import pytest

from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.server.accounts import remove_account
from tests.server.kosync.support import START, kosync_fixture  # noqa: F401

pytestmark = pytest.mark.asyncio

USER1, PASSWD = "user1", hashlib.md5(b"passwd123").hexdigest()
DOC = "89isjkdaj9j"


@pytest.fixture
def open_registration(kosync):
    remove_account()
    set_setting("kosync.allow_registration", True)
    return kosync


async def register(client, username: str, password: str):
    return await client.request(
        "POST", "/users/create", auth=None, body={"username": username, "password": password}
    )


# #create


async def test_create_adds_new_user(open_registration):
    reply = await register(open_registration, "new-user", PASSWD)
    assert reply.status == 201
    assert reply.json == {"username": "new-user"}


async def test_create_cannot_add_duplicated_user(open_registration):
    await register(open_registration, "new-user", PASSWD)
    reply = await register(open_registration, "new-user", PASSWD)
    # The same answer as for any other name (the reference's 2002 names the account).
    assert reply.status == 402
    assert reply.json == {"code": 2005, "message": "User registration is disabled."}


async def test_create_a_second_account_is_refused_on_a_single_user_server(open_registration):
    await register(open_registration, "new-user", PASSWD)
    reply = await register(open_registration, "other-user", PASSWD)
    assert reply.status == 402
    assert reply.json == {"code": 2005, "message": "User registration is disabled."}


# #auth


async def test_auth_should_authorize(open_registration):
    client = open_registration
    await register(client, USER1, PASSWD)
    empty = await client.request("GET", "/users/auth", auth=(USER1, ""))
    assert (empty.status, empty.json) == (401, {"code": 2001, "message": "Unauthorized"})
    wrong = await client.request("GET", "/users/auth", auth=(USER1, hashlib.md5(b"x").hexdigest()))
    assert (wrong.status, wrong.json) == (401, {"code": 2001, "message": "Unauthorized"})
    right = await client.request("GET", "/users/auth", auth=(USER1, PASSWD))
    assert right.status == 200 and right.json["authorized"] == "OK"


# #sync


@pytest.fixture
async def user1(open_registration):
    await register(open_registration, USER1, PASSWD)
    return open_registration


def put_body(percentage: float, progress: str, device: str) -> dict:
    return {"document": DOC, "percentage": percentage, "progress": progress, "device": device}


async def test_sync_should_authorize_itself_before_getting_progress(user1):
    reply = await user1.request("GET", f"/syncs/progress/{DOC}", auth=(USER1, "bad"))
    assert (reply.status, reply.json["code"]) == (401, 2001)


async def test_sync_should_authorize_itself_before_updating_progress(user1):
    reply = await user1.request(
        "PUT", "/syncs/progress", auth=(USER1, "bad"), body=put_body(0.32, "56", "my kpw")
    )
    assert (reply.status, reply.json["code"]) == (401, 2001)


async def test_sync_should_update_document_progress(user1):
    reply = await user1.request(
        "PUT", "/syncs/progress", auth=(USER1, PASSWD), body=put_body(0.32, "56", "my kpw")
    )
    assert reply.status == 200
    assert reply.json["document"] == DOC and reply.json["timestamp"]


async def test_sync_cannot_get_progress_of_non_existent_document(user1):
    reply = await user1.request("GET", f"/syncs/progress/{DOC}non_existent", auth=(USER1, PASSWD))
    assert (reply.status, reply.json) == (200, {})


async def test_sync_should_get_document_progress(user1):
    await user1.request(
        "PUT", "/syncs/progress", auth=(USER1, PASSWD), body=put_body(0.32, "56", "my kpw")
    )
    reply = await user1.request("GET", f"/syncs/progress/{DOC}", auth=(USER1, PASSWD))
    assert reply.status == 200
    body = reply.json
    assert (body["document"], body["percentage"], body["progress"], body["device"]) == (
        DOC,
        0.32,
        "56",
        "my kpw",
    )
    assert body["timestamp"] == int(START)


async def test_sync_should_get_the_latest_document_progress(user1):
    for percentage, progress, device in [(0.32, "56", "my kpw"), (0.22, "36", "my pb")]:
        await user1.request(
            "PUT",
            "/syncs/progress",
            auth=(USER1, PASSWD),
            body=put_body(percentage, progress, device),
        )
    body = (await user1.request("GET", f"/syncs/progress/{DOC}", auth=(USER1, PASSWD))).json
    assert (body["percentage"], body["progress"], body["device"]) == (0.22, "36", "my pb")


# KOReader's client spec (spec/unit/kosync_spec.lua), against the prefix users type.


async def test_koreader_client_spec_round_trip(open_registration):
    client = open_registration
    key = hashlib.md5(b"koreader").hexdigest()
    assert (await register(client, "koreader", key)).status == 201
    auth = ("koreader", key)
    assert (await client.request("GET", "/kosync/users/auth", auth=auth)).status == 200
    doc = "41cce710f34e5ec21315e19c99821415"
    body = {
        "document": doc,
        "progress": "69",
        "percentage": 0.356,
        "device": "my kpw",
        "device_id": "test-device-id",
    }
    assert (
        await client.request("PUT", "/kosync/syncs/progress", auth=auth, body=body)
    ).status == 200
    got = (await client.request("GET", f"/kosync/syncs/progress/{doc}", auth=auth)).json
    assert (got["progress"], got["percentage"], got["device"], got["device_id"]) == (
        "69",
        0.356,
        "my kpw",
        "test-device-id",
    )


# The extra cases of kosync-protocol.md §5.5.


async def test_extra_missing_accept_is_accepted(user1):
    reply = await user1.request("GET", "/users/auth", auth=(USER1, PASSWD), koreader=False)
    assert reply.status == 200


async def test_extra_trailing_slash(user1):
    assert (await user1.request("GET", "/users/auth/", auth=(USER1, PASSWD))).status == 200
    reply = await user1.request("GET", f"/syncs/progress/{DOC}/", auth=(USER1, PASSWD))
    assert (reply.status, reply.json) == (200, {})


async def test_extra_percentage_as_numeric_string_is_accepted(user1):
    body = put_body("0.5", "12", "my kpw")
    assert (
        await user1.request("PUT", "/syncs/progress", auth=(USER1, PASSWD), body=body)
    ).status == 200
    got = (await user1.request("GET", f"/syncs/progress/{DOC}", auth=(USER1, PASSWD))).json
    assert got["percentage"] == 0.5


async def test_extra_colon_in_username_is_403_2003(open_registration):
    reply = await register(open_registration, "a:b", PASSWD)
    assert (reply.status, reply.json["code"]) == (403, 2003)


async def test_extra_put_missing_device_is_403_2003(user1):
    body = {"document": DOC, "percentage": 0.1, "progress": "1"}
    reply = await user1.request("PUT", "/syncs/progress", auth=(USER1, PASSWD), body=body)
    assert (reply.status, reply.json["code"]) == (403, 2003)


async def test_extra_put_missing_document_is_403_2004(user1):
    body = {"percentage": 0.1, "progress": "1", "device": "d"}
    reply = await user1.request("PUT", "/syncs/progress", auth=(USER1, PASSWD), body=body)
    assert (reply.status, reply.json["code"]) == (403, 2004)


async def test_extra_wrong_key_put_is_401(user1):
    reply = await user1.request(
        "PUT", "/syncs/progress", auth=(USER1, "0" * 32), body=put_body(0.1, "1", "d")
    )
    assert reply.status == 401


async def test_extra_invalid_json_is_400(user1):
    reply = await user1.request("PUT", "/syncs/progress", auth=(USER1, PASSWD), body="{nope")
    assert (reply.status, reply.json["code"]) == (400, 103)
