"""How long the Hardcover token lasts and what it may do, and which features that turns off.

Hardcover has no query that describes a token: its schema has no introspection field for one.
So what is known comes from three places. A legacy token is a JWT whose `exp` claim is its
expiry (and it carries every scope). A personal access token (`hc_pat_…`) is opaque: its
expiry is the date the user chose when creating it, which they may enter when connecting; its
scopes are learned by asking Hardcover once per scope at connect time, with requests that
change nothing (`Probe*` operations: one row read, or an update of entry 0, which no one has),
and by every "insufficient_scope" answer later.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.api.errors import ScopeError

if TYPE_CHECKING:
    from bookorbit_desktop.hardcover.api.client import HardcoverClient

WARN_DAYS = 7
PAT, JWT, OTHER = "personal access token", "legacy token", "token"
# Each scope BookOrbit uses, and what goes without it (hardcover-api.md §1.2).
FEATURES: dict[str, str] = {
    "write:library": "sync to Hardcover and sending highlights to the reading journal",
    "read:library": "the pull from Hardcover (status, ratings, dates changed there)",
    "read:catalog": "matching books to Hardcover",
    "read:me:content": "the reading journal (connecting and the journal's account checks)",
    "read:journal": "checking journal entries whose answer was lost",
    "read:lists": "your Hardcover lists as shelves (in the window and the e-reader's catalog)",
    "read:goals": "your reading goals from Hardcover",
    "write:goals": "sending reading goals set here to Hardcover",
}
# How each scope is tried: (operation, needs the user id).
PROBES: dict[str, tuple[str, bool]] = {
    "read:library": ("ProbeLibrary", True),
    "read:catalog": ("ProbeCatalog", False),
    "write:library": ("ProbeWrite", False),
    "read:journal": ("ProbeJournal", True),
    "read:lists": ("ProbeLists", True),
    "read:goals": ("ProbeGoals", True),
}


def token_kind(token: str) -> str:
    if token.startswith("hc_pat_"):
        return PAT
    if token.startswith("eyJ") and token.count(".") == 2:
        return JWT
    return OTHER


def jwt_expiry(token: str) -> float | None:
    """The `exp` claim of a JWT (Unix seconds), or None when there is none or it is unreadable.
    The signature is not checked: only Hardcover can, and it does on every request."""
    if token_kind(token) != JWT:
        return None
    payload = token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


def parse_expiry(text: str) -> float:
    """A date the user typed (YYYY-MM-DD) as the end of that day, local time."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValueError(
            f"{text!r} is not a date. Give the token's expiry as YYYY-MM-DD, as Hardcover "
            "showed it when the token was created."
        ) from None
    return dt.datetime.combine(day, dt.time(23, 59, 59)).timestamp()


def days_until(moment: float, now: float) -> int:
    """Whole days from today to `moment`'s day, counted in local calendar days: 0 on the day
    itself, 1 the day before, negative once past. The one count the window, the tray and the
    command line all say."""
    return (dt.date.fromtimestamp(moment) - dt.date.fromtimestamp(now)).days


def in_days(days: int) -> str:
    """ "today", "tomorrow", "in 3 days" (`days_until`'s count)."""
    if days <= 0:
        return "today"
    return "tomorrow" if days == 1 else f"in {days} days"


@dataclass(frozen=True)
class TokenHealth:
    kind: str = OTHER
    expires_at: float | None = None  # None: unknown, or never
    expiry_source: str | None = None  # "jwt" | "entered"
    missing: tuple[str, ...] = ()  # scopes Hardcover refused
    checked_at: float | None = None  # when the scopes were tried

    def days_left(self, now: float) -> int | None:
        """Whole days until the expiry (`days_until`), None when unknown."""
        return None if self.expires_at is None else days_until(self.expires_at, now)

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def expires_soon(self, now: float) -> bool:
        """Within the week before the expiry, or past it: the time to warn."""
        left = self.days_left(now)
        return left is not None and left <= WARN_DAYS

    def expiry_line(self, now: float) -> str | None:
        """ "The Hardcover token expires on 2026-11-29 (in 3 days)." (None when unknown); from
        a week before on, with what to do."""
        if self.expires_at is None:
            return None
        day = dt.datetime.fromtimestamp(self.expires_at).date().isoformat()
        if self.expired(now):
            return f"The Hardcover token expired on {day}. Create a new one and connect with it."
        when = in_days(days_until(self.expires_at, now))
        line = f"The Hardcover token expires on {day} ({when})."
        if not self.expires_soon(now):
            return line
        return line + " Create a new one before then and connect with it, or sync stops."

    def expiry_warning(self, now: float) -> str | None:
        """The expiry line from a week before the expiry on; None before that or when
        unknown."""
        return self.expiry_line(now) if self.expires_soon(now) else None

    def disabled(self) -> list[str]:
        """What does not work for lack of a scope, one sentence each."""
        return [f"Missing {scope}: off: {FEATURES.get(scope, scope)}." for scope in self.missing]

    def expiry_text(self) -> str:
        if self.expires_at is None:
            if self.kind == PAT:
                return "expiry unknown (enter the date Hardcover showed when connecting)"
            return "expiry unknown"
        return dt.datetime.fromtimestamp(self.expires_at).date().isoformat()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "expires_at": self.expires_at,
            "expiry_source": self.expiry_source,
            "missing": list(self.missing),
            "checked_at": self.checked_at,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any] | None) -> TokenHealth:
        if not isinstance(raw, Mapping):
            return cls()
        return cls(
            kind=str(raw.get("kind") or OTHER),
            expires_at=raw.get("expires_at"),
            expiry_source=raw.get("expiry_source"),
            missing=tuple(raw.get("missing") or ()),
            checked_at=raw.get("checked_at"),
        )

    def with_missing(self, scopes: Iterable[str]) -> TokenHealth:
        missing = tuple(sorted({*self.missing, *scopes}))
        return TokenHealth(self.kind, self.expires_at, self.expiry_source, missing, self.checked_at)


async def probe_scopes(client: HardcoverClient, user_id: int) -> tuple[str, ...]:
    """The scopes BookOrbit uses that the token lacks: one request each, changing nothing."""
    missing = []
    for scope, (operation, with_user) in PROBES.items():
        variables = {"userId": user_id} if with_user else {}
        try:
            await client.execute(operation, variables, raise_mutation_errors=False)
        except ScopeError:
            missing.append(scope)
    return tuple(sorted(missing))
