"""The user's Hardcover account: connect a token, disconnect, and report status.

An application object, not part of the API client: it joins the client (`hardcover.api`),
the keyring, the library's settings and the match counts (`hardcover.matching`), which is why
it lives with the other services the window and the command line call.

The token lives in the keyring (`credentials`); what the app may remember about the account
(username, user id, whether sync is paused because the token stopped working, the last
rate-limit budget Hardcover reported) lives in the library's settings table. Needs an open
library database.

A keyring call can block for a long time (a locked Secret Service collection waits for the
user to answer its unlock prompt), so every one runs on a worker thread, and only when it is
needed: `check_keyring` once at start-up, connect, disconnect, and reading the token when a
client is opened. What the keyring said is remembered, so `status()` never asks it again.

A token supplied for the run (`BOOKORBIT_HARDCOVER_TOKEN` or a token file, see
`credentials.supplied_token`) is used instead of the keyring, which is then never asked.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.hardcover.api.client import HardcoverClient, endpoint_from_env
from bookorbit_desktop.hardcover.api.credentials import (
    SuppliedToken,
    TokenStore,
    backend_name,
    normalize_token,
    supplied_token,
)
from bookorbit_desktop.hardcover.api.errors import (
    TOKEN_PAGE_URL,
    AuthError,
    NotConnectedError,
    SuppliedTokenRejectedError,
    TokenRejectedError,
)
from bookorbit_desktop.hardcover.api.ratelimit import Budget, RateLimiter
from bookorbit_desktop.hardcover.api.records import HardcoverUser
from bookorbit_desktop.hardcover.api.token_health import (
    TokenHealth,
    jwt_expiry,
    parse_expiry,
    probe_scopes,
    token_kind,
)
from bookorbit_desktop.hardcover.matching.store import state_counts
from bookorbit_desktop.library.store.settings import (
    delete_setting,
    get_private,
    get_setting,
    set_setting,
)
from bookorbit_desktop.services.hardcover import token_health

# Private (not user-editable) values in the settings table.
USERNAME_KEY = "hardcover.username"
USER_ID_KEY = "hardcover.user_id"
# {"reason": str, "detail": str | None, "since": float} while the token is refused
PAUSED_KEY = "hardcover.paused"
BUDGET_KEY = "hardcover.rate_budget"  # last budget Hardcover reported, with when
LAST_SYNC_KEY = "hardcover.last_sync"  # Unix seconds of the last finished sync
SYNC_ENABLED_KEY = "hardcover.sync_enabled"

ClientFactory = Callable[..., HardcoverClient]
NOT_CHECKED = "not checked yet"
UNAVAILABLE = "unavailable"
_FROM_ENVIRONMENT = object()  # HardcoverAccount's default: look at the environment per call


@dataclass(frozen=True)
class KeyringCheck:
    """What the keyring last said about the saved token."""

    has_token: bool
    keyring: str  # the backend's name, or UNAVAILABLE
    warnings: tuple[str, ...] = ()

    @property
    def readable(self) -> bool:
        return self.keyring != UNAVAILABLE


@dataclass(frozen=True)
class AccountStatus:
    connected: bool
    username: str | None
    user_id: int | None
    sync_enabled: bool
    paused_reason: str | None
    match_states: dict[str, int]
    last_sync: float | None
    budget: dict[str, Any] | None
    endpoint: str
    keyring: str
    token_page: str = TOKEN_PAGE_URL
    warnings: list[str] = field(default_factory=list)
    token: dict[str, Any] = field(default_factory=dict)  # `token_health.TokenHealth`

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class HardcoverAccount:
    def __init__(
        self,
        store: TokenStore | None = None,
        *,
        supplied: SuppliedToken | object | None = _FROM_ENVIRONMENT,
        client_factory: ClientFactory = HardcoverClient,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store or TokenStore()
        self._supplied = supplied
        self._client_factory = client_factory
        self._clock = clock
        self._limiter: RateLimiter | None = None
        self._keyring: KeyringCheck | None = None
        # Counts connects and disconnects, so a check that was under way meanwhile does not
        # put back what they changed.
        self._keyring_changes = 0

    # ----------------------------------------------------------------- token
    def supplied(self) -> SuppliedToken | None:
        """The token given for this run instead of the keyring's, if any."""
        if self._supplied is _FROM_ENVIRONMENT:
            return supplied_token()
        return self._supplied if isinstance(self._supplied, SuppliedToken) else None

    def has_supplied_token(self) -> bool:
        """Whether a token is given for this run (a malformed one too: using it says why)."""
        try:
            return self.supplied() is not None
        except BookOrbitError:
            return True

    def token(self) -> str:
        """The token supplied for this run, else the saved one (blocking keyring call);
        NotConnectedError when there is none."""
        supplied = self.supplied()
        if supplied is not None:
            return supplied.token
        token = self.store.load()
        if not token:
            raise NotConnectedError()
        return token

    @property
    def keyring_check(self) -> KeyringCheck | None:
        """What the keyring last said (None until `check_keyring` or a keyring action)."""
        return self._keyring

    async def check_keyring(self) -> KeyringCheck:
        """Ask the keyring, on a worker thread, whether a token is saved; remembered."""
        changes = self._keyring_changes
        check = await asyncio.to_thread(self._ask_keyring)
        if changes != self._keyring_changes and self._keyring is not None:
            return self._keyring  # connected or disconnected meanwhile: that is newer
        self._keyring = check
        return check

    def _ask_keyring(self) -> KeyringCheck:
        try:
            supplied = self.supplied()
            if supplied is not None:
                return KeyringCheck(True, f"not used (token from {supplied.source}, not saved)")
            has_token = self.store.load() is not None
        except BookOrbitError as error:  # status must still render when the keyring is broken
            return KeyringCheck(False, UNAVAILABLE, (error.message,))
        return self._check_after_success(has_token)

    def _check_after_success(self, has_token: bool) -> KeyringCheck:
        # The backend is resolved and usable once a keyring call succeeded: no I/O here.
        warning = self.store.insecure_warning()
        warnings = (warning,) if warning else ()
        return KeyringCheck(has_token, backend_name(self.store.backend), warnings)

    def _remember(self, has_token: bool) -> None:
        self._keyring_changes += 1
        self._keyring = self._check_after_success(has_token)

    def limiter(self) -> RateLimiter:
        """The one rate budget of every client this account opens.

        Hardcover counts requests per user, so a client opened right after another (each
        action opens its own) must not start from a full burst. The first one starts from
        the budget Hardcover last reported, possibly to an earlier run of BookOrbit.
        """
        if self._limiter is None:
            self._limiter = RateLimiter(clock=self._clock)
            stored = get_private(BUDGET_KEY)
            if isinstance(stored, dict):
                try:
                    budget = Budget(**{f.name: stored[f.name] for f in fields(Budget)})
                    self._limiter.resume(budget, float(stored["observed_at"]))
                except (KeyError, TypeError, ValueError):
                    pass  # an unreadable old record: start from the plan's full budget
        return self._limiter

    @asynccontextmanager
    async def open_client(self) -> AsyncIterator[HardcoverClient]:
        """A client for the saved token; a 401 pauses sync, the budget is remembered.

        While sync is paused (Hardcover refused this token) nothing is sent with it: the
        AuthError says to connect a new token. A token supplied for the run is used even
        then, and its refusal pauses nothing.
        """
        supplied = self.supplied()
        if supplied is not None:
            # Given for this run only: a refusal says so and pauses nothing.
            client = self._client_factory(supplied.token, limiter=self.limiter())
            try:
                yield client
            except AuthError as error:
                raise SuppliedTokenRejectedError(supplied.source, error.detail) from None
            finally:
                self.remember_budget(client.budget())
                await client.close()
            return
        paused = get_private(PAUSED_KEY)
        if isinstance(paused, dict):
            raise AuthError(paused.get("detail"))
        try:
            token = await asyncio.to_thread(self.token)
        except NotConnectedError:
            self._remember(False)  # removed outside BookOrbit: say so from now on
            raise
        if self._keyring is None or not self._keyring.has_token:
            self._remember(True)
        client = self._client_factory(
            token, on_auth_error=self.pause_for_auth, limiter=self.limiter()
        )
        try:
            yield client
        finally:
            # Every scope Hardcover refused, also where the caller went on without it (the
            # pull without `read:lists`): the window says which feature is off.
            token_health.note_missing(client.refused_scopes)
            self.remember_budget(client.budget())
            await client.close()

    async def connect(
        self, raw_token: str, *, validate: bool = True, expires: str | None = None
    ) -> HardcoverUser | None:
        """Check the token with Hardcover (unless told not to), then keep it in the keyring.

        Nothing is saved when Hardcover refuses the token. Checking also tries each scope
        BookOrbit uses (`token_health.probe_scopes`); `expires` is the expiry the user chose
        for a personal access token (YYYY-MM-DD), a JWT's own is read from it.
        """
        token = normalize_token(raw_token)
        entered = parse_expiry(expires) if expires else None
        missing: tuple[str, ...] = ()
        # Fail before the network call when there is nowhere to keep the token.
        await asyncio.to_thread(self.store.check)
        user = None
        if validate:
            # The token may be another Hardcover user's: its budget starts from what
            # Hardcover reports for it, not from the previous account's.
            limiter = RateLimiter(clock=self._clock)
            client = self._client_factory(token, limiter=limiter)
            try:
                user = await client.me()
                missing = await probe_scopes(client, user.id)
            except AuthError as error:
                raise TokenRejectedError(error.detail) from None
            finally:
                self.remember_budget(client.budget())
                await client.close()
            self._limiter = limiter
        await asyncio.to_thread(self.store.save, token)
        self._remember(True)
        delete_setting(PAUSED_KEY)
        from_jwt = jwt_expiry(token)
        token_health.save(
            TokenHealth(
                kind=token_kind(token),
                expires_at=from_jwt or entered,
                expiry_source="jwt" if from_jwt else "entered" if entered else None,
                missing=missing,
                checked_at=self._clock() if validate else None,
            )
        )
        if user is None:
            delete_setting(USERNAME_KEY)
            delete_setting(USER_ID_KEY)
        else:
            set_setting(USERNAME_KEY, user.username)
            set_setting(USER_ID_KEY, user.id)
        return user

    async def disconnect(self) -> bool:
        """Forget the token and the account details; False when nothing was connected."""
        removed = await asyncio.to_thread(self.store.delete)
        self._remember(False)
        for key in (USERNAME_KEY, USER_ID_KEY, PAUSED_KEY, BUDGET_KEY):
            delete_setting(key)
        token_health.forget()
        self._limiter = None  # the next account may be another Hardcover user
        return removed

    # ----------------------------------------------------------------- state
    def pause_for_auth(self, error: AuthError) -> None:
        """Hardcover refused the saved token: stop syncing until a new one is connected."""
        if get_private(PAUSED_KEY) is None:
            paused = {"reason": error.message, "detail": error.detail, "since": self._clock()}
            set_setting(PAUSED_KEY, paused)

    def remember_budget(self, budget: Budget) -> None:
        if budget.from_server:
            set_setting(BUDGET_KEY, {**asdict(budget), "observed_at": self._clock()})

    def status(self) -> AccountStatus:
        """The account as remembered; never asks the keyring (see `check_keyring`)."""
        check = self._keyring or KeyringCheck(False, NOT_CHECKED)
        connected = check.has_token
        paused = get_private(PAUSED_KEY)
        return AccountStatus(
            connected=connected,
            username=get_private(USERNAME_KEY) if connected else None,
            user_id=get_private(USER_ID_KEY) if connected else None,
            sync_enabled=bool(get_setting(SYNC_ENABLED_KEY)),
            paused_reason=paused.get("reason") if isinstance(paused, dict) else None,
            match_states={state: n for state, n in state_counts().items() if n},
            last_sync=get_private(LAST_SYNC_KEY),
            budget=get_private(BUDGET_KEY),
            endpoint=endpoint_from_env(),
            keyring=check.keyring,
            warnings=list(check.warnings),
            token=token_health.load().to_json() if connected else {},
        )
