"""The fake Hardcover's accounting: per-user token buckets, RateLimit headers, scopes, caps.

Numbers follow hardcover-api.md §1.3 / §7.2: Free = burst 10, 60/min, 5,000/day; Supporter =
burst 15, 60/min, 50,000/day; the daily window resets at 00:00 UTC; every top-level field costs
one token, spent before execution.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from graphql import DocumentNode, FieldNode, FragmentSpreadNode, InlineFragmentNode
from graphql.language import FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode

DAY = 86_400


@dataclass(frozen=True)
class Plan:
    name: str
    burst: int
    per_minute: int
    daily: int


PLANS = {"Free": Plan("Free", 10, 60, 5_000), "Supporter": Plan("Supporter", 15, 60, 50_000)}


@dataclass
class Bucket:
    plan: Plan
    tokens: float
    updated: float
    day: int
    used_today: int = 0

    def refresh(self, now: float) -> None:
        rate = self.plan.per_minute / 60
        self.tokens = min(self.plan.burst, self.tokens + max(now - self.updated, 0) * rate)
        self.updated = now
        if int(now // DAY) != self.day:
            self.day, self.used_today = int(now // DAY), 0

    def retry_after(self, cost: int, now: float) -> int | None:
        """Seconds to wait before `cost` tokens may be spent, or None if they may be now."""
        self.refresh(now)
        if self.used_today + cost > self.plan.daily:
            return max(1, math.ceil((self.day + 1) * DAY - now))
        if self.tokens + 1e-9 < cost:
            return max(1, math.ceil((cost - self.tokens) / (self.plan.per_minute / 60)))
        return None

    def spend(self, cost: int) -> None:
        self.tokens -= cost
        self.used_today += cost

    def headers(self, now: float) -> dict[str, str]:
        self.refresh(now)
        plan = self.plan
        remaining = max(math.floor(self.tokens + 1e-9), 0)
        full_in = math.ceil((plan.burst - self.tokens) / (plan.per_minute / 60))
        daily_left = max(plan.daily - self.used_today, 0)
        midnight = (self.day + 1) * DAY
        return {
            "RateLimit-Policy": (
                f'"{plan.name}";q={plan.per_minute};w=60;burst={plan.burst}, '
                f'"daily";q={plan.daily};w={DAY}'
            ),
            "RateLimit": (
                f'"{plan.name}";r={remaining};t={max(full_in, 0)}, '
                f'"daily";r={daily_left};t={math.ceil(midnight - now)}'
            ),
            "X-RateLimit-Limit": str(plan.burst),
            "X-RateLimit-Remaining": str(min(remaining, daily_left)),
            "X-RateLimit-Reset": str(math.ceil(now + max(full_in, 0))),
            "X-RateLimit-Daily-Limit": str(plan.daily),
            "X-RateLimit-Daily-Remaining": str(daily_left),
            "X-RateLimit-Daily-Reset": str(midnight),
        }


@dataclass
class RateBook:
    """One bucket per user, shared by all of that user's tokens (as on Hardcover)."""

    clock: Callable[[], float]
    buckets: dict[int, Bucket] = field(default_factory=dict)

    def bucket(self, user_id: int, plan_name: str) -> Bucket:
        if user_id not in self.buckets:
            now = self.clock()
            plan = PLANS.get(plan_name, PLANS["Free"])
            self.buckets[user_id] = Bucket(plan, plan.burst, now, int(now // DAY))
        return self.buckets[user_id]


# --------------------------------------------------------------------- top-level fields
def top_level_fields(
    document: DocumentNode, operation_name: str | None
) -> tuple[str, list[str]] | None:
    """(operation type, field names) of the operation that will run, or None if ambiguous."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return None
    operation = operations[0]
    names: list[str] = []
    _collect(operation.selection_set, fragments, names)
    return operation.operation.value, names


def _collect(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    names: list[str],
) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value != "__typename":
                names.append(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            _collect(selection.selection_set, fragments, names)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            _collect(fragments[selection.name.value].selection_set, fragments, names)


# --------------------------------------------------------------------- scopes
_LIBRARY_READ = frozenset({"read:library", "read:library:private"})
_CATALOG_READ = frozenset({"read:catalog", "read:catalog:data", "read:catalog:search"})
_GOALS_READ = frozenset(
    {"read:goals", "read:goals:public", "read:goals:following", "read:goals:private"}
)
_LISTS_READ = frozenset(
    {"read:lists", "read:lists:public", "read:lists:following", "read:lists:private"}
)


def required_scopes(operation: str, field_name: str) -> tuple[frozenset[str], str]:
    """(scopes any of which allows the field, the scope to ask the user to add)."""
    if operation == "mutation":
        if field_name.endswith(("_goal", "_goal_progress")):
            return frozenset({"write:goals"}), "write:goals"
        return frozenset({"write:library"}), "write:library"
    if field_name.startswith("goals"):
        return _GOALS_READ, "read:goals"
    if field_name == "me":
        return frozenset({"read:me", "read:me:content"}), "read:me:content"
    if field_name == "search":
        return frozenset({"read:catalog", "read:catalog:search"}), "read:catalog"
    if field_name.startswith("reading_journals"):
        return frozenset({"read:journal"}), "read:journal"
    if field_name.startswith(("user_books", "user_book_reads")):
        return _LIBRARY_READ, "read:library"
    if field_name.startswith(("lists", "list_books", "followed_lists")):
        return _LISTS_READ, "read:lists"
    return _CATALOG_READ, "read:catalog"


def missing_scope(operation: str, fields: list[str], granted: frozenset[str]) -> tuple[str, str]:
    """(field, scope to add) for the first field the token may not use, or ("", "")."""
    if "all" in granted:
        return "", ""
    for name in fields:
        allowed, ask = required_scopes(operation, name)
        if not allowed & granted:
            return name, ask
    return "", ""
