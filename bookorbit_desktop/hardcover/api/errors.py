"""Everything that can go wrong talking to Hardcover, as errors a person can act on.

Each class carries a title and a message that says what to do next; callers (CLI, tray, sync)
show them as they are. None of them ever contains the token, whatever Hardcover echoed.
"""

from __future__ import annotations

from typing import Any

from bookorbit_desktop.errors import CONNECT, BookOrbitError
from bookorbit_desktop.logging_setup import redact

# Where a person creates a token with every scope BookOrbit uses already ticked. Required: the
# scopes of Hardcover's "E-Reader / Sync Client" preset (hardcover-api.md §1.2a), without which
# nothing syncs. The link also asks for the scopes of single features, which go off without
# them (`token_health.FEATURES`) while the rest keeps working: `read:journal` (reading back a
# journal entry whose answer was lost), `read:lists` (the user's lists, read by every pull),
# `read:goals` and `write:goals` (the reading goals kept with Hardcover's).
REQUIRED_SCOPES = ("read:catalog", "read:library", "write:library", "read:me:content")
REQUESTED_SCOPES = (*REQUIRED_SCOPES, "read:journal", "read:lists", "read:goals", "write:goals")
TOKEN_PAGE_URL = "https://hardcover.app/account/api/keys/new?scope=" + "%20".join(REQUESTED_SCOPES)
_CONNECT_AGAIN = f"Create a new token at {TOKEN_PAGE_URL} and connect with it."


def _said(detail: str | None) -> str:
    return f" (Hardcover said: {detail})" if detail else ""


class HardcoverError(BookOrbitError):
    """Base class of every Hardcover problem.

    `detail` is what Hardcover (or the connection) said and `status` the HTTP status, when
    known: for logs and tests, the message already says what to do.
    """

    title = "Hardcover"

    def __init__(
        self, message: str, *, detail: str | None = None, status: int | None = None
    ) -> None:
        # What Hardcover says may echo the token: the one in use is masked by value (the
        # client registers it), others by their shape, before any terminal or log sees it.
        super().__init__(redact(message))
        self.detail = redact(detail) if detail else detail
        self.status = status
        # Set by the client for the request that failed: an attempt of it may have been carried
        # out (an answer after it was sent: 5xx, 408, a timeout, a dropped connection), or may
        # still be (a timeout, 408, 504, a dropped connection: Hardcover may still be at it).
        self.maybe_applied = False
        self.may_still_land = False
        # Set by `sync.remote.send` for a write's own request: certainly not carried out.
        self.refused = False


class NotConnectedError(HardcoverError):
    title = "Not connected to Hardcover"
    remedy: str | None = CONNECT

    def __init__(self) -> None:
        super().__init__(
            f"No Hardcover token is saved for this library. Create one at {TOKEN_PAGE_URL} "
            "and connect with it."
        )


class InvalidTokenFormatError(HardcoverError):
    title = "That does not look like a Hardcover token"


class AuthError(HardcoverError):
    """401 or an in-band JWT error: the token expired, was revoked or was never valid."""

    title = "Hardcover token expired or revoked"
    remedy: str | None = CONNECT

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(
            f"Hardcover did not accept the saved token{_said(detail)}. Syncing is paused "
            f"until you connect a new one. {_CONNECT_AGAIN}",
            detail=detail,
        )


class SuppliedTokenRejectedError(AuthError):
    """Hardcover refused a token given for one run (environment or file): nothing is paused,
    since the next run may bring another token."""

    remedy = None  # another token for the next run, not a connection to save

    def __init__(self, source: str, detail: str | None = None) -> None:
        HardcoverError.__init__(
            self,
            f"Hardcover did not accept the token from {source}{_said(detail)}. Check that it "
            f"is whole and has not expired, or create a new one at {TOKEN_PAGE_URL}, and run "
            "the command again.",
            detail=detail,
        )


class ScopeError(HardcoverError):
    """403 insufficient_scope: the token works but lacks a permission."""

    title = "Hardcover token is missing a permission"

    def __init__(self, scope: str | None, detail: str | None = None) -> None:
        wanted = f'the "{scope}" scope' if scope else "a scope BookOrbit needs"
        super().__init__(
            f"The Hardcover token lacks {wanted}. Create a token that includes "
            f"{', '.join(REQUESTED_SCOPES)} at {TOKEN_PAGE_URL} and connect again.",
            detail=detail,
        )
        self.scope = scope


class RateLimitedError(HardcoverError):
    """429 (or our own budget) and waiting longer is not reasonable right now."""

    title = "Hardcover rate limit reached"

    def __init__(self, retry_after: float, *, daily: bool = False) -> None:
        if daily:
            hint = "Today's request allowance is used up; BookOrbit continues after it resets"
        else:
            hint = "Hardcover asked BookOrbit to slow down"
        minutes = max(1, round(retry_after / 60))
        super().__init__(f"{hint} (in about {minutes} min). Nothing was lost.")
        self.retry_after = retry_after
        self.daily = daily


class _StatusError(HardcoverError):
    """An HTTP status Hardcover answered with; `words` says it ({status} and {detail})."""

    words = ""

    def __init__(self, status: int, detail: str | None = None) -> None:
        message = self.words.format(status=status, detail=detail)
        super().__init__(message, detail=detail, status=status)


class UnavailableError(_StatusError):
    """5xx/408 that did not go away after retrying."""

    title = "Hardcover is not answering properly"
    words = (
        "Hardcover answered with an error (HTTP {status}) several times. It is probably a "
        "temporary problem on Hardcover's side; try again in a few minutes."
    )


class NetworkError(HardcoverError):
    """No answer at all: offline, DNS, refused connection, timeout."""

    title = "Cannot reach Hardcover"

    def __init__(self, detail: str) -> None:
        super().__init__(
            "BookOrbit could not reach Hardcover. Check the internet connection and try "
            f"again. ({detail})",
            detail=detail,
        )


class RequestRejectedError(_StatusError):
    """Hardcover refused the request itself (400, 403 limits, blocked operators, quota)."""

    title = "Hardcover refused the request"
    words = (
        "Hardcover refused a request (HTTP {status}: {detail}). Please report this problem "
        "with the log file attached."
    )


class GraphQLResponseError(HardcoverError):
    """The request was answered with GraphQL `errors` (in-band, usually HTTP 200)."""

    title = "Hardcover reported an error"

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        messages = "; ".join(str(e.get("message", e)) for e in errors) or "unknown error"
        super().__init__(
            f"Hardcover could not answer a request: {messages}. Please report this problem "
            "with the log file attached."
        )
        self.errors = errors


class SearchFailedError(HardcoverError):
    """`search` answered with its own `error` set: Hardcover could not run the search."""

    title = "Hardcover search failed"

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Hardcover could not run the search ({detail}). Try again in a few minutes.",
            detail=detail,
        )


class MutationError(HardcoverError):
    """A mutation answered 200 but with its own `error` field set."""

    title = "Hardcover did not accept a change"

    def __init__(self, field: str, detail: str, data: dict[str, Any] | None = None) -> None:
        super().__init__(f"Hardcover did not accept the change ({field}): {detail}", detail=detail)
        self.field = field
        self.data = data or {}


class BadResponseError(HardcoverError):
    """The answer was not the JSON Hardcover's API sends (e.g. an HTML error page)."""

    title = "Unexpected answer from Hardcover"

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(
            f"Hardcover answered something BookOrbit does not understand (HTTP {status}: "
            f"{detail}). Try again later; if it persists, check BOOKORBIT_HARDCOVER_URL.",
            detail=detail,
            status=status,
        )


class KeyringUnavailableError(HardcoverError):
    """No usable OS keyring to keep the token in."""

    title = "No secure password storage found"


class NoKeyringError(KeyringUnavailableError):
    """The machine has no password storage at all, so no token can have been saved: Hardcover
    is not set up (unlike a keyring that is locked or refuses to answer)."""


class TokenRejectedError(HardcoverError):
    """A token being connected was refused by Hardcover (nothing was saved)."""

    title = "Hardcover did not accept this token"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(
            f"The token was not saved{_said(detail)}. Check that you copied all of it and "
            f"that it has not expired, or create a new one at {TOKEN_PAGE_URL}.",
            detail=detail,
        )
