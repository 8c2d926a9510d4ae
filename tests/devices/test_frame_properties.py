"""Property-based: random frames and bytes sent to the device port before the password.

Whatever a stranger sends in answer to the handshake, the session ends or waits without a
traceback or an error in the log, nothing is stored in the library, and the port still greets
the next device. The number of examples follows BOOKORBIT_PROPERTY_EXAMPLES, as
`tests/server/test_lan_properties.py` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import AsyncIterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.devices.protocol import Op
from bookorbit_desktop.devices.records import DeviceRecords
from bookorbit_desktop.devices.server import DeviceServer
from bookorbit_desktop.devices.session import Timing
from bookorbit_desktop.library.store.models import database
from tests.devices.conftest import PASSWORD

pytestmark = pytest.mark.asyncio

PROPERTIES = settings(
    max_examples=int(os.environ.get("BOOKORBIT_PROPERTY_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
handshake_answers = st.fixed_dictionaries(
    {},
    optional={
        "passwordHash": json_values | st.text(alphabet="0123456789abcdef", max_size=40),
        "deviceName": json_values,
        "appName": json_values,
        "device_store_uuid": json_values,
        "canStreamBooks": json_values,
        "cacheUsesLpaths": json_values,
        "extensionPathLengths": json_values,
        "acceptedExtensions": json_values,
        "maxBookContentPacketLen": json_values,
        "ccVersionNumber": json_values,
    },
)
opcodes = st.sampled_from([int(op) for op in Op]) | st.integers(min_value=-5, max_value=200)


def frame(body: bytes) -> bytes:
    return str(len(body)).encode() + body


frames = (
    st.builds(lambda op, args: frame(json.dumps([op, args]).encode()), opcodes, handshake_answers)
    | st.builds(lambda value: frame(json.dumps(value).encode()), json_values)
    | st.binary(max_size=200).map(frame)
    | st.binary(max_size=200)
    | st.integers(min_value=1, max_value=3000).map(lambda n: frame(b"[" * n + b"]" * n))
)


def fingerprint() -> dict[str, int]:
    tables = database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {
        name: database.execute_sql(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
        for (name,) in tables
    }


async def greeting(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    first = await asyncio.wait_for(reader.read(4096), 3.0)
    assert first and first[:1].isdigit(), first  # a frame: GET_INITIALIZATION_INFO
    return reader, writer


@pytest.fixture
async def port(library) -> AsyncIterator[int]:
    timing = Timing(handshake=0.5, reply=0.5, keepalive=30.0, goodbye=0.1)
    server = DeviceServer(PASSWORD, DeviceRecords(), "127.0.0.1", 0, discovery=False, timing=timing)
    await server.start()
    _reader, first = await greeting(server.status.port)  # the server's own first-use settings
    first.close()
    yield server.status.port
    await server.stop()


@PROPERTIES
@given(sent=st.lists(frames, min_size=1, max_size=3))
async def test_random_answers_to_the_handshake(port, caplog, sent):
    before = fingerprint()
    caplog.clear()
    caplog.set_level(logging.INFO)
    reader, writer = await greeting(port)
    try:
        for data in sent:
            writer.write(data)
        with contextlib.suppress(OSError):
            await writer.drain()
        with contextlib.suppress(TimeoutError, OSError):
            async with asyncio.timeout(1.5):  # refused, or dropped when the handshake times out
                while await reader.read(65536):
                    pass
    finally:
        writer.close()
    crashes = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert crashes == [] and "Traceback" not in caplog.text, caplog.text
    assert fingerprint() == before
    _reader, next_device = await greeting(port)  # the port still greets the next device
    next_device.close()
