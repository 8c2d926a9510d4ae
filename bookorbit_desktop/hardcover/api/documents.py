"""The GraphQL documents we send, loaded from `operations/<Name>.graphql`.

Each file holds one operation named like the file. Field lists several operations share are
fragments in `operations/fragments.graphql`; a document gets the ones it spreads (and the ones
those spread) appended when it is loaded, so each list is written once. Loading parses the
result with graphql-core once, so the client knows before sending what the request will cost
(one rate token per top-level field) and can refuse what Hardcover would reject (more than 5
top-level fields, or more than one `search`, per request).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graphql import FieldNode, FragmentDefinitionNode, SelectionSetNode

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

    @property
    def creates(self) -> bool:
        """Whether the operation inserts rows: sent twice, it would store them twice."""
        return self.kind == "mutation" and any(f.startswith("insert_") for f in self.fields)


def _top_level(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    out: list[FieldNode],
) -> None:
    from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode

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
    from graphql import (
        DocumentNode,
        FragmentDefinitionNode,
        GraphQLError,
        OperationDefinitionNode,
        parse,
    )

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


FRAGMENTS_FILE = "fragments"


def _read(name: str) -> str:
    source = resources.files("bookorbit_desktop.hardcover.api").joinpath(
        "operations", f"{name}.graphql"
    )
    try:
        return source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OperationError(f"no operation file {name}.graphql") from None


@functools.cache
def shared_fragments() -> dict[str, FragmentDefinitionNode]:
    """The fragments of `operations/fragments.graphql`, by name."""
    from graphql import FragmentDefinitionNode, parse

    document = parse(_read(FRAGMENTS_FILE), no_location=False)
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _spreads(node: SelectionSetNode | None, out: set[str]) -> None:
    from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode

    for selection in node.selections if node else ():
        if isinstance(selection, FragmentSpreadNode):
            out.add(selection.name.value)
        elif isinstance(selection, FieldNode | InlineFragmentNode):
            _spreads(selection.selection_set, out)


def with_shared_fragments(text: str) -> str:
    """`text` plus the shared fragments it uses and does not define itself."""
    from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

    document = parse(text)
    defined = {d.name.value for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    shared = shared_fragments()
    wanted: set[str] = set()
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            _spreads(definition.selection_set, wanted)
    added: list[str] = []
    todo = sorted(wanted - defined)
    while todo:
        name = todo.pop(0)
        if name in defined or name not in shared:
            continue
        defined.add(name)
        fragment = shared[name]
        assert fragment.loc is not None
        added.append(fragment.loc.source.body[fragment.loc.start : fragment.loc.end])
        more: set[str] = set()
        _spreads(fragment.selection_set, more)
        todo.extend(sorted(more - defined))
    return "\n\n".join([text.rstrip(), *added]) + "\n" if added else text


@functools.cache
def load_operation(name: str) -> Operation:
    """The operation stored in `operations/<name>.graphql`, with the shared fragments it uses."""
    from graphql import GraphQLError

    if not name.replace("_", "").isalnum() or name == FRAGMENTS_FILE:
        raise OperationError(f"not an operation name: {name!r}")
    try:
        text = with_shared_fragments(_read(name))
    except GraphQLError as error:
        raise OperationError(f"{name}: {error.message}") from None
    return operation_from_text(name, text)
