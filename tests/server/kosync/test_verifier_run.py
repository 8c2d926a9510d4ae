"""A third-party conformance verifier's run and KOReader's own login, each from one address
against a real `serve` process: a few wrong keys and registrations in quick succession, as a
person who mistypes sends them, must never lock out the right key.

Every answer is checked, status and body, against shared/kosync/SPEC.md as it applies to this
single-user server: once the account exists registration is closed for every name (402/2005,
the answer `test_conformance.test_k_reg_3...` documents), so the other names a verifier
registers do not exist and their requests get 401/2001 (K-ISO-1).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass
from typing import Any

import pytest

from bookorbit_desktop.server.accounts import key_for_password
from tests.server.hostile.support import KEY, PASSWORD, USER, prepare_library, serving
from tests.server.hostile.test_data_folder import cli

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="uses a real serve process")

ACCEPT = "application/vnd.koreader.v1+json"
# What lua-Spore sends with every request (kosync-protocol.md §2), besides Host and the body's.
KOREADER = {
    "Accept": ACCEPT,
    "User-Agent": "lua-Spore",
    "TE": "trailers",
    "Connection": "close, TE",
}
UNAUTHORIZED = (401, {"code": 2001, "message": "Unauthorized"})
REGISTRATION_CLOSED = (402, {"code": 2005, "message": "User registration is disabled."})
INVALID = (403, {"code": 2003, "message": "Invalid request"})


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: Any


async def call(
    port: int,
    method: str,
    path: str,
    *,
    auth: tuple[str, str] | None = None,
    body: object = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request on its own connection from 127.0.0.1, as a verifier or KOReader sends it."""
    fields = {"Host": f"127.0.0.1:{port}", **(KOREADER if headers is None else headers)}
    fields.setdefault("Connection", "close")
    if auth is not None:
        fields["x-auth-user"], fields["x-auth-key"] = auth
    payload = b"" if body is None else json.dumps(body).encode()
    if body is not None:
        fields["Content-Type"] = "application/json"
        fields["Content-Length"] = str(len(payload))
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items())
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode() + b"\r\n" + payload)
        raw = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
    top, _, answer = raw.partition(b"\r\n\r\n")
    status_line, *lines = top.decode("latin-1").split("\r\n")
    received = {name.lower(): value.strip() for name, _, value in (x.partition(":") for x in lines)}
    return Answer(int(status_line.split()[1]), received.get("content-type", ""), json.loads(answer))


def assert_answer(answer: Answer, expected: tuple[int, object], what: str) -> None:
    assert answer.content_type == "application/json", what  # exactly: no charset (K-CT-3)
    assert (answer.status, answer.body) == expected, what


async def test_a_conformance_verifiers_run_from_one_address_gets_every_answer_right(tmp_path):
    data_dir = prepare_library(tmp_path / "data", account=False)
    assert cli(data_dir, "kosync", "allow-registration", "on").returncode == 0
    users = {name: key_for_password(f"{name}-password") for name in ("probe1", "probe2", "probe3")}
    owner, owner_key = "probe1", users["probe1"]
    with serving(data_dir) as served:
        port = served.port
        started = time.monotonic()
        assert_answer(await call(port, "GET", "/healthcheck"), (200, {"state": "OK"}), "K-HC-1")
        # §5.2: the first name creates the account; then registration is closed for every name.
        for name, key in users.items():
            answer = await call(
                port, "POST", "/users/create", body={"username": name, "password": key}
            )
            expected = (201, {"username": name}) if name == owner else REGISTRATION_CLOSED
            assert_answer(answer, expected, f"register {name}")
        duplicate = {"username": owner, "password": owner_key}
        assert_answer(
            await call(port, "POST", "/users/create", body=duplicate), REGISTRATION_CLOSED, "dup"
        )
        for invalid in (
            {"username": "has:colon", "password": "k"},
            {"username": "x", "password": ""},
        ):
            answer = await call(port, "POST", "/users/create", body=invalid)
            assert_answer(answer, INVALID, f"K-REG-4 {invalid}")
        # §4: missing headers and wrong keys, as a verifier sends them one after another.
        wrong = [
            None,
            (owner, ""),
            ("", owner_key),
            (owner, key_for_password("not the password")),
            (owner, owner_key.upper()),
            ("probe2", users["probe2"]),
            (owner.upper(), owner_key),
        ]
        for auth in wrong:
            assert_answer(
                await call(port, "GET", "/users/auth", auth=auth), UNAUTHORIZED, str(auth)
            )
        push = {"document": "doc0", "progress": "1", "percentage": 0.1, "device": "verifier"}
        for auth in (None, (owner, "0" * 32)):
            answer = await call(port, "PUT", "/syncs/progress", auth=auth, body=push)
            assert_answer(answer, UNAUTHORIZED, f"PUT {auth}")
        # The right key, then the same without the vendor Accept header (K-ACC-3).
        right = (owner, owner_key)
        ok = (200, {"authorized": "OK"})
        assert_answer(await call(port, "GET", "/users/auth", auth=right), ok, "K-AUTH-7")
        answer = await call(port, "GET", "/users/auth", auth=right, headers={"Accept": "*/*"})
        assert_answer(answer, ok, "K-ACC-3")
        unknown = await call(port, "GET", "/syncs/progress/neverseen00", auth=right)
        assert_answer(unknown, (200, {}), "K-GET-3")
        # ~50 quick PUT/GET across the names registered: the account's all succeed, with
        # last write wins (K-PUT-5); the names registration refused are 401 (K-ISO-1).
        rotation = [owner, owner, owner, "probe2", "probe3"]
        latest: dict[str, dict[str, object]] = {}
        for n in range(26):
            name = rotation[n % len(rotation)]
            document = f"doc{n % 4}"
            sent = {
                "document": document,
                "progress": f"/body/DocFragment[{n}]/body/p[{n}]/text().{n}",
                "percentage": round(0.9 - n / 40, 4),  # going backwards: the last still wins
                "device": f"verifier-{name}",
                "device_id": f"ID{n:02d}",
            }
            auth = (name, users[name])
            put = await call(port, "PUT", "/syncs/progress", auth=auth, body=sent)
            pulled = await call(port, "GET", f"/syncs/progress/{document}", auth=auth)
            if name != owner:
                assert_answer(put, UNAUTHORIZED, f"PUT {n} as {name}")
                assert_answer(pulled, UNAUTHORIZED, f"GET {n} as {name}")
                continue
            assert put.content_type == "application/json" and put.status == 200, n
            assert set(put.body) == {"document", "timestamp"} and put.body["document"] == document
            assert type(put.body["timestamp"]) is int  # K-FLD-12: whole seconds
            assert abs(put.body["timestamp"] - time.time()) < 86400  # K-FLD-14
            latest[document] = {**sent, "timestamp": put.body["timestamp"]}
            assert_answer(pulled, (200, latest[document]), f"GET {n}")
        seconds = time.monotonic() - started
    assert len(latest) == 4
    assert seconds < 8.0, seconds  # refusals over the budget are paced, the rest are not


@pytest.mark.parametrize(
    ("stale_pulls", "typos"),
    [(0, 2), (1, 2), (1, 8)],
    ids=["two-typos", "stale-key-then-two-typos", "stale-key-then-eight-typos"],
)
async def test_koreaders_login_after_typos_then_a_push_within_a_second(
    tmp_path, stale_pulls, typos
):
    """KOReader's login dialog sends one GET /users/auth per tap of "Login" (main.lua
    doLogin). A device whose saved key went stale (the password was changed on the computer)
    first fails its automatic pull when a book opens; the user then mistypes the password a
    few times, types it right, and the book's progress is pushed within a second."""
    document = "59d481d168cca6267322f150c5f6a2a3"
    with serving(prepare_library(tmp_path / "data")) as served:
        port = served.port
        stale = (USER, key_for_password("the old password"))
        for _ in range(stale_pulls):
            answer = await call(port, "GET", f"/syncs/progress/{document}", auth=stale)
            assert_answer(answer, UNAUTHORIZED, "the automatic pull with the stale key")
        for n in range(typos):
            typo = (USER, key_for_password(f"{PASSWORD}{n}"))
            assert_answer(await call(port, "GET", "/users/auth", auth=typo), UNAUTHORIZED, "typo")
        login = await call(port, "GET", "/users/auth", auth=(USER, KEY))
        assert_answer(login, (200, {"authorized": "OK"}), "the right password")
        logged_in = time.monotonic()
        body = {
            "document": document,
            "progress": "/body/DocFragment[20]/body/p[22]/text().42",
            "percentage": 0.3188,
            "device": "Kobo_clara",
            "device_id": "C64C9F5BF0C1520EFC308725F518CB1F",
        }
        pushed = await call(port, "PUT", "/syncs/progress", auth=(USER, KEY), body=body)
        assert time.monotonic() - logged_in < 1.0
    assert pushed.content_type == "application/json"
    assert pushed.status == 200 and pushed.body["document"] == document
