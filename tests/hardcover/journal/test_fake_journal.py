"""The loopback fake Hardcover as the journal tests use it: it keeps reading-journal entries,
it can carry out any operation and then lose its answer (a 5xx or a dropped connection after
the write), and it answers 403 to journal reads from a token without `read:journal`."""

from __future__ import annotations

import aiohttp
import pytest

from bookorbit_desktop.hardcover.api.documents import load_operation
from tests.fakes.hardcover_catalog import SYNC_SCOPES
from tests.fakes.hardcover_fixtures import clock, hardcover  # noqa: F401

pytestmark = pytest.mark.asyncio


async def _post(server, token: str, name: str, variables: dict) -> tuple[int, object]:
    payload = {"query": load_operation(name).text, "variables": variables, "operationName": name}
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as session:
        try:
            async with session.post(server.url, json=payload, headers=headers) as answer:
                return answer.status, await answer.json(content_type=None)
        except aiohttp.ClientError:
            return -1, None


def _quote(book_id: int, text: str) -> dict:
    return {
        "object": {
            "book_id": book_id,
            "event": "quote",
            "entry": text,
            "privacy_setting_id": 3,
            "tags": [],
        }
    }


@pytest.mark.parametrize("answer", [503, 500, "drop"])
async def test_an_insert_is_kept_and_its_answer_lost(hardcover, answer):  # noqa: F811
    book = hardcover.catalog.add_book("Dune", authors=["Frank Herbert"])
    hardcover.lose_answer_after_write("InsertReadingJournal", 1, answer=answer)
    status, _ = await _post(hardcover, hardcover.token, "InsertReadingJournal", _quote(book, "A"))
    assert status == (-1 if answer == "drop" else answer)
    assert [r["entry"] for r in hardcover.catalog.rows("reading_journals")] == ["A"]
    status, body = await _post(
        hardcover, hardcover.token, "InsertReadingJournal", _quote(book, "B")
    )  # only `times` answers are lost
    assert status == 200 and body["data"]["insert_reading_journal"]["id"]
    assert len(hardcover.catalog.rows("reading_journals")) == 2


async def test_any_mutation_can_lose_its_answer(hardcover):  # noqa: F811
    book = hardcover.catalog.add_book("Dune", authors=["Frank Herbert"])
    hardcover.lose_answer_after_write("InsertUserBook", 1)
    status, _ = await _post(
        hardcover, hardcover.token, "InsertUserBook", {"object": {"book_id": book, "status_id": 2}}
    )
    assert status == 503
    assert hardcover.catalog.user_book_for(hardcover.user_id, book) is not None


async def test_journal_reads_need_read_journal(hardcover):  # noqa: F811
    book = hardcover.catalog.add_book("Dune", authors=["Frank Herbert"])
    variables = {"userId": hardcover.user_id, "bookId": book, "event": "quote", "offset": 0}
    status, body = await _post(hardcover, hardcover.token, "ReadingJournalsByBook", variables)
    assert status == 403 and body["scope"] == "read:journal"
    reader = hardcover.catalog.add_token(hardcover.user_id, scopes=SYNC_SCOPES | {"read:journal"})
    await _post(hardcover, reader, "InsertReadingJournal", _quote(book, "kept"))
    status, body = await _post(hardcover, reader, "ReadingJournalsByBook", variables)
    assert status == 200
    assert [r["entry"] for r in body["data"]["reading_journals"]] == ["kept"]
