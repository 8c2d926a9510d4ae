"""The GraphQL documents we send, loaded from `operations/<Name>.graphql`.

Each file holds one operation named like the file. Loading parses it with graphql-core once,
so the client knows before sending what the request will cost (one rate token per top-level
field) and can refuse what Hardcover would reject (more than 5 top-level fields, or more than
one `search`, per request).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)

MAX_TOP_LEVEL_FIELDS = 5
MAX_SEARCHES = 1


class OperationError(ValueError):
    """A document under operations/ is missing or breaks a rule (a programming error)."""


@dataclass(frozen=True)
class Operation:
    name: str
    text: str
    kind: str  # "query" | "mutation"
    fields: tuple[str, ...]  # top-level field names (not aliases), in order
    aliases: tuple[str, ...]  # response keys of the top-level fields

    @property
    def cost(self) -> int:
        """What one request with this document costs toward Hardcover's rate limit."""
        return len(self.fields)


def _top_level(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    out: list[FieldNode],
) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value != "__typename":
                out.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            _top_level(selection.selection_set, fragments, out)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            _top_level(fragments[selection.name.value].selection_set, fragments, out)


def operation_from_text(name: str, text: str) -> Operation:
    """Parse and check one operation document."""
    try:
        document: DocumentNode = parse(text)
    except GraphQLError as error:
        raise OperationError(f"{name}: {error.message}") from None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].name is None or operations[0].name.value != name:
        raise OperationError(f"{name}.graphql must hold exactly one operation named {name}")
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    fields: list[FieldNode] = []
    _top_level(operations[0].selection_set, fragments, fields)
    names = tuple(f.name.value for f in fields)
    if len(names) > MAX_TOP_LEVEL_FIELDS:
        raise OperationError(f"{name} has {len(names)} top-level fields; Hardcover allows 5")
    if names.count("search") > MAX_SEARCHES:
        raise OperationError(f"{name} has more than one search; Hardcover allows 1")
    kind = operations[0].operation.value
    if kind not in {"query", "mutation"}:
        raise OperationError(f"{name}: {kind} operations are not supported")
    aliases = tuple((f.alias or f.name).value for f in fields)
    return Operation(name=name, text=text, kind=kind, fields=names, aliases=aliases)


@functools.cache
def load_operation(name: str) -> Operation:
    """The operation stored in `operations/<name>.graphql`."""
    if not name.replace("_", "").isalnum():
        raise OperationError(f"not an operation name: {name!r}")
    source = resources.files("bookorbit_desktop.hardcover").joinpath(
        "operations", f"{name}.graphql"
    )
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OperationError(f"no operation file {name}.graphql") from None
    return operation_from_text(name, text)
