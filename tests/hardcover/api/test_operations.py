"""Every GraphQL document we send validates against Hardcover's official schema.

Runs over whatever files exist under bookorbit_desktop/hardcover/api/operations, so a new
operation is checked the moment it is added, exactly as it is sent: with the shared fragments
of `fragments.graphql` appended.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, parse, validate

from bookorbit_desktop.hardcover.api import client
from bookorbit_desktop.hardcover.api.documents import (
    FRAGMENTS_FILE,
    load_operation,
    shared_fragments,
)
from tests.fakes.hardcover_limits import top_level_fields
from tests.fakes.hardcover_server import hardcover_schema

OPERATIONS_DIR = Path(client.__file__).resolve().parent / "operations"
FILES = sorted(p for p in OPERATIONS_DIR.glob("*.graphql") if p.stem != FRAGMENTS_FILE)
# Pattern operators are in the schema but Hardcover refuses them (hardcover-api.md §1.5).
BLOCKED = ("_like", "_nlike", "_ilike", "_nilike", "_regex", "_iregex", "_similar")


def test_there_are_operations():
    assert len(FILES) >= 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_operation_is_valid_against_the_official_schema(path: Path):
    document = parse(load_operation(path.stem).text)
    errors = validate(hardcover_schema(), document)
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_one_named_operation_per_file_named_like_the_file(path: Path):
    document = parse(path.read_text(encoding="utf-8"))
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1
    assert operations[0].name is not None
    assert operations[0].name.value == path.stem


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_operation_respects_hardcovers_per_request_caps(path: Path):
    document = parse(load_operation(path.stem).text)
    chosen = top_level_fields(document, path.stem)
    assert chosen is not None
    _operation, fields = chosen
    assert len(fields) <= 5
    assert fields.count("search") <= 1


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_operation_uses_no_blocked_operator(path: Path):
    text = path.read_text(encoding="utf-8")
    assert not [op for op in BLOCKED if f"{op}:" in text or f"{op} :" in text]


def test_every_shared_fragment_is_used_and_no_field_list_is_written_twice():
    texts = [p.read_text(encoding="utf-8") for p in FILES]
    sent = [load_operation(p.stem).text for p in FILES]
    for name in shared_fragments():
        assert any(f"...{name}" in text for text in sent), f"fragment {name} is unused"
    for name in ("EditionFields", "UserBookFields"):
        users = [text for text in texts if f"...{name}" in text]
        assert len(users) >= 2, name
