"""Pieces of plain SQL text the library's hand-written queries share.

Queries on hot paths (pushes, the window's table, OPDS pages) are plain SQL with parameters;
this module builds the parts of them that depend on how many values there are.
"""

from __future__ import annotations

from collections.abc import Collection


def marks(values: Collection[object]) -> str:
    """The parameter marks of an `IN (...)` list of `values`: "?, ?, ?"."""
    return ", ".join("?" * len(values))


def in_list(column: str, values: Collection[object]) -> str:
    """`column IN (?, ?, …)` for `values`; with none, a condition no row meets (SQLite accepts
    `IN ()`, other readers of the text may not)."""
    return f"{column} IN ({marks(values)})" if values else "0"
