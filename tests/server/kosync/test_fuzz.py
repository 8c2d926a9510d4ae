"""Property-based: random bodies, headers and document ids thrown at the real server.

Whatever arrives, the answer is never a 5xx, always `application/json` with a JSON object, the
server keeps answering, and a position stored before stays exactly what it was unless a push
was accepted for that very document (then it is exactly that push).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.guards.throttle import LoginThrottle
from bookorbit_desktop.server.kosync.protocol import lua_number
from tests.server.kosync.support import KEY, USER, kosync_fixture  # noqa: F401

pytestmark = pytest.mark.asyncio

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANCHOR = "anchor-document"
ANCHOR_PROGRESS = "/body/DocFragment[3]/body/p[1]/text().7"

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
field_values = (
    json_values | st.text(max_size=40) | st.from_regex(r"\s*-?\d+(\.\d*)?\s*", fullmatch=True)
)
documents = st.text(min_size=1, max_size=40) | st.sampled_from([ANCHOR, "", ":", "a/b", "x" * 300])
push_bodies = st.fixed_dictionaries(
    {},
    optional={
        "document": documents | json_values,
        "percentage": field_values,
        "progress": field_values,
        "device": field_values,
        "device_id": field_values,
        "metadata": json_values,
        "timestamp": field_values,
    },
)
header_values = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)


def check_answer(reply: Any) -> None:
    assert reply.status < 500, (reply.status, reply.raw)
    assert reply.content_type == "application/json", reply.headers
    assert isinstance(json.loads(reply.raw), dict)


async def anchor_state(client: Any) -> dict[str, Any]:
    reply = await client.pull(ANCHOR)
    assert reply.status == 200
    return reply.json


@pytest.fixture
async def anchored(kosync):
    reply = await kosync.push(ANCHOR, 0.375, progress=ANCHOR_PROGRESS)
    assert reply.status == 200
    return kosync


@FUZZ
@given(body=push_bodies)
async def test_random_push_bodies(anchored, body):
    before = await anchor_state(anchored)
    reply = await anchored.request("PUT", "/kosync/syncs/progress", body=body)
    check_answer(reply)
    after = await anchor_state(anchored)
    if reply.status == 200 and body.get("document") == ANCHOR:
        assert after["percentage"] == lua_number(body["percentage"])
        assert after["device"] is not None and after["progress"] is not None
        if isinstance(body["progress"], str):
            assert after["progress"] == body["progress"]
    else:
        assert after == before


@FUZZ
@given(raw=st.binary(max_size=300))
async def test_random_bytes_as_body(anchored, raw):
    before = await anchor_state(anchored)
    check_answer(await anchored.request("PUT", "/kosync/syncs/progress", body=raw))
    check_answer(await anchored.request("POST", "/kosync/users/create", body=raw, auth=None))
    assert await anchor_state(anchored) == before


@FUZZ
@given(document=st.text(min_size=1, max_size=60), percentage=st.floats(0, 1), progress=st.text())
async def test_any_accepted_document_id_reads_back_exactly(
    anchored, document, percentage, progress
):
    reply = await anchored.push(document, percentage, progress=progress)
    check_answer(reply)
    pulled = await anchored.pull(document)
    check_answer(pulled)
    if reply.status == 200:
        assert pulled.json["document"] == document
        assert pulled.json["percentage"] == percentage
        assert pulled.json["progress"] == progress
    else:
        assert (reply.status, reply.json["code"]) == (403, 2004)


@FUZZ
@given(
    user=st.none() | header_values,
    key=st.none() | header_values,
    accept=st.none() | header_values,
    content_type=st.none() | header_values,
    path=st.sampled_from(["/kosync/users/auth", f"/kosync/syncs/progress/{ANCHOR}", "/users/auth"]),
)
async def test_random_headers(anchored, user, key, accept, content_type, path):
    anchored.ctx.throttle = LoginThrottle(clock=anchored.clock)  # each example starts afresh
    headers = {}
    if accept is not None:
        headers["Accept"] = accept
    if content_type is not None:
        headers["Content-Type"] = content_type
    auth = None if user is None or key is None else (user, key)
    reply = await anchored.request("GET", path, auth=auth, headers=headers, koreader=False)
    check_answer(reply)
    good = auth is not None and auth[0].strip() == USER and auth[1].strip() == KEY
    assert reply.status == (200 if good else 401)
    if reply.status == 401:
        assert reply.json == {"code": 2001, "message": "Unauthorized"}


@FUZZ
@given(segment=st.text(max_size=50), slashes=st.sampled_from(["/", "//", ""]))
async def test_random_paths(anchored, segment, slashes):
    from urllib.parse import quote

    path = f"/kosync/syncs/progress/{quote(segment, safe='')}{slashes}"
    reply = await anchored.request("GET", path)
    check_answer(reply)
    assert (await anchored.request("GET", "/kosync/healthcheck")).status == 200
