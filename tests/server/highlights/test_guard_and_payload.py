"""Who may post highlights, and what a valid XMNote body is (pure rules, as tables)."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.server.highlights.guard import (
    ip_literal_host,
    json_content,
    request_rate,
    secret_matches,
)
from bookorbit_desktop.server.highlights.payload import MAX_ENTRIES, PayloadError, parse_export


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("192.168.1.20:8080", True),
        ("192.168.1.20", True),
        ("[fe80::1]:8080", True),
        ("::1", True),
        ("evil.example:8080", False),
        ("localhost", False),
        ("", False),
        (None, False),
        ("[broken", False),
    ],
)
def test_host_must_be_an_ip_literal(host, ok):
    assert ip_literal_host(host) is ok


@pytest.mark.parametrize(
    ("expected", "given", "ok"),
    [
        (None, None, True),
        ("", "x", True),
        ("abc123", "abc123:8080/send", True),  # KOReader appends ":8080/send"
        ("abc123", "abc123", True),
        ("abc123", "abc12", False),
        ("abc123", None, False),
        ("abc123", "xabc123:8080/send", False),
    ],
)
def test_pairing_secret(expected, given, ok):
    assert secret_matches(expected, given) is ok


def test_json_content_types():
    assert json_content("application/json")
    assert json_content("Application/JSON; charset=utf-8")
    assert not json_content("text/plain")
    assert not json_content("application/x-www-form-urlencoded")


def test_the_request_rate_bounds_each_address_and_all_together():
    now = [0.0]
    limit = request_rate(clock=lambda: now[0])
    assert sum(limit.allow("a") for _ in range(700)) == 600  # a whole library's burst
    for stranger in ("b", "c", "d"):  # three strangers flooding, each its own burst ...
        assert sum(limit.allow(stranger) for _ in range(700)) == 600
    assert not limit.allow("e")  # ... and all together: four devices' bursts
    now[0] = 1.0
    assert sum(limit.allow("a") for _ in range(100)) == 20
    assert sum(limit.allow(stranger) for stranger in "bcdefgh" for _ in range(100)) == 60


KOREADER_BODY = {
    "title": "Dune",
    "author": "Frank Herbert\nBrian Herbert",
    "type": 1,
    "locationUnit": 1,
    "source": "KOReader",
    "readingStatus": 3,
    "readingStatusChangedDate": 1700000000,
    "entries": [
        {
            "text": "Fear is the mind-killer.",
            "note": "",
            "chapter": "One",
            "time": 1700000001,
            "page": 12,
        },
        {"text": "No chapter, no page", "note": "mine", "time": 1700000002},
    ],
    "fuzzyReadingDurations": {},
}


def test_the_body_koreader_sends():
    export = parse_export(json.dumps(KOREADER_BODY).encode())
    assert (export.title, export.authors, export.reading_status) == (
        "Dune",
        "Frank Herbert\nBrian Herbert",
        3,
    )
    first, second = export.entries
    assert (first.created, first.chapter, first.page, first.note) == (1700000001, "One", "12", "")
    assert (second.chapter, second.page, second.note) == (None, None, "mine")


def test_an_empty_export_and_an_older_release_without_status():
    body = {"title": "Emma", "author": "Jane Austen", "entries": {}, "fuzzyReadingDurations": {}}
    export = parse_export(json.dumps(body).encode())
    assert (export.entries, export.reading_status) == ([], None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[]", "not a JSON object"),
        (b'{"author": "x"}', "title must be text"),
        (b'{"title": "  "}', "title is empty"),
        (b'{"title": "x", "entries": "y"}', "entries must be a list"),
        (b'{"title": "x", "entries": [1]}', "entry 1 is not an object"),
        (b'{"title": "x", "entries": [{"text": "t"}]}', "no creation time"),
        (b'{"title": "x", "entries": [{"time": true}]}', "no creation time"),
        (b'{"title": "x", "entries": [{"time": -5}]}', "impossible creation time"),
        (b'{"title": "x", "entries": [{"time": 5, "text": 7}]}', "entry 1 text must be text"),
        (b'{"title": "' + b"t" * 3000 + b'"}', "longer than"),
        (
            json.dumps({"title": "x", "entries": [{"time": 1}] * (MAX_ENTRIES + 1)}).encode(),
            "at most 20,000",
        ),
    ],
)
def test_what_is_refused(body, message):
    with pytest.raises(PayloadError, match=message):
        parse_export(body)
