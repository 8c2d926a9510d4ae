"""Every answer shape in hardcover-api.md §1.4 becomes data or the right typed error."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.hardcover.api.documents import OperationError, operation_from_text
from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    BadResponseError,
    GraphQLResponseError,
    MutationError,
    RequestRejectedError,
    ScopeError,
)
from bookorbit_desktop.hardcover.api.responses import interpret, parse_retry_after

QUERY = operation_from_text("Me", "query Me { me { id } }")
MUTATION = operation_from_text(
    "Two",
    "mutation Two { a: delete_user_book_read(id: 1) { id error } "
    "b: delete_user_book_read(id: 2) { id error } }",
)


@pytest.mark.parametrize(
    ("status", "body", "operation", "error", "attribute"),
    [
        (401, {"error": "invalid_token", "error_description": "Invalid JWT"}, QUERY, AuthError,
         ("detail", "invalid_token: Invalid JWT")),
        (401, {"error": "Unable to verify token"}, QUERY, AuthError,
         ("detail", "Unable to verify token")),
        (401, "<html>401</html>", QUERY, AuthError, ("detail", None)),
        (200, {"errors": [{"message": "Could not verify JWT: JWTExpired",
                           "extensions": {"code": "invalid-jwt", "path": "$"}}]},
         QUERY, AuthError, None),
        (403, {"error": "insufficient_scope", "error_description": "x", "scope": "write:library"},
         QUERY, ScopeError, ("scope", "write:library")),
        (200, {"errors": [{"message": "field 'me' not found in type: 'query_root'",
                           "extensions": {"code": "validation-failed", "path": "$"}}]},
         QUERY, ScopeError, ("scope", "read:me:content")),
        (200, {"errors": [{"message": "field 'delete_user_book_read' not found in type: "
                                      "'mutation_root'"}]},
         MUTATION, ScopeError, ("scope", "write:library")),
        (403, {"errors": ["top_level_limit_exceeded"]}, QUERY, RequestRejectedError,
         ("detail", "top_level_limit_exceeded")),
        (403, {"error": "Your quota has been reached for this query."}, QUERY,
         RequestRejectedError, ("status", 403)),
        (400, {"error": "invalid_query", "error_description": "Syntax Error"}, QUERY,
         RequestRejectedError, ("detail", "invalid_query: Syntax Error")),
        (400, {"error": "Malformed request body"}, QUERY, RequestRejectedError, ("status", 400)),
        (404, {"error": "not found"}, QUERY, BadResponseError, ("status", 404)),
        (200, "<!DOCTYPE html><p>hello</p>", QUERY, BadResponseError, ("status", 200)),
        (200, {"errors": [{"message": "field 'x' not found in type: 'users'",
                           "extensions": {"code": "validation-failed"}}]},
         QUERY, GraphQLResponseError, None),
        (200, {"data": None}, QUERY, BadResponseError, None),
        (200, {"errors": ["top_level_limit_exceeded"]}, QUERY, GraphQLResponseError,
         ("errors", [{"message": "top_level_limit_exceeded"}])),
        (200, {"errors": "something broke"}, QUERY, GraphQLResponseError,
         ("errors", [{"message": "something broke"}])),
        (200, {"data": {"a": {"id": None, "error": "Not found."}, "b": {"id": 2, "error": None}}},
         MUTATION, MutationError, ("detail", "Not found.")),
    ],
)  # fmt: skip
def test_answers_become_typed_errors(status, body, operation, error, attribute):
    text = body if isinstance(body, str) else json.dumps(body)
    with pytest.raises(error) as caught:
        interpret(status, text, operation, check_mutations=True)
    assert isinstance(caught.value, BookOrbitError)
    assert caught.value.title and caught.value.message
    if attribute:
        name, value = attribute
        assert getattr(caught.value, name) == value


def test_mutation_errors_can_be_left_to_the_caller():
    body = {"data": {"a": {"id": None, "error": "Not found."}, "b": {"id": 2, "error": None}}}
    data = interpret(200, json.dumps(body), MUTATION, check_mutations=False)
    assert data["a"]["error"] == "Not found."


def test_scope_error_names_the_scope_and_the_token_page():
    with pytest.raises(ScopeError) as caught:
        interpret(403, json.dumps({"error": "insufficient_scope", "scope": "write:library"}),
                  QUERY, check_mutations=True)  # fmt: skip
    assert '"write:library"' in caught.value.message
    assert "hardcover.app/account/api" in caught.value.message


def test_data_comes_back_for_a_good_answer():
    data = interpret(200, json.dumps({"data": {"me": [{"id": 3}]}}), QUERY, check_mutations=True)
    assert data == {"me": [{"id": 3}]}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7.0),
        ("0", 0.0),
        ("2.5", 2.5),
        (None, 5.0),
        ("", 5.0),
        ("soon", 5.0),
        ("Tue, 01 Sep 2026 12:01:00 GMT", 60.0),
        ("Tue, 01 Sep 2026 11:00:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value, 1_788_264_000.0, 5.0) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Six", "query Six { a: me { id } b: me { id } c: me { id } d: me { id } "
                "e: me { id } f: me { id } }"),
        ("TwoSearches", 'query TwoSearches { a: search(query: "x") { ids } '
                        'b: search(query: "y") { ids } }'),
        ("Wrong", "query Other { me { id } }"),
        ("Broken", "query Broken { me { id }"),
        ("Sub", "subscription Sub { me { id } }"),
    ],
)  # fmt: skip
def test_documents_breaking_hardcovers_caps_are_refused_before_sending(name, text):
    with pytest.raises(OperationError):
        operation_from_text(name, text)


def test_cost_counts_every_top_level_field_including_fragments():
    operation = operation_from_text(
        "Three",
        "query Three { ...F b: me { id } } fragment F on query_root { me { id } books { id } }",
    )
    assert operation.cost == 3
    assert operation.fields == ("me", "books", "me")
