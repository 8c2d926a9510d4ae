"""The fake Hardcover itself behaves as hardcover-api.md §7 describes (raw HTTP, no client)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.fakes.hardcover_catalog import ALL_SCOPES, AUDIO, EBOOK


@pytest.fixture
async def post(hardcover) -> AsyncIterator:
    async with aiohttp.ClientSession() as session:

        async def send(query, variables=None, *, token=None, auth=None, raw=None):
            headers = {"Authorization": auth or f"Bearer {token or hardcover.token}"}
            if auth == "":
                headers = {}
            body = raw if raw is not None else None
            kwargs = {"data": body} if raw is not None else {
                "json": {"query": query, "variables": variables or {}}
            }  # fmt: skip
            async with session.post(hardcover.url, headers=headers, **kwargs) as response:
                try:
                    payload = await response.json(content_type=None)
                except ValueError:
                    payload = await response.text()
                return response.status, payload, response.headers

        yield send


ME = "query { me { id username } }"


@pytest.mark.parametrize(
    ("auth", "mode", "status", "body"),
    [
        ("", "current", 401,
         {"error": "invalid_token", "error_description": "Missing Authorization header"}),
        ("Token abc", "current", 401,
         {"error": "invalid_token", "error_description": "Malformed Authorization header"}),
        ("Bearer Bearer abc", "current", 401,
         {"error": "invalid_token", "error_description": "Malformed Authorization header"}),
        ("Bearer nope", "current", 401,
         {"error": "invalid_token", "error_description": "Invalid token"}),
        ("Bearer nope", "legacy", 401, {"error": "Unable to verify token"}),
        ("Bearer nope", "in_band", 200,
         {"errors": [{"message": "Could not verify JWT: JWTExpired",
                      "extensions": {"code": "invalid-jwt", "path": "$"}}]}),
    ],
)  # fmt: skip
async def test_auth_errors(hardcover, post, auth, mode, status, body):
    hardcover.config.auth_errors = mode
    assert (await post(ME, auth=auth))[:2] == (status, body)


async def test_success_carries_every_rate_header(post):
    status, body, headers = await post(ME)
    assert status == 200 and body["data"]["me"][0]["username"] == "reader"
    assert headers["RateLimit-Policy"] == '"Free";q=60;w=60;burst=10, "daily";q=5000;w=86400'
    assert headers["RateLimit"].startswith('"Free";r=9;t=1, "daily";r=4999;t=')
    for name in ("Limit", "Remaining", "Reset", "Daily-Limit", "Daily-Remaining", "Daily-Reset"):
        assert f"X-RateLimit-{name}" in headers


async def test_burst_then_429_with_retry_after_then_refill(hardcover, post, clock):
    statuses = [(await post(ME))[0] for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    status, body, headers = await post(ME)
    assert (status, headers["Retry-After"]) == (429, "1")
    assert body["error"] == "Too Many Requests"
    clock.advance(1)
    assert (await post(ME))[0] == 200


async def test_every_top_level_field_costs_a_token(hardcover, post):
    await post("query { a: me { id } b: me { id } books(limit: 1) { id } }")
    assert hardcover.top_level_fields == 3
    _, _, headers = await post(ME)
    assert headers["X-RateLimit-Remaining"] == "6"


async def test_daily_cap_answers_429_until_midnight_utc(hardcover, post, clock):
    bucket = hardcover.rates.bucket(hardcover.user_id, "Free")
    bucket.used_today = 5000
    status, _, headers = await post(ME)
    assert status == 429 and int(headers["Retry-After"]) == 12 * 3600
    clock.advance(12 * 3600)
    assert (await post(ME))[0] == 200


async def test_budget_is_per_user_across_tokens_and_supporters_get_more(hardcover, post):
    second = hardcover.catalog.add_token(hardcover.user_id)
    for n in range(10):
        await post(ME, token=hardcover.token if n % 2 else second)
    assert (await post(ME, token=second))[0] == 429
    supporter = hardcover.catalog.add_user("patron", plan="Supporter")
    token = hardcover.catalog.add_token(supporter)
    assert [(await post(ME, token=token))[0] for _ in range(16)] == [200] * 15 + [429]


@pytest.mark.parametrize(
    ("query", "specific"),
    [
        ("query { a: me { id } b: me { id } c: me { id } d: me { id } e: me { id } f: me { id } }",
         "top_level_query_limit_exceeded"),
        ('query { a: search(query: "x") { ids } b: search(query: "y") { ids } }',
         "search_query_limit_exceeded"),
    ],
)  # fmt: skip
async def test_per_request_caps(hardcover, post, query, specific):
    assert (await post(query))[:2] == (403, {"errors": ["top_level_limit_exceeded"]})
    hardcover.config.specific_limit_errors = True
    assert (await post(query))[:2] == (403, {"errors": [specific]})
    assert hardcover.top_level_fields == 0


async def test_validation_errors_are_hasura_shaped(post):
    status, body, _ = await post("query { me { id nope } }")
    assert status == 200 and "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "validation-failed"
    assert (await post("", raw=b"not json"))[:2] == (400, {"error": "Malformed request body"})
    status, body, _ = await post("query { me { id }")
    assert status == 400 and body["error"] == "invalid_query"


@pytest.mark.parametrize(
    ("scopes", "query", "scope"),
    [
        ({"read:catalog"}, ME, "read:me:content"),
        ({"read:me"}, "query { books(limit: 1) { id } }", "read:catalog"),
        ({"read:catalog"}, "query { user_books(limit: 1) { id } }", "read:library"),
        ({"read:library"}, "mutation { delete_user_book(id: 1) { id } }", "write:library"),
    ],
)
async def test_missing_scope(hardcover, post, scopes, query, scope):
    token = hardcover.catalog.add_token(hardcover.user_id, scopes=scopes)
    status, body, _ = await post(query, token=token)
    assert status == 403 and body["error"] == "insufficient_scope" and body["scope"] == scope
    hardcover.config.scope_errors = "in_band"
    status, body, _ = await post(query, token=token)
    assert status == 200 and "not found in type" in body["errors"][0]["message"]


async def test_legacy_all_scope_allows_everything(hardcover, post):
    token = hardcover.catalog.add_token(hardcover.user_id, scopes=ALL_SCOPES)
    assert (await post("query { user_books(limit: 1) { id } }", token=token))[0] == 200


async def test_pattern_operators_are_blocked_unless_switched_on(hardcover, post):
    hardcover.catalog.add_book("Dune", authors=["Frank Herbert"])
    query = 'query { books(where: {title: {_ilike: "%un%"}}) { title } }'
    status, body, _ = await post(query)
    assert status == 403 and body["error"] == "blocked_operation"
    hardcover.config.allow_pattern_operators = True
    assert (await post(query))[1] == {"data": {"books": [{"title": "Dune"}]}}


@pytest.fixture
def shelf(hardcover):
    catalog = hardcover.catalog
    dune = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900)
    catalog.add_edition(dune, isbn_13="9780441172719", pages=604, users_count=50)
    catalog.add_edition(dune, isbn_10="0441013597", pages=535, reading_format_id=EBOOK,
                        language="de", users_count=80)  # fmt: skip
    catalog.add_edition(dune, reading_format_id=AUDIO, users_count=90)
    other = catalog.add_book("Hyperion", authors=["Dan Simmons"], users_count=400)
    catalog.add_edition(other, isbn_13="9780553283686", pages=482)
    return dune, other


@pytest.mark.parametrize(
    ("where", "titles"),
    [
        ('{editions: {isbn_13: {_eq: "9780553283686"}}}', ["Hyperion"]),
        ("{users_count: {_gt: 500}}", ["Dune"]),
        ('{_or: [{title: {_eq: "Dune"}}, {title: {_eq: "Hyperion"}}]}', ["Dune", "Hyperion"]),
        ('{_and: [{title: {_eq: "Dune"}}, {users_count: {_lt: 10}}]}', []),
        ('{_not: {title: {_eq: "Dune"}}}', ["Hyperion"]),
        ('{title: {_nin: ["Dune"]}}', ["Hyperion"]),
        ("{subtitle: {_is_null: true}}", ["Dune", "Hyperion"]),
        ('{contributions: {author: {name: {_eq: "Dan Simmons"}}}}', ["Hyperion"]),
        ('{editions: {language: {code2: {_eq: "de"}}}}', ["Dune"]),
    ],
)
async def test_where_operators_and_relations(post, shelf, where, titles):
    status, body, _ = await post(
        f"query {{ books(where: {where}, order_by: {{id: asc}}) {{ title }} }}"
    )
    assert status == 200, body
    assert [b["title"] for b in body["data"]["books"]] == titles


async def test_order_by_nested_and_nulls(post, shelf):
    dune, _ = shelf
    query = (
        "query($b: Int!) { editions(where: {book_id: {_eq: $b}}, "
        "order_by: [{pages: desc_nulls_last}, {id: asc}]) { pages } }"
    )
    _, body, _ = await post(query, {"b": dune})
    assert [e["pages"] for e in body["data"]["editions"]] == [604, 535, None]
    query = "query { editions(order_by: {book: {users_count: asc}}, limit: 1) { book { title } } }"
    _, body, _ = await post(query)
    assert body["data"]["editions"][0]["book"]["title"] == "Hyperion"


async def test_rows_are_capped_at_100_and_shuffled_without_order_by(hardcover, post):
    for n in range(150):
        hardcover.catalog.add_book(f"Book {n}")
    _, body, _ = await post("query { books(limit: 500) { id } }")
    ids = [b["id"] for b in body["data"]["books"]]
    assert len(ids) == 100 and ids != sorted(ids)
    _, body, _ = await post("query { books_aggregate { aggregate { count } } }")
    assert body["data"]["books_aggregate"]["aggregate"]["count"] == 150


async def test_search_shape_and_merged_books(hardcover, post, shelf):
    dune, _ = shelf
    old = hardcover.catalog.add_book("Dune", authors=["Frank Herbert"], users_count=5)
    hardcover.catalog.merge_book(old, into=dune)
    query = 'query { search(query: "dune", query_type: "Book", per_page: 5) { ids results } }'
    _, body, _ = await post(query)
    search = body["data"]["search"]
    assert search["ids"] == [dune]
    document = search["results"]["hits"][0]["document"]
    assert document["id"] == str(dune)
    assert document["author_names"] == ["Frank Herbert"]
    assert "9780441172719" in document["isbns"] and document["has_audiobook"]
    assert search["results"]["found"] == 1


async def test_slow_search_times_out_with_408(hardcover, post, clock):
    hardcover.config.search_latency = 2.5
    assert (await post('query { search(query: "x") { ids } }'))[:2] == (
        408,
        {"error": "Request timeout"},
    )
    hardcover.config.search_latency = 1.5
    before = clock()
    assert (await post('query { search(query: "x") { ids } }'))[0] == 200
    assert clock() - before == 1.5


INSERT = (
    "mutation($o: UserBookCreateInput!) { insert_user_book(object: $o) { id error "
    "user_book { id status_id user_book_reads { id started_at finished_at progress_pages } } } }"
)


@pytest.mark.parametrize(
    ("status_id", "sets_started", "reads"),
    [
        (1, False, []),
        (3, False, [{"started_at": None, "finished_at": "2026-09-01", "progress_pages": 604}]),
        (2, False, [{"started_at": None, "finished_at": None, "progress_pages": None}]),
        (2, True, [{"started_at": "2026-09-01", "finished_at": None, "progress_pages": None}]),
    ],
)
async def test_insert_user_book_side_effects(
    hardcover, post, shelf, status_id, sets_started, reads
):
    dune, _ = shelf
    hardcover.behaviour.currently_reading_sets_started = sets_started
    edition = hardcover.catalog.book_editions(dune)[0]["id"]
    variables = {"o": {"book_id": dune, "status_id": status_id, "edition_id": edition}}
    _, body, _ = await post(INSERT, variables)
    got = body["data"]["insert_user_book"]["user_book"]["user_book_reads"]
    assert [
        {k: r[k] for k in ("started_at", "finished_at", "progress_pages")} for r in got
    ] == reads


async def test_insert_existing_upserts_or_errors(hardcover, post, shelf):
    dune, _ = shelf
    first = (await post(INSERT, {"o": {"book_id": dune, "status_id": 1}}))[1]
    again = (await post(INSERT, {"o": {"book_id": dune, "status_id": 3}}))[1]
    assert again["data"]["insert_user_book"]["id"] == first["data"]["insert_user_book"]["id"]
    assert again["data"]["insert_user_book"]["user_book"]["status_id"] == 3
    hardcover.behaviour.insert_existing = "error"
    third = (await post(INSERT, {"o": {"book_id": dune, "status_id": 1}}))[1]
    assert third["data"]["insert_user_book"]["error"]


async def test_reread_opens_a_new_read_and_read_updates_patch_or_replace(hardcover, post, shelf):
    dune, _ = shelf
    body = (await post(INSERT, {"o": {"book_id": dune, "status_id": 3}}))[1]
    user_book = body["data"]["insert_user_book"]["id"]
    update = (
        "mutation($id: Int!, $o: UserBookUpdateInput!) "
        "{ update_user_book(id: $id, object: $o) { error } }"
    )
    await post(update, {"id": user_book, "o": {"status_id": 2}})
    reads = sorted(hardcover.catalog.reads_of(user_book), key=lambda r: r["id"])
    assert [r["finished_at"] for r in reads] == ["2026-09-01", None]
    read_update = (
        "mutation($id: Int!, $o: DatesReadInput!) { update_user_book_read(id: $id, object: $o) "
        "{ error user_book_read { started_at progress_pages } } }"
    )
    open_read = reads[1]["id"]
    await post(read_update, {"id": open_read, "o": {"started_at": "2026-08-01"}})
    _, body, _ = await post(read_update, {"id": open_read, "o": {"progress_pages": 10}})
    assert body["data"]["update_user_book_read"]["user_book_read"]["started_at"] == "2026-08-01"
    hardcover.behaviour.read_update_mode = "replace"
    _, body, _ = await post(read_update, {"id": open_read, "o": {"progress_pages": 20}})
    assert body["data"]["update_user_book_read"]["user_book_read"] == {
        "started_at": None,
        "progress_pages": 20,
    }
    started = [a for a in hardcover.catalog.activities if a["event"] == "started_reading"]
    assert len(started) == 1


async def test_other_readers_entries_are_readable_not_writable(hardcover, post, shelf):
    dune, _ = shelf
    stranger = hardcover.catalog.add_user("stranger")
    theirs = hardcover.catalog.add_user_book(stranger, dune, status_id=3)
    _, body, _ = await post("query { user_books { id user_id } }")
    assert {"id": theirs, "user_id": stranger} in body["data"]["user_books"]
    query = "mutation($id: Int!) { delete_user_book(id: $id) { id } }"
    _, body, _ = await post(query, {"id": theirs})
    assert body["data"]["delete_user_book"]["id"] is None
    assert hardcover.catalog.get("user_books", theirs) is not None


async def test_injected_faults(hardcover, post):
    hardcover.fail_next(503)
    hardcover.fail_next("html500")
    hardcover.fail_next(429, retry_after=9)
    assert (await post(ME))[:2] == (503, {"error": "Service temporarily unavailable"})
    status, body, _ = await post(ME)
    assert status == 500 and "<html>" in body
    status, _, headers = await post(ME)
    assert (status, headers["Retry-After"]) == (429, "9")
    assert (await post(ME))[0] == 200
    assert hardcover.statuses == {503: 1, 500: 1, 429: 1, 200: 1}
