"""GraphQL execution for the fake Hardcover: one generic resolver over the catalogue.

graphql-core validates and executes every document against Hardcover's official schema; this
module supplies the values. Table fields (`books`, `editions`, ...), `*_by_pk`, `*_aggregate`,
relations and stored columns are served generically; `me`, `search`, computed columns and the
user_book mutations (with the server-side side effects of hardcover-api.md §2.8) are explicit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, GraphQLNonNull, GraphQLResolveInfo

from tests.fakes.hardcover_catalog import TABLES, Catalog
from tests.fakes.hardcover_mutations import MUTATIONS
from tests.fakes.hardcover_query import RELATIONS, Selector
from tests.fakes.hardcover_search import search_books

_TABLES = frozenset(TABLES)


@dataclass
class Behaviour:
    """Switches for the server-side behaviours whose details are unconfirmed (§7.4)."""

    # insert_user_book for a book already on the shelf: "upsert" or "error".
    insert_existing: str = "upsert"
    # Does insert_user_book{status_id: 2} stamp started_at = today on its auto-read?
    currently_reading_sets_started: bool = False
    # update_user_book_read: "patch" keeps omitted fields, "replace" nulls them.
    read_update_mode: str = "patch"


@dataclass
class ExecutionContext:
    catalog: Catalog
    selector: Selector
    user_id: int
    behaviour: Behaviour


def computed_column(catalog: Catalog) -> Any:
    """Columns Hardcover derives from other rows."""

    def compute(table: str, row: dict[str, Any], column: str) -> Any:
        if table == "books":
            if column == "cached_contributors":
                return catalog.cached_contributors(row["id"])
            if column == "cached_image":  # {} for a book without a cover, as Hardcover has it
                return {}
            if column == "editions_count":
                return len(catalog.book_editions(row["id"]))
            if column.startswith("default_") and column.endswith("_edition"):
                kind = column.removeprefix("default_").removesuffix("_edition")
                return catalog.default_edition(row, kind)
            if column.startswith("default_") and column.endswith("_edition_id"):
                kind = column.removeprefix("default_").removesuffix("_edition_id")
                edition = catalog.default_edition(row, kind)
                return None if edition is None else edition["id"]
            if column == "book_status":
                return {"id": row["book_status_id"], "status": "Normal"}
        if table == "editions":
            book = catalog.get("books", row["book_id"]) or {}
            if column == "cached_contributors":
                return catalog.cached_contributors(row["book_id"])
            if column in {"title", "subtitle"}:
                return book.get(column)
        if table == "user_book_reads" and column == "progress":
            edition = catalog.get("editions", row.get("edition_id"))
            pages = (edition or {}).get("pages")
            done = row.get("progress_pages")
            if not pages or done is None:
                return None
            return done / pages * 100
        if table == "user_books":
            reads = catalog.reads_of(row["id"])
            if column == "read_count":
                return sum(1 for r in reads if r.get("finished_at"))
            if column == "user_book_status":
                return catalog.get("user_book_statuses", row["status_id"])
        return None

    return compute


def resolve_field(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    """The single field resolver handed to graphql-core's `execute`."""
    context: ExecutionContext = info.context
    parent = info.parent_type.name
    name = info.field_name
    if parent == "query_root":
        return _resolve_root(context, name, args)
    if parent == "mutation_root":
        if name not in MUTATIONS:
            raise GraphQLError(f"the fake Hardcover does not model the mutation {name}")
        return MUTATIONS[name](context, **args)
    if parent in _TABLES and isinstance(source, dict):
        return _resolve_column(context, parent, source, name, args, info)
    if isinstance(source, dict):
        return source.get(name)
    return getattr(source, name, None)


def _resolve_root(context: ExecutionContext, name: str, args: dict[str, Any]) -> Any:
    catalog, selector = context.catalog, context.selector
    if name == "me":
        user = catalog.get("users", context.user_id)
        return selector.select("users", [user], **_list_args(args)) if user else []
    if name == "search":
        query_type = (args.get("query_type") or "book").lower()
        if query_type not in {"book", "books"}:
            return {"error": f"query_type {args.get('query_type')} is not modelled", "ids": []}
        return search_books(
            catalog, args["query"], per_page=args.get("per_page"), page=args.get("page")
        )
    if name.endswith("_by_pk") and name.removesuffix("_by_pk") in _TABLES:
        return catalog.get(name.removesuffix("_by_pk"), args.get("id"))
    if name.endswith("_aggregate") and name.removesuffix("_aggregate") in _TABLES:
        table = name.removesuffix("_aggregate")
        return _aggregate(selector, table, catalog.rows(table), args)
    if name in _TABLES:
        return selector.select(name, catalog.rows(name), **_list_args(args))
    raise GraphQLError(f"the fake Hardcover does not model the query field {name}")


def _resolve_column(
    context: ExecutionContext,
    table: str,
    row: dict[str, Any],
    name: str,
    args: dict[str, Any],
    info: GraphQLResolveInfo,
) -> Any:
    selector = context.selector
    if (table, name) in RELATIONS:
        relation = RELATIONS[(table, name)]
        related = selector.related(table, row, name)
        if relation.many:
            return selector.select(relation.table, related, **_list_args(args))
        return related
    if name.endswith("_aggregate") and (table, name.removesuffix("_aggregate")) in RELATIONS:
        relation = RELATIONS[(table, name.removesuffix("_aggregate"))]
        related = selector.related(table, row, name.removesuffix("_aggregate"))
        return _aggregate(selector, relation.table, related, args)
    value = row[name] if name in row else selector.value(table, row, name)
    if isinstance(value, dict | list) and args.get("path"):
        for part in str(args["path"]).split("."):
            value = value.get(part) if isinstance(value, dict) else None
    if value is None and isinstance(info.return_type, GraphQLNonNull):
        raise GraphQLError(f"the fake Hardcover has no value for {table}.{name}")
    return value


def _aggregate(
    selector: Selector, table: str, rows: list[dict[str, Any]], args: dict[str, Any]
) -> dict[str, Any]:
    listed = _list_args(args)
    # Counting is not subject to the row cap.
    cap, selector.row_cap = selector.row_cap, None
    try:
        chosen = selector.select(table, rows, **listed)
    finally:
        selector.row_cap = cap
    return {"aggregate": {"count": len(chosen)}, "nodes": chosen}


def _list_args(args: dict[str, Any]) -> dict[str, Any]:
    keys = ("where", "order_by", "limit", "offset", "distinct_on")
    return {key: args[key] for key in keys if key in args}
