"""Conformance with SPEC.md (pid1/kosync-conformance): every MUST and SHOULD that applies to a
single-user server, by requirement id, over raw HTTP against the real server on 127.0.0.1.

Where SPEC.md and kosync-protocol.md disagree (K-CT-4: the client does inspect the response
Content-Type since lua-Spore 0.4.0), kosync-protocol.md §3.4 wins: the Content-Type must be
exactly `application/json`.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.server.accounts import remove_account, set_account
from tests.server.kosync.support import KEY, START, USER, kosync_fixture, raw_http  # noqa: F401

pytestmark = pytest.mark.asyncio

XPOINTER = "/body/DocFragment[11]/body/div/p[7]/text().123"


def assert_json_answer(reply, status: int) -> None:
    assert reply.status == status, reply.raw
    assert reply.content_type == "application/json"  # exactly: no charset parameter
    assert reply.raw, "never an empty body"
    assert isinstance(reply.json, dict)


def assert_error(reply, status: int, code: int, message: str) -> None:
    assert_json_answer(reply, status)
    assert reply.json == {"code": code, "message": message}  # K-ERR-1: exactly two keys


# §3 Transport -------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["/kosync", "", "/kosync/", "//kosync//"])
async def test_k_url_1_paths_without_version_under_the_typed_prefix(kosync, prefix):
    reply = await kosync.request("GET", f"{prefix}/users/auth".replace("///", "//"))
    assert_json_answer(reply, 200)
    assert reply.json == {"authorized": "OK"}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/kosync/syncs/progress", 405),  # no :document segment
        ("GET", "/kosync/users/me", 404),
        ("DELETE", "/kosync/users/auth", 405),
        ("POST", "/kosync/syncs/progress", 405),
        ("GET", "/kosync/v1/users/auth", 404),
        ("GET", "/kosync", 404),
    ],
)
async def test_k_url_3_paths_outside_the_protocol_are_not_routed(kosync, method, path, status):
    reply = await kosync.request(method, path)
    assert_json_answer(reply, status)
    assert reply.json["code"] == 2003


async def test_k_acc_1_vendor_accept_header_is_accepted(kosync):
    reply = await kosync.request("GET", "/kosync/users/auth")
    assert_json_answer(reply, 200)


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "text/html"])
async def test_k_acc_3_requests_without_the_vendor_accept_are_served(kosync, accept):
    headers = {} if accept is None else {"Accept": accept}
    reply = await kosync.request("GET", "/kosync/users/auth", koreader=False, headers=headers)
    assert_json_answer(reply, 200)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
async def test_k_ct_2_request_content_type_is_not_inspected(kosync, content_type):
    body = {"document": "ct", "progress": "1", "percentage": 0.1, "device": "d"}
    reply = await kosync.request(
        "PUT", "/kosync/syncs/progress", body=body, headers={"Content-Type": content_type}
    )
    assert_json_answer(reply, 200)


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ("[1,2,3]", 104, "Body should be a JSON hash."),
        ('"x"', 104, "Body should be a JSON hash."),
        ("5", 104, "Body should be a JSON hash."),
        ("{", 103, "Could not parse JSON in body."),
        ("{'a': 1}", 103, "Could not parse JSON in body."),
    ],
)
async def test_k_body_1_body_must_be_a_json_object(kosync, body, code, message):
    reply = await kosync.request("PUT", "/kosync/syncs/progress", body=body)
    assert_error(reply, 400, code, message)


async def test_k_ct_3_every_answer_is_exactly_application_json(kosync):
    replies = [
        await kosync.request("GET", "/kosync/healthcheck"),
        await kosync.request("GET", "/kosync/users/auth"),
        await kosync.request("GET", "/kosync/users/auth", auth=(USER, "wrong")),
        await kosync.push("doc1"),
        await kosync.pull("doc1"),
        await kosync.pull("never-pushed"),
        await kosync.request(
            "POST", "/kosync/users/create", body={"username": "x", "password": "y"}
        ),
        await kosync.request("PUT", "/kosync/syncs/progress", body="{"),
        await kosync.request("GET", "/kosync/nothing-here"),
        await kosync.request("PATCH", "/kosync/users/auth"),
    ]
    for reply in replies:
        assert reply.content_type == "application/json", reply
        assert reply.raw and isinstance(reply.json, dict), reply


async def test_k_ct_3_header_bytes_on_the_wire_for_koreaders_exact_request(kosync):
    body = (
        b'{"device":"Kobo","progress":"/body/DocFragment[20]/body/p[22]/text().42",'
        b'"percentage":0.3188,"device_id":"C64C9F5BF0C1520EFC308725F518CB1F",'
        b'"document":"59d481d168cca6267322f150c5f6a2a3"}'
    )
    request = (
        b"PUT /kosync/syncs/progress HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\nContent-Type: application/json\r\n"
        b"TE: trailers\r\nUser-Agent: lua-Spore\r\nConnection: close, TE\r\n"
        b"Accept: application/vnd.koreader.v1+json\r\n"
        b"x-auth-user: alice\r\nx-auth-key: " + KEY.encode() + b"\r\n\r\n" + body
    )
    status, headers, answer = await raw_http(kosync.server.port, request)
    assert status == b"HTTP/1.1 200 OK"
    assert headers["Content-Type"] == "application/json"
    assert int(headers["Content-Length"]) == len(answer)
    assert json.loads(answer) == {
        "document": "59d481d168cca6267322f150c5f6a2a3",
        "timestamp": int(START),
    }


# §4 Authentication --------------------------------------------------------------------------


async def test_k_auth_1_header_names_are_case_insensitive(kosync):
    reply = await kosync.request(
        "GET", "/kosync/users/auth", auth=None, headers={"X-Auth-User": USER, "X-AUTH-KEY": KEY}
    )
    assert_json_answer(reply, 200)


async def test_k_auth_3_the_key_is_compared_byte_exact(kosync):
    reply = await kosync.request("GET", "/kosync/users/auth", auth=(USER, KEY.upper()))
    assert_error(reply, 401, 2001, "Unauthorized")


async def test_k_auth_5_a_key_need_not_look_like_md5(kosync):
    set_account("bob", "not-32-hex-characters")
    reply = await kosync.request("GET", "/kosync/users/auth", auth=("bob", "not-32-hex-characters"))
    assert_json_answer(reply, 200)


@pytest.mark.parametrize(
    "auth",
    [None, (USER, ""), ("", KEY), (USER, "0" * 32), ("mallory", KEY), (USER.upper(), KEY)],
    ids=["no-headers", "empty-key", "empty-user", "wrong-key", "unknown-user", "user-case"],
)
async def test_k_auth_6_missing_or_wrong_credentials_are_401_2001(kosync, auth):
    for method, path in [("GET", "/kosync/users/auth"), ("GET", "/kosync/syncs/progress/doc1")]:
        assert_error(await kosync.request(method, path, auth=auth), 401, 2001, "Unauthorized")
    reply = await kosync.request(
        "PUT",
        "/kosync/syncs/progress",
        auth=auth,
        body={"document": "doc1", "progress": "1", "percentage": 0.1, "device": "d"},
    )
    assert_error(reply, 401, 2001, "Unauthorized")


async def test_k_auth_6_no_account_at_all_is_401(kosync):
    remove_account()
    assert_error(await kosync.request("GET", "/kosync/users/auth"), 401, 2001, "Unauthorized")


async def test_k_auth_7_valid_credentials(kosync):
    reply = await kosync.request("GET", "/kosync/users/auth")
    assert_json_answer(reply, 200)
    assert reply.json == {"authorized": "OK"}


async def test_k_iso_1_another_user_never_sees_the_accounts_positions(kosync):
    await kosync.push("shared", 0.4)
    reply = await kosync.pull("shared", auth=("bob", hashlib.md5(b"x").hexdigest()))
    assert_error(reply, 401, 2001, "Unauthorized")


# §5.1 healthcheck, §5.2 registration ----------------------------------------------------------


async def test_k_hc_1_healthcheck(kosync):
    reply = await kosync.request("GET", "/kosync/healthcheck", auth=None)
    assert_json_answer(reply, 200)
    assert reply.json == {"state": "OK"}


async def test_k_reg_1_2_registration_creates_the_account_and_its_key_authenticates(kosync):
    remove_account()
    set_setting("kosync.allow_registration", True)
    key = hashlib.md5(b"hunter2").hexdigest()
    reply = await kosync.request(
        "POST", "/kosync/users/create", auth=None, body={"username": "carol", "password": key}
    )
    assert_json_answer(reply, 201)
    assert reply.json == {"username": "carol"}
    assert_json_answer(await kosync.request("GET", "/kosync/users/auth", auth=("carol", key)), 200)


@pytest.mark.parametrize("name", [USER, "someone-else"])
async def test_k_reg_3_once_an_account_exists_every_name_gets_402_2005(kosync, name):
    """The reference answers 2002 for a taken name and so tells which name is the account's;
    here registration is simply closed, whatever the name."""
    set_setting("kosync.allow_registration", True)
    reply = await kosync.request(
        "POST", "/kosync/users/create", auth=None, body={"username": name, "password": KEY}
    )
    assert_error(reply, 402, 2005, "User registration is disabled.")


@pytest.mark.parametrize(
    "body",
    [
        {"username": "", "password": ""},
        {"username": "has:colon", "password": "k"},
        {"username": "dave", "password": ""},
        {"username": "dave"},
        {"password": "k"},
        {"username": 5, "password": "k"},
        {"username": "dave", "password": ["k"]},
    ],
)
async def test_k_reg_4_and_k_auth_4_invalid_registration_fields_are_403_2003(kosync, body):
    remove_account()
    set_setting("kosync.allow_registration", True)
    reply = await kosync.request("POST", "/kosync/users/create", auth=None, body=body)
    assert_error(reply, 403, 2003, "Invalid request")


async def test_k_reg_5_registration_disabled_is_402_2005(kosync):
    remove_account()
    set_setting("kosync.allow_registration", False)
    reply = await kosync.request(
        "POST", "/kosync/users/create", auth=None, body={"username": "erin", "password": "k"}
    )
    assert_error(reply, 402, 2005, "User registration is disabled.")


# §5.4 PUT ----------------------------------------------------------------------------------


@pytest.mark.parametrize("document", [None, "", "a:b", 42, ["x"], {"a": 1}, True])
async def test_k_put_1_missing_or_invalid_document_is_403_2004(kosync, document):
    body = {"progress": "1", "percentage": 0.5, "device": "d"}
    if document is not None:
        body["document"] = document
    reply = await kosync.request("PUT", "/kosync/syncs/progress", body=body)
    assert_error(reply, 403, 2004, "Field 'document' not provided.")


@pytest.mark.parametrize(
    "body",
    [
        {"document": "p"},
        {"document": "p", "progress": "1", "device": "d"},
        {"document": "p", "percentage": 0.5, "device": "d"},
        {"document": "p", "progress": "1", "percentage": 0.5},
        {"document": "p", "progress": "1", "percentage": "half", "device": "d"},
        {"document": "p", "progress": "1", "percentage": True, "device": "d"},
        {"document": "p", "progress": "1", "percentage": None, "device": "d"},
        {"document": "p", "progress": None, "percentage": 0.5, "device": "d"},
        {"document": "p", "progress": {"x": 1}, "percentage": 0.5, "device": "d"},
        {"document": "p", "progress": "1", "percentage": 0.5, "device": ["d"]},
        {"document": "p", "progress": "1", "percentage": 0.5, "device": "d", "device_id": {}},
    ],
)
async def test_k_put_2_missing_or_invalid_fields_are_403_2003(kosync, body):
    reply = await kosync.request("PUT", "/kosync/syncs/progress", body=body)
    assert_error(reply, 403, 2003, "Invalid request")


async def test_k_put_2b_percentage_zero_is_a_value(kosync):
    assert_json_answer(await kosync.push("zero", 0), 200)
    reply = await kosync.pull("zero")
    assert reply.json["percentage"] == 0


async def test_k_put_3_and_k_fld_12_push_answer_is_document_and_integer_seconds(kosync):
    kosync.clock.now = START + 0.9
    reply = await kosync.push("doc1", 0.3188)
    assert_json_answer(reply, 200)
    assert reply.json == {"document": "doc1", "timestamp": int(START)}
    assert type(reply.json["timestamp"]) is int
    assert reply.status != 202  # K-PUT-7


async def test_k_put_4_a_client_timestamp_is_ignored(kosync):
    await kosync.push("ts", 0.5, timestamp=1_000_000_000)
    assert (await kosync.pull("ts")).json["timestamp"] == int(START)


async def test_k_put_5_last_write_wins_even_backwards(kosync):
    await kosync.push("lww", 0.9, progress="200", device="device-b", device_id="b")
    kosync.clock.now += 30
    await kosync.push("lww", 0.1, progress="10", device="device-c", device_id="c")
    body = (await kosync.pull("lww")).json
    assert (body["progress"], body["percentage"], body["device"]) == ("10", 0.1, "device-c")
    assert body["device_id"] == "c"
    assert body["timestamp"] == int(START) + 30


# §5.5 GET ----------------------------------------------------------------------------------


async def test_k_get_2_known_document_fields_and_types(kosync):
    await kosync.push(
        "59d481d168cca6267322f150c5f6a2a3",
        0.4213,
        progress=XPOINTER,
        device="Kobo_clara",
        device_id="1A2B3C4D5E6F",
    )
    reply = await kosync.pull("59d481d168cca6267322f150c5f6a2a3")
    assert_json_answer(reply, 200)
    assert reply.json == {
        "document": "59d481d168cca6267322f150c5f6a2a3",
        "percentage": 0.4213,
        "progress": XPOINTER,
        "device": "Kobo_clara",
        "device_id": "1A2B3C4D5E6F",
        "timestamp": int(START),
    }
    types = {key: type(value) for key, value in reply.json.items()}
    assert types == {
        "document": str,
        "percentage": float,
        "progress": str,
        "device": str,
        "device_id": str,
        "timestamp": int,
    }


async def test_k_get_3_unknown_document_is_200_empty_object(kosync):
    reply = await kosync.pull("neverseenatall0000000000000000ff")
    assert_json_answer(reply, 200)
    assert reply.raw == b"{}"


@pytest.mark.parametrize(
    "document",
    ["kosyncprobe-hyphen", "kosyncprobe.dot", "with space", "ünïcödé", "100%", "a?b#c", "..", "."],
)
async def test_k_doc_id_1_every_accepted_id_can_be_read_back(kosync, document):
    assert_json_answer(await kosync.push(document, 0.25), 200)
    reply = await kosync.pull(document)
    assert_json_answer(reply, 200)
    assert reply.json["document"] == document
    assert reply.json["percentage"] == 0.25


@pytest.mark.parametrize("document", ["has:colon", "has/slash"])
async def test_k_doc_id_1_ids_that_cannot_be_read_back_are_refused_on_put(kosync, document):
    assert_error(await kosync.push(document, 0.1), 403, 2004, "Field 'document' not provided.")


# §7 Fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "progress",
    [
        XPOINTER,
        "56",
        "0",
        "",
        " padded ",
        "/body/p[1]/text().0\n",
        "ü → 🙂",
        "\\/escaped\\/",
        "1e5",
    ],
)
async def test_k_fld_3_progress_round_trips_byte_for_byte_as_a_string(kosync, progress):
    await kosync.push("fld3", 0.5, progress=progress)
    assert (await kosync.pull("fld3")).json["progress"] == progress


@pytest.mark.parametrize("percentage", [0.4213, 1, 0.0001, 0.31879884821061, 0.999999])
async def test_k_fld_4_percentage_round_trips_as_a_number(kosync, percentage):
    await kosync.push("fld4", percentage)
    value = (await kosync.pull("fld4")).json["percentage"]
    assert isinstance(value, float | int) and not isinstance(value, bool)
    assert value == percentage


async def test_k_fld_7_device_id_is_omitted_when_never_sent(kosync):
    await kosync.request(
        "PUT",
        "/kosync/syncs/progress",
        body={"document": "noid", "progress": "3", "percentage": 0.2, "device": "pb"},
    )
    body = (await kosync.pull("noid")).json
    assert "device_id" not in body and body["device"] == "pb"


async def test_k_fld_10_11_metadata_is_accepted_and_its_absence_clears_nothing(kosync):
    meta = {"filename": "leaves.epub", "title": "Leaves of Grass", "authors": "Walt Whitman"}
    assert_json_answer(await kosync.push("meta", 0.2, metadata=meta), 200)
    assert_json_answer(await kosync.push("meta", 0.3), 200)
    body = (await kosync.pull("meta")).json
    assert body["percentage"] == 0.3 and "metadata" not in body
    from bookorbit_desktop.library.reading.pushes import unlinked_documents

    (listed,) = [doc for doc in unlinked_documents() if doc.document == "meta"]
    assert (listed.title, listed.authors, listed.filename) == (
        "Leaves of Grass",
        "Walt Whitman",
        "leaves.epub",
    )


@pytest.mark.parametrize("metadata", ["text", 5, None, [], {"title": 7}, {"unknown": "x"}])
async def test_k_fld_10_odd_metadata_never_fails_a_push(kosync, metadata):
    assert_json_answer(await kosync.push("odd-meta", 0.2, metadata=metadata), 200)


async def test_k_fld_13_14_get_carries_integer_seconds_of_the_server_clock(kosync):
    kosync.clock.now = START + 123.75
    await kosync.push("fld14", 0.5)
    stamp = (await kosync.pull("fld14")).json["timestamp"]
    assert type(stamp) is int and stamp == int(START) + 123


async def test_k_sync_7_progress_calls_answer_well_inside_the_client_timeout(kosync):
    import time

    started = time.monotonic()
    await kosync.push("fast", 0.5)
    await kosync.pull("fast")
    assert time.monotonic() - started < 2.0
