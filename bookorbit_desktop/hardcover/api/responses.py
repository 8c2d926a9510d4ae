"""Turning Hardcover's HTTP answers into data or typed errors (hardcover-api.md §1.4).

Pure: takes a status, headers and body text, returns the `data` object or raises one of
`hardcover.errors`. Kept apart from the transport so every documented body shape is covered
by table-driven tests.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Mapping
from typing import Any

from bookorbit_desktop.hardcover.api.documents import Operation
from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    BadResponseError,
    GraphQLResponseError,
    MutationError,
    RequestRejectedError,
    ScopeError,
)

# A missing scope can come back in-band: Hasura hides the root field from the token's role.
_HIDDEN_ROOT_FIELD = re.compile(
    r"field '(?P<field>\w+)' not found in type: '(query|mutation)_root'"
)
_LIBRARY_FIELDS = ("user_books", "user_book_reads")
_LIST_FIELDS = ("lists", "list_books", "followed_lists")


def scope_for_field(field: str, *, mutation: bool) -> str:
    """The scope (from Hardcover's sync preset) that grants a root field."""
    if mutation:
        return "write:goals" if field.endswith(("_goal", "_goal_progress")) else "write:library"
    if field.startswith("goals"):
        return "read:goals"
    if field == "me":
        return "read:me:content"
    if field.startswith("reading_journals"):
        return "read:journal"
    if field.startswith(_LIBRARY_FIELDS):
        return "read:library"
    if field.startswith(_LIST_FIELDS):
        return "read:lists"
    return "read:catalog"


def parse_retry_after(value: str | None, now: float, default: float) -> float:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return default
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(when.timestamp() - now, 0.0)


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _detail(body: Any) -> str:
    if isinstance(body, dict):
        parts = [body.get("error"), body.get("error_description") or body.get("message")]
        text = ": ".join(str(p) for p in parts if p)
        if text:
            return text
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            return ", ".join(str(e.get("message", e) if isinstance(e, dict) else e) for e in errors)
    return "no details"


def is_auth_error(errors: list[dict[str, Any]]) -> bool:
    """In-band token problems: Hasura's `invalid-jwt` code or a JWT message."""
    for error in errors:
        code = str((error.get("extensions") or {}).get("code", ""))
        message = str(error.get("message", ""))
        if code in {"invalid-jwt", "invalid-headers"} or "JWT" in message:
            return True
    return False


def interpret(status: int, text: str, operation: Operation, *, check_mutations: bool) -> dict:
    """The `data` of a final (non-retried) answer, or the matching typed error."""
    body = _json(text)
    if status == 401:
        detail = _detail(body) if body is not None else None
        raise AuthError(detail)
    if body is None or not isinstance(body, dict):
        snippet = " ".join(text.split())[:80] or "empty body"
        raise BadResponseError(status, snippet)
    if status == 403 and body.get("error") == "insufficient_scope":
        raise ScopeError(body.get("scope"), body.get("error_description"))
    if status != 200:
        if status in (400, 403):
            raise RequestRejectedError(status, _detail(body))
        raise BadResponseError(status, _detail(body))
    errors = body.get("errors")
    if errors:
        # Hasura sends objects; Hardcover's own refusals are bare strings.
        raw = errors if isinstance(errors, list) else [errors]
        errors = [e if isinstance(e, dict) else {"message": str(e)} for e in raw]
        if is_auth_error(errors):
            raise AuthError(_detail({"errors": errors}))
        for error in errors:
            match = _HIDDEN_ROOT_FIELD.search(str(error.get("message", "")))
            if match and match.group("field") in operation.fields:
                scope = scope_for_field(match.group("field"), mutation=operation.kind == "mutation")
                raise ScopeError(scope, match.group(0))
        raise GraphQLResponseError(errors)
    data = body.get("data")
    if not isinstance(data, dict):
        raise BadResponseError(status, "no data in the answer")
    if check_mutations and operation.kind == "mutation":
        raise_mutation_errors(operation, data)
    return data


def raise_mutation_errors(operation: Operation, data: Mapping[str, Any]) -> None:
    """Raise for the first aliased mutation whose result carries an `error` string."""
    for alias in operation.aliases:
        result = data.get(alias)
        if isinstance(result, dict) and result.get("error"):
            raise MutationError(alias, str(result["error"]), dict(data))
