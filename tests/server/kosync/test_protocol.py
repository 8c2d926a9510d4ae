"""The kosync wire rules without HTTP: numbers as Lua reads them, field validation, bodies."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookorbit_desktop.library.reading.pushes import DocumentMetadata, Position, Push
from bookorbit_desktop.server.kosync import protocol as wire
from bookorbit_desktop.server.kosync.protocol import ProtocolError
from bookorbit_desktop.server.routing import normalise_path


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (0, 0.0),
        (0.5, 0.5),
        (1, 1.0),
        (-0.25, -0.25),
        ("0.5", 0.5),
        (" 0.5\n", 0.5),
        ("\t1e-2 ", 0.01),
        ("+.5", 0.5),
        ("5.", 5.0),
        ("0x10", 16.0),
        ("-0X1p-1", -0.5),
        ("1E3", 1000.0),
        ("", None),
        (" ", None),
        ("0.5.1", None),
        ("half", None),
        ("1_0", None),
        ("inf", None),
        ("nan", None),
        ("1e999", None),
        (float("inf"), None),
        (10**400, None),
        (True, None),
        (None, None),
        ([0.5], None),
        ({"v": 1}, None),
        ("0x", None),
        ("e5", None),
    ],
)
def test_lua_number(value, number):
    assert wire.lua_number(value) == number


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("/body/p[1]", "/body/p[1]"),
        ("", ""),
        (56, "56"),
        (56.0, "56"),
        (0.5, "0.5"),
        (1e20, "1e+20"),
        (1 / 3, "0.33333333333333"),
        (True, None),
        (None, None),
        ([1], None),
        ({}, None),
        ("\ud800", None),
    ],
)
def test_lua_string_keeps_strings_and_prints_numbers_like_lua(value, text):
    assert wire.lua_string(value) == text


def test_parse_push_reads_every_field():
    body = {
        "document": "d",
        "progress": "/p",
        "percentage": "0.25",
        "device": "Kobo",
        "device_id": "ID",
        "metadata": {"title": "T", "authors": "A", "filename": "f.epub", "x": 1},
        "timestamp": 5,
        "identifiers": [{"type": "content", "value": "d"}],
    }
    assert wire.parse_push(body) == Push(
        "d", "/p", 0.25, "Kobo", "ID", DocumentMetadata("T", "A", "f.epub")
    )


@pytest.mark.parametrize(
    ("metadata", "parsed"),
    [
        ({"title": "  "}, None),
        ({"title": 5, "authors": "A"}, DocumentMetadata(None, "A")),
        ({"title": "x" * 5000}, DocumentMetadata("x" * wire.MAX_METADATA_LENGTH)),
        ("title", None),
        (None, None),
    ],
)
def test_metadata_is_optional_and_forgiving(metadata, parsed):
    body = {
        "document": "d",
        "progress": "1",
        "percentage": 0.1,
        "device": "k",
        "metadata": metadata,
    }
    assert wire.parse_push(body).metadata == parsed


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, 2004),
        ({"document": "a:b"}, 2004),
        ({"document": "d"}, 2003),
        (
            {"document": "d", "progress": "1", "percentage": 0.1, "device": "k", "device_id": 1.5},
            None,
        ),
        (
            {
                "document": "d",
                "progress": "1",
                "percentage": 0.1,
                "device": "k",
                "device_id": False,
            },
            2003,
        ),
        (
            {"document": "d", "progress": "1", "percentage": 0.1, "device": "k", "device_id": None},
            None,
        ),
    ],
)
def test_parse_push_errors_carry_reference_codes(body, code):
    if code is None:
        wire.parse_push(body)
        return
    with pytest.raises(ProtocolError) as raised:
        wire.parse_push(body)
    assert raised.value.kind.code == code


@pytest.mark.parametrize(
    ("raw", "parsed", "code"),
    [
        (b"", {}, None),
        (b"  \n", {}, None),
        (b'{"a":1}', {"a": 1}, None),
        (b"[]", None, 104),
        (b"NaN", None, 103),
        (b'{"a":-Infinity}', None, 103),
        (b"\x80", None, 103),
        (b'\xef\xbb\xbf{"a":1}', {"a": 1}, None),  # a UTF-8 BOM
        ('{"a":"\u00e9"}'.encode("utf-16"), {"a": "\u00e9"}, None),
        ('{"a":2}'.encode("utf-32-le"), {"a": 2}, None),
        (b'{"a":"\\ud800"}', {"a": "\ud800"}, None),  # checked later, per field
    ],
)
def test_parse_body(raw, parsed, code):
    if code is None:
        assert wire.parse_body(raw) == parsed
        return
    with pytest.raises(ProtocolError) as raised:
        wire.parse_body(raw)
    assert raised.value.kind.code == code


@pytest.mark.parametrize(
    ("body", "parsed"),
    [
        ({"username": " bob ", "password": "k"}, ("bob", "k")),
        ({"username": "bob", "password": " k "}, ("bob", " k ")),
        ({"username": "b:ob", "password": "k"}, None),
        ({"username": "bob", "password": ""}, None),
        ({"username": "x" * 257, "password": "k"}, None),
    ],
)
def test_parse_registration(body, parsed):
    if parsed is None:
        with pytest.raises(ProtocolError):
            wire.parse_registration(body)
    else:
        assert wire.parse_registration(body) == parsed


def test_position_body_and_encoding():
    assert wire.position_body(None) == {}
    body = wire.position_body(Position("d", 0.5, "/p", "Kobo", None, 17))
    assert body == {
        "document": "d",
        "percentage": 0.5,
        "progress": "/p",
        "device": "Kobo",
        "timestamp": 17,
    }
    assert wire.encode({"p": "é/"}) == '{"p":"é/"}'.encode()
    with pytest.raises(ValueError):
        wire.encode({"p": math.nan})


@pytest.mark.parametrize(
    ("path", "normal"),
    [("/", "/"), ("//", "/"), ("/a/", "/a"), ("//a///b//", "/a/b"), ("/a%2F%2Fb", "/a%2F%2Fb")],
)
def test_normalise_path(path, normal):
    assert normalise_path(path) == normal


def _refuse(name: str) -> object:
    raise ValueError(name)


_encoded_objects = st.builds(
    lambda value, encoding: json.dumps(value).encode(encoding),
    st.dictionaries(st.text(max_size=5), st.integers() | st.floats() | st.text(max_size=5)),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-le"]),
)


@given(
    st.binary(max_size=40)
    | st.from_regex(rb"\s*[\[{][^\x00]{0,30}[\]}]\s*", fullmatch=True)
    | _encoded_objects
)
def test_parse_body_reads_bytes_as_json_loads_does(raw):
    try:
        expected = json.loads(raw, parse_constant=_refuse) if raw.strip() else {}
    except (ValueError, RecursionError):
        expected = None
    if not isinstance(expected, dict):
        with pytest.raises(ProtocolError):
            wire.parse_body(raw)
    else:
        assert wire.parse_body(raw) == expected
