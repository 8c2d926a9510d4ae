"""Checking the sync account's credentials for kosync and the catalog alike.

The order is what keeps a stranger from stalling the server or guessing fast. An address the
throttle blocks (`throttle.blocked`: too many failed checks lately from it, or, for an address
that never logged in, from its network or from everywhere) is refused first, whatever it
sends, even a login the server remembers as verified: a guesser who hit the right key while
blocked would otherwise learn so at once (`Verdict.BLOCKED`, which says why and how long to
wait). Then a login verified within `accounts.VERIFIED_SECONDS` is answered from memory; a
request without an account or without credentials is refused without hashing anything (and
without counting as a guess); otherwise the throttle decides *before* the password hash whether a
check runs at all, the hash runs on its own thread, and its outcome goes back to the throttle
(`throttle.checked`), which counts the failures. A login whose check just failed, sent again
(KOReader's retries, a verifier's repeated wrong key), is refused without a check and without
counting (`throttle.repeats`). Every refusal is held until the address's next answer slot
(`throttle.answer_delay`: a few a second per address, whatever the number of connections), and
logged within a budget of one line per address per minute (`log_budget`). The stored account
is read off the event loop and reused for `ACCOUNT_SECONDS`, so a burst of requests costs one
read while an account changed by another process is seen within a second
(`accounts.AccountCache`). Every login that succeeds makes its address one that logged in
before (`throttle.logged_in`), and after every refusal the throttle's count of guessing
addresses is read for the window (`ctx.guessing`, `guessing.py`).
"""

from __future__ import annotations

import asyncio
import enum
import logging
import math
from collections.abc import Callable

from bookorbit_desktop.guards.throttle import Admission
from bookorbit_desktop.log_text import for_log
from bookorbit_desktop.server import ServerContext, accounts
from bookorbit_desktop.server.accounts import Account

log = logging.getLogger(__name__)


class Verdict(enum.Enum):
    OK = "ok"
    REFUSED = "refused"  # wrong or missing: "Unauthorized"
    BLOCKED = "blocked"  # too many failed guesses from this address lately: wait, then retry
    BUSY = "busy"  # too many guesses from everywhere at once: try again later


def blocked_message(ctx: ServerContext, address: str) -> str:
    """What a blocked address is told: why, and how long until it may try again."""
    minutes = max(1, math.ceil(ctx.throttle.wait(address) / 60))
    wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    if ctx.throttle.refusal(address) is Admission.GUESSING:
        return (
            "Someone is guessing the password from many addresses, so only devices that "
            f"logged in before are let in. Try again in {wait}."
        )
    return f"Too many wrong passwords from this device. Try again in {wait}."


async def current_account(ctx: ServerContext) -> Account | None:
    return await ctx.account.get(ctx.workers.read)


def verified_at_once(
    ctx: ServerContext, address: str, username: str, key: str, *, what: str
) -> bool:
    """True when this exact login was verified before against the account as read within the
    last second, from an address the throttle does not block: `check_login` would answer OK
    without waiting for anything. False means "ask `check_login`", never "refused"."""
    if ctx.throttle.blocked(address):
        return False
    if not accounts.already_verified(ctx.account.peek(), username, key):
        return False
    ctx.throttle.logged_in(address)
    if ctx.on_login is not None:
        asyncio.get_running_loop().call_soon(_tell, ctx.on_login, what, address)
    return True


async def check_login(
    ctx: ServerContext, address: str, username: str, key: str, *, what: str
) -> Verdict:
    """Whether `username`/`key` (what KOReader sends: md5 of the password) may log in."""
    verdict = await _check(ctx, address, username, key, what=what)
    if verdict is Verdict.OK:
        ctx.throttle.logged_in(address)
        if ctx.on_login is not None:
            asyncio.get_running_loop().call_soon(_tell, ctx.on_login, what, address)
    else:
        ctx.guessing.note(ctx.throttle, ctx.on_guessing)
    if verdict in (Verdict.REFUSED, Verdict.BLOCKED):
        delay = ctx.throttle.answer_delay(address)
        if delay > 0:
            await asyncio.sleep(delay)
    return verdict


def _tell(hook: Callable[[str, str], None], what: str, address: str) -> None:
    try:
        hook(what, address)
    except Exception:
        log.exception("The login hook failed")


async def _check(
    ctx: ServerContext, address: str, username: str, key: str, *, what: str
) -> Verdict:
    if ctx.throttle.blocked(address):
        ctx.throttle.turned_away(address)
        ctx.refusals.line(address, f"Refused a {what} login from {address}: {_why(ctx, address)}")
        return Verdict.BLOCKED
    account = await current_account(ctx)
    if accounts.already_verified(account, username, key):
        return Verdict.OK
    pending = ctx.account.checking.get((username, key))
    if pending is not None and account is not None:  # the same login is being checked now
        # Shielded: a waiter whose client went away must not cancel the others' check.
        return Verdict.OK if await asyncio.shield(pending) else Verdict.REFUSED
    if account is None or not username or not key:  # nothing to check: not a guess
        reason = "no account exists yet" if account is None else "no user name or password"
        ctx.refusals.line(address, f"Refused a {what} login from {address}: {reason}")
        return Verdict.REFUSED
    if ctx.throttle.repeats.seen(account.digest, username, key):  # a retry: no new guess
        ctx.throttle.turned_away(address)
        ctx.refusals.line(
            address,
            f"Refused a {what} login as {for_log(username)} from {address}: "
            "the same wrong user name or password again",
        )
        return Verdict.REFUSED
    admission = ctx.throttle.admit(address)
    if admission in (Admission.ADDRESS_LIMIT, Admission.GUESSING):
        why = _why(ctx, address, admission)
        ctx.refusals.line(address, f"Refused a {what} login from {address}: {why}")
        if ctx.throttle.blocked(address):
            return Verdict.BLOCKED
        # Over a budget only by the checks under way: refused, or asked to retry.
        return Verdict.REFUSED if admission is Admission.ADDRESS_LIMIT else Verdict.BUSY
    if admission is Admission.BUSY:
        ctx.refusals.line(
            address, f"Refused a {what} login from {address}: too many attempts overall"
        )
        return Verdict.BUSY
    check = asyncio.ensure_future(ctx.workers.cpu(accounts.verify, account, username, key))
    # Reported when the check ends, even if every waiter's client went away meanwhile.
    check.add_done_callback(lambda done: _settle(ctx, address, account.digest, username, key, done))
    ctx.account.checking[(username, key)] = check
    try:
        ok = await asyncio.shield(check)
    finally:
        ctx.account.checking.pop((username, key), None)
    if ok:
        return Verdict.OK
    if ctx.throttle.blocked(address):  # this failure was the one too many
        ctx.refusals.line(address, f"Refused a {what} login from {address}: {_why(ctx, address)}")
        return Verdict.BLOCKED
    ctx.refusals.line(
        address,
        f"Refused a {what} login as {for_log(username)} from {address}: "
        "wrong user name or password",
    )
    return Verdict.REFUSED


def _why(ctx: ServerContext, address: str, admission: Admission | None = None) -> str:
    """The reason a log line gives for refusing `address` before a check."""
    if Admission.GUESSING in (admission, ctx.throttle.refusal(address)):
        return "too many attempts from many addresses, and it never logged in"
    return "too many attempts"


def _settle(
    ctx: ServerContext,
    address: str,
    account: bytes,
    username: str,
    key: str,
    check: asyncio.Future[bool],
) -> None:
    """Tell the throttle how a check ended; a key found wrong is remembered, so its retries
    are refused without a check."""
    ok = _passed(check)
    ctx.throttle.checked(address, ok)
    if not ok and not check.cancelled() and check.exception() is None:
        ctx.throttle.repeats.failed(account, username, key)


def _passed(check: asyncio.Future[bool]) -> bool:
    """True when the check ran to the end and found the key right (a check that was cancelled
    or failed counts as a failed guess: it must not give its token back)."""
    return not check.cancelled() and check.exception() is None and check.result()
