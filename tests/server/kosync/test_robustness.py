"""Bad input, slow logins, a locked database and the library link, over HTTP: every answer is a
JSON 4xx with a reference code (or the reference 502/2000 for a real failure), the server keeps
answering and no stored position is lost."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest

from bookorbit_desktop.guards.throttle import LOGINS
from bookorbit_desktop.library.reading.link_proposal import BY_TITLE, Proposal, propose_book
from bookorbit_desktop.library.store.models import ReadingState, database
from bookorbit_desktop.server import READING_LINES_PER_MINUTE
from bookorbit_desktop.server.app import MAX_BODY_BYTES
from bookorbit_desktop.server.kosync.protocol import MAX_DOCUMENT_LENGTH
from tests.factories import add_book, make_epub
from tests.server.kosync.support import KEY, START, USER, kosync_fixture, raw_http  # noqa: F401

pytestmark = pytest.mark.asyncio


async def assert_position_intact(client, document: str, percentage: float) -> None:
    reply = await client.pull(document)
    assert reply.status == 200 and reply.json["percentage"] == percentage


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"\xff\xfe{not utf-8", 400, 103),
        (b'{"document":"d","percentage":NaN,"progress":"1","device":"x"}', 400, 103),
        (b'{"document":"d","percentage":Infinity,"progress":"1","device":"x"}', 400, 103),
        (b'{"document":"d","percentage":1e999,"progress":"1","device":"x"}', 403, 2003),
        (
            b'{"document":"d","percentage":' + b"9" * 5000 + b',"progress":"1","device":"x"}',
            400,
            103,
        ),
        (b"[" * 50_000 + b"]" * 50_000, 413, 2003),
        (b"[" * 20_000 + b"]" * 20_000, 400, 103),
        (b'{"document":"\\ud800","percentage":0.1,"progress":"1","device":"x"}', 403, 2004),
        (b'{"document":"d","percentage":0.1,"progress":"\\udfff","device":"x"}', 403, 2003),
        (b'{"document":"d","percentage":"0x","progress":"1","device":"x"}', 403, 2003),
        (b'{"document":"d","percentage":" 1_0 ","progress":"1","device":"x"}', 403, 2003),
        (b"\xef\xbb\xbf{}", 403, 2004),  # a UTF-8 BOM is tolerated
        (b"null", 400, 104),
    ],
)
async def test_malformed_bodies_get_a_4xx_with_a_reference_code(kosync, body, status, code):
    await kosync.push("keep", 0.42)
    reply = await kosync.request("PUT", "/kosync/syncs/progress", body=body)
    assert reply.status == status, reply.raw
    assert reply.content_type == "application/json"
    assert reply.json["code"] == code
    await assert_position_intact(kosync, "keep", 0.42)


async def test_an_empty_body_is_a_missing_document(kosync):
    reply = await kosync.request("PUT", "/kosync/syncs/progress", body=b"")
    assert (reply.status, reply.json["code"]) == (403, 2004)


async def test_oversized_bodies_are_refused_and_the_server_keeps_answering(kosync):
    await kosync.push("keep", 0.42)
    padding = "x" * MAX_BODY_BYTES
    reply = await kosync.push("keep", 0.9, progress=padding)
    assert (reply.status, reply.content_type, reply.json["code"]) == (413, "application/json", 2003)
    await assert_position_intact(kosync, "keep", 0.42)
    assert (await kosync.push("keep", 0.5, progress="x" * (MAX_BODY_BYTES // 2))).status == 200


async def test_huge_document_ids_are_refused_in_body_and_path(kosync):
    huge = "a" * (MAX_DOCUMENT_LENGTH + 1)
    reply = await kosync.push(huge, 0.1)
    assert (reply.status, reply.json["code"]) == (403, 2004)
    reply = await kosync.pull(huge)
    assert (reply.status, reply.json["code"]) == (403, 2004)
    longest = "b" * MAX_DOCUMENT_LENGTH
    assert (await kosync.push(longest, 0.3)).status == 200
    assert (await kosync.pull(longest)).json["percentage"] == 0.3


async def test_a_request_line_beyond_the_parser_limit_does_not_stop_the_server(kosync):
    request = b"GET /kosync/syncs/progress/" + b"c" * 40_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    status, _, _ = await raw_http(kosync.server.port, request)
    assert status.split()[1].startswith(b"4")
    assert (await kosync.request("GET", "/kosync/healthcheck")).status == 200


@pytest.mark.parametrize(
    "path",
    [
        "/kosync/syncs/progress/doc1/",
        "/kosync//syncs//progress//doc1",
        "//kosync/syncs/progress/doc1//",
        "/syncs/progress/doc1",
        "/kosync/syncs/progress/%64oc1",
    ],
)
async def test_slash_variants_and_encodings_reach_the_same_document(kosync, path):
    await kosync.push("doc1", 0.61)
    reply = await kosync.request("GET", path)
    assert reply.status == 200 and reply.json["percentage"] == 0.61


async def test_guessing_blocks_the_address_even_for_a_remembered_login(kosync):
    """Row: 50 wrong keys in 10 s, then the right key, was accepted at once (remembered from
    the device's login). A blocked address now gets 401/2001 with how long to wait, whatever
    key it sends, until the block is over."""
    assert (await kosync.request("GET", "/kosync/users/auth")).status == 200  # remembered now
    replies = []
    for n in range(50):  # 50 wrong keys in 10 s
        kosync.clock.now += 0.2
        replies.append(await kosync.request("GET", "/kosync/users/auth", auth=(USER, f"bad{n}")))
    assert {(reply.status, reply.json["code"]) for reply in replies} == {(401, 2001)}
    assert kosync.ctx.throttle.refused == 50 - LOGINS.failures  # the rest were never checked
    assert kosync.ctx.throttle.blocked("127.0.0.1")
    assert replies[0].json["message"] == "Unauthorized"  # a typo reads as the reference's
    blocked = "Too many wrong passwords from this device. Try again in 2 minutes."
    assert replies[-1].json["message"] == blocked
    # The right key, remembered as verified, is refused all the same; so is a push ...
    started = time.monotonic()
    reply = await kosync.request("GET", "/kosync/users/auth")
    assert (reply.status, reply.json) == (401, {"code": 2001, "message": blocked})
    assert time.monotonic() - started < 1.0  # refused before any check
    assert (await kosync.push("while-blocked", 0.3)).status == 401
    # ... until the block is over.
    kosync.clock.now += LOGINS.block
    assert (await kosync.request("GET", "/kosync/users/auth")).status == 200
    assert (await kosync.push("after-the-block", 0.3)).status == 200


async def test_a_devices_parallel_first_logins_share_one_check(kosync):
    replies = await asyncio.gather(
        *(kosync.request("GET", "/kosync/users/auth") for _ in range(12))
    )
    assert [reply.status for reply in replies] == [200] * 12
    assert kosync.ctx.throttle.refused == 0  # 12 requests, far fewer than 12 checks


async def test_a_locked_database_answers_502_2000_and_the_retry_is_stored(kosync, library):
    await kosync.push("locked", 0.2)
    database.execute_sql("PRAGMA busy_timeout = 50")
    blocker = sqlite3.connect(library.db_file, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        reply = await kosync.push("locked", 0.3)
        assert (reply.status, reply.content_type) == (502, "application/json")
        assert reply.json == {"code": 2000, "message": "Unknown server error."}
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    await assert_position_intact(kosync, "locked", 0.2)
    assert (await kosync.push("locked", 0.3)).status == 200  # KOReader retries a non-401
    await assert_position_intact(kosync, "locked", 0.3)


async def test_a_push_for_a_library_file_updates_the_book_and_calls_the_hook(kosync, tmp_path):
    book = add_book("Leaves of Grass", ["Walt Whitman"], file=make_epub(tmp_path / "leaves.epub"))
    document = book.aliases[0].document
    assert (await kosync.push(document, 0.25)).status == 200
    state = ReadingState.get_by_id(book.id)
    assert (state.status, state.progress) == ("reading", 0.25)
    assert state.koreader_progress == "/body/DocFragment[2]/body/p[3]/text().10"
    assert kosync.hook_calls == [book.id]


def _routes_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.endswith("kosync.routes")]


async def test_the_log_has_a_line_per_change_of_state_not_per_page(kosync, tmp_path, caplog):
    book = add_book("Leaves of Grass", file=make_epub(tmp_path / "leaves.epub"))
    document = book.aliases[0].document
    caplog.set_level("INFO", logger="bookorbit_desktop.server.kosync.routes")
    for fraction in (0.25, 0.3, 0.995, 0.5, 0.51):  # start, a page, finish, two pages after
        assert (await kosync.push(document, fraction)).status == 200
    assert _routes_lines(caplog) == [
        f"Book {book.id}: started, progress",
        f"Book {book.id}: finished",
    ]
    caplog.clear()
    caplog.set_level("DEBUG", logger="bookorbit_desktop.server.kosync.routes")
    assert (await kosync.push(document, 0.52)).status == 200
    assert _routes_lines(caplog) == [
        f"Progress from 'Kobo_clara' for document '{document}': 52.0%"
        f" (book {book.id}, push_after_finish)"
    ]


async def test_a_storm_of_state_changes_gets_a_budget_of_lines_and_loses_no_push(
    kosync, tmp_path, caplog
):
    """A script starting books by the hundred gets READING_LINES_PER_MINUTE lines a minute
    from its address; the rest are counted for the minute's summary, and every push is stored."""
    books = [
        add_book(f"Storm {n}", file=make_epub(tmp_path / f"storm{n}.epub", title=f"Storm {n}"))
        for n in range(READING_LINES_PER_MINUTE + 5)
    ]
    caplog.set_level("INFO", logger="bookorbit_desktop.server.kosync.routes")
    for book in books:
        assert (await kosync.push(book.aliases[0].document, 0.25)).status == 200
    lines = _routes_lines(caplog)
    assert lines == [
        f"Book {book.id}: started, progress" for book in books[:READING_LINES_PER_MINUTE]
    ]
    assert kosync.ctx.reading_lines.budget.unlogged == 5
    assert kosync.ctx.reading_lines.budget.due(time.monotonic() + 61) == [("127.0.0.1", 5)]
    for book in books:
        assert ReadingState.get_by_id(book.id).status == "reading"


async def test_the_hook_runs_after_the_answer_and_its_failure_changes_nothing(kosync, tmp_path):
    book = add_book("Hooked", file=make_epub(tmp_path / "hooked.epub", title="Hooked"))
    seen = []

    def failing_hook(book_id: int) -> None:
        seen.append(book_id)
        raise RuntimeError("the sync engine is broken")

    kosync.ctx.on_reading_changed = failing_hook
    reply = await kosync.push(book.aliases[0].document, 0.5)
    assert reply.status == 200
    assert seen == [book.id]
    assert (await kosync.request("GET", "/kosync/healthcheck")).status == 200


async def test_metadata_naming_exactly_one_book_only_proposes_it(kosync):
    book = add_book("Leaves of Grass", ["Walt Whitman"])
    add_book("Leaves of Grass", ["Someone Else"])
    meta = {"title": "Leaves of Grass", "authors": "Whitman, Walt", "filename": "x.epub"}
    assert (await kosync.push("sideloaded", 0.3, metadata=meta)).status == 200
    assert ReadingState.get_by_id(book.id).status == "unread"  # linked only by the user
    assert kosync.hook_calls == []
    assert propose_book("sideloaded") == Proposal(book.id, BY_TITLE)


async def test_unknown_documents_are_stored_answered_and_listed(kosync):
    from bookorbit_desktop.library.reading.pushes import unlinked_documents

    kosync.clock.now = START + 5
    await kosync.push("orphan", 0.7, device="PocketBook")
    assert (await kosync.pull("orphan")).json["device"] == "PocketBook"
    (listed,) = unlinked_documents()
    assert (listed.document, listed.device, listed.percentage, listed.timestamp) == (
        "orphan",
        "PocketBook",
        0.7,
        int(START) + 5,
    )
    assert kosync.hook_calls == []


async def test_key_is_never_logged(kosync, caplog):
    caplog.set_level("DEBUG")
    await kosync.request("GET", "/kosync/users/auth", auth=(USER, "bad-key-secret"))
    await kosync.push("logged", 0.5)
    assert "bad-key-secret" not in caplog.text and KEY not in caplog.text
    assert "Refused a KOReader login as 'alice'" in caplog.text
