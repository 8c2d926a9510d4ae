"""peewee at the edge of the type checker: the shapes its stubs cannot tell.

peewee's stubs type a query's rows as model instances whatever `.tuples()` made of them; the
library's code reads tuple rows through `tuples`, so the one place that says what they are is
here rather than at every loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from peewee import BaseQuery


def tuples(query: BaseQuery) -> Iterator[tuple[Any, ...]]:
    """The rows of `query` as plain tuples (its columns in select order)."""
    return cast("Iterator[tuple[Any, ...]]", iter(query.tuples()))
