"""Copying named fields between records: a row becomes a dataclass by its field names.

Where a dataclass mirrors a database row or another record field by field, the names are the
contract; reading them by name keeps one list of fields (the dataclass) instead of a second
copy at every place a row is turned into a record.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


def attributes(source: object, *names: str) -> dict[str, Any]:
    """`{name: source.name}` for each name."""
    return {name: getattr(source, name) for name in names}


def from_attributes(cls: type[T], source: object, **given: Any) -> T:
    """An instance of the dataclass `cls`: the values in `given`, every other field read from
    the attribute of `source` with the same name (missing ones raise AttributeError)."""
    names = [f.name for f in fields(cls) if f.init and f.name not in given]
    return cls(**attributes(source, *names), **given)
