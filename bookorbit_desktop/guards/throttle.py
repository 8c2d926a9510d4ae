"""How many failed password checks the server tolerates, per address, per network and in total.

A password check (scrypt) is the one expensive thing a stranger on the Wi-Fi can make the
server do, and each failed check is a guess. So the decision comes *before* the check: `admit`
reserves a check for an address, its network and everyone (and one from a bucket all
addresses share); the caller runs it and reports the outcome with `checked`. A success gives
the shared token back, forgives the address's earlier failures (a person's typos, then the
right password) and makes the address one that logged in before (`known`); a failure is
remembered for the rule's window. Checks under way count as failures until they are reported,
so parallel guesses on many connections get no more checks than one connection would. The
rule itself, the budgets and who is checked once one is spent, is `login_rules`' tables:

| failed checks | within | then the address is refused outright for |
|---|---|---|
| 10 | 1 h | 2 min |
| 10 more, after that block | 1 h | 4 min, then 8, 16, 32 min, then 1 h each time |
| none for a day after a block | - | the next block is 2 min again |

and 20 per network (/24, /64), 30 for all addresses together, past which only addresses that
logged in before are checked (`Admission.GUESSING` for the others) until the block, 2 minutes
doubling to 4 hours, ends. `guessing()` says from how many addresses that never logged in the
failed and refused logins of the last hour came, while such a block lasts: the window shows it.

While an address is blocked *no* login from it is accepted, not even the right key of a login
the server remembers as verified (`blocked` is asked first): a guesser who found the key while
blocked would otherwise learn so at once. A real device's few wrong keys (and a conformance
verifier's handful) stay far inside the 10, and a login that just failed, sent again, is
neither checked nor counted again (`repeats`: the caller asks `repeats.seen` first and tells
`repeats.failed` after a failed check), so KOReader retrying a stale key never blocks it.

Every refusal to one address, checked or not, leaves at most `ANSWERS_PER_SECOND` a second,
however many connections it uses (`answer_delay`: each refusal takes the next free slot,
1/`ANSWERS_PER_SECOND` after the previous one, and the handler holds its answer until then;
the per-address connection cap, `connections.PER_ADDRESS`, bounds how many wait, so none waits
more than about 3 s). A typo at a person's pace is answered at once. No other address is
affected.

An empty *address* allowance means that address is guessing: it gets "Unauthorized" (and,
while blocked, how long it must wait). An empty *global* bucket means many addresses are
guessing at once: the caller answers with a retryable error instead, so a real device queues
its push rather than being told its password is wrong. Registration from a device runs a hash
too; it has a throttle of its own (`registration_throttle`, `REGISTRATIONS`), so registrations
never use up the login budget, nor logins the registration budget. All rules are pure and
driven by an injected clock.

| what | per address | all addresses |
|---|---|---|
| failed login checks | the table above | 12, then 8 a second |
| failed or pending registrations | 3 in 10 min, then 1 min, doubling to 1 h | 4, then 1 a second |
| refusals | 5 a second, whatever the number of connections | - |
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from bookorbit_desktop.guards.addresses import network_of
from bookorbit_desktop.guards.login_rules import (
    LOGINS,
    REGISTRATIONS,
    Admission,
    Budget,
    Failures,
    Rule,
    decide,
)
from bookorbit_desktop.guards.repeats import RecentFailures

__all__ = ["ANSWERS_PER_SECOND", "LOGINS", "REGISTRATIONS", "Admission", "LoginThrottle", "Rule"]

ANSWERS_PER_SECOND = 5.0  # refusals answered to one address, at most
_MAX_TRACKED = 10_000
MAX_KNOWN = 1_000  # addresses that logged in: a household's devices, many times over


class TokenBucket:
    """`burst` tokens, refilled at `rate` per second; `take()` spends one (or `amount`) when
    there are that many, `give_back()` returns one."""

    __slots__ = ("_burst", "_rate", "_stamp", "_tokens")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self._rate = rate
        self._burst = burst
        self._tokens = burst
        self._stamp = now

    def _refill(self, now: float) -> None:
        if now > self._stamp:
            self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
            self._stamp = now

    def tokens(self, now: float) -> float:
        self._refill(now)
        return self._tokens

    def available(self, now: float) -> bool:
        return self.tokens(now) >= 1.0

    def take(self, now: float, amount: float = 1.0) -> bool:
        """Spend `amount` tokens when there are that many."""
        if self.tokens(now) < amount:
            return False
        self._tokens -= amount
        return True

    def wait(self, now: float, amount: float) -> float:
        """Seconds until `amount` tokens are there (infinite past the burst)."""
        if amount > self._burst:
            return math.inf
        return max(0.0, amount - self.tokens(now)) / self._rate

    def give_back(self, now: float) -> None:
        self._refill(now)
        self._tokens = min(self._burst, self._tokens + 1.0)

    def full(self, now: float) -> bool:
        return self.tokens(now) >= self._burst


class _Address(Failures):
    """An address's failures and block, and when its next refusal may leave."""

    __slots__ = ("next_answer",)

    def __init__(self, now: float) -> None:
        super().__init__(now)
        self.next_answer = now

    def quiet(self, now: float, budget: Budget) -> bool:
        return super().quiet(now, budget) and now >= self.next_answer


_Counted = TypeVar("_Counted", bound=Failures)


class _Table(Generic[_Counted]):
    """Failures by address or by network, at most `max_tracked` of them: quiet ones are
    forgotten first, then the oldest that is neither blocked nor being checked; a block is
    never forgotten (a spray of new addresses must not end one)."""

    def __init__(self, make: Callable[[float], _Counted], budget: Budget, max_tracked: int):
        self._make = make
        self._budget = budget
        self._max = max_tracked
        self.entries: OrderedDict[str, _Counted] = OrderedDict()

    def get(self, key: str, now: float) -> _Counted | None:
        """The entry, made if new; None when there is no room for another."""
        entry = self.entries.get(key)
        if entry is None:
            if len(self.entries) >= self._max and not self._make_room(now):
                return None
            entry = self.entries[key] = self._make(now)
        self.entries.move_to_end(key)
        return entry

    def _make_room(self, now: float) -> bool:
        for key in [key for key, entry in self.entries.items() if entry.quiet(now, self._budget)]:
            del self.entries[key]
        if len(self.entries) < self._max:
            return True
        for key, entry in list(self.entries.items()):
            if entry.checking == 0 and not entry.blocked(now):
                del self.entries[key]
                if len(self.entries) < self._max:
                    return True
        return False


class LoginThrottle:
    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        rule: Rule = LOGINS,
        *,
        answers_per_second: float = ANSWERS_PER_SECOND,
        max_tracked: int = _MAX_TRACKED,
    ) -> None:
        self._clock = clock
        self.rule = rule
        self._answer_gap = 1.0 / answers_per_second
        self._max_tracked = max_tracked
        self._addresses = _Table(_Address, rule, max_tracked)
        self._networks = _Table(Failures, rule.network or rule, max_tracked)
        self._everyone = Failures(clock())
        self._known: OrderedDict[str, None] = OrderedDict()  # addresses that logged in
        self._tried: OrderedDict[str, float] = OrderedDict()  # unknown addresses that failed
        self._guessing_until = clock()  # when the last block of a network or everyone ends
        self._global = TokenBucket(rule.global_rate, rule.global_burst, clock())
        self.repeats = RecentFailures(clock)  # logins that just failed: refused unchecked
        self.refused = 0  # requests answered without a check, for logs and benchmarks

    # -- who is refused before a check -------------------------------------------------------

    def known(self, address: str) -> bool:
        """True when a login from `address` succeeded before (the last `MAX_KNOWN` of them)."""
        return address in self._known

    def logged_in(self, address: str) -> None:
        """A login from `address` succeeded (checked now or answered from memory)."""
        self._known[address] = None
        self._known.move_to_end(address)
        while len(self._known) > MAX_KNOWN:
            self._known.popitem(last=False)
        self._tried.pop(address, None)

    def _network(self, address: str) -> Failures | None:
        # No network has failed yet (nearly always): no address to read (each request asks).
        if not self.rule.network or not self._networks.entries:
            return None
        return self._networks.entries.get(network_of(address))

    def refusal(self, address: str) -> Admission | None:
        """Why every login from `address` is refused now, whatever key it sends: its own block
        (`ADDRESS_LIMIT`) or the block of its network or of everyone (`GUESSING`); None when
        it may be checked."""
        now = self._clock()
        state = self._addresses.entries.get(address)
        network = self._network(address)
        answer = decide(
            state is not None and state.blocked(now),
            self.known(address),
            network is not None and network.blocked(now),
            self.rule.everyone is not None and self._everyone.blocked(now),
        )
        return None if answer is Admission.CHECK else answer

    def blocked(self, address: str) -> bool:
        """True while `address` is refused outright, whatever key it sends."""
        return self.refusal(address) is not None

    def wait(self, address: str) -> float:
        """Seconds until the blocks that refuse `address` end (0 when it is not refused)."""
        refusal = self.refusal(address)
        if refusal is None:
            return 0.0
        now = self._clock()
        blocks: list[Failures | None] = [self._addresses.entries.get(address)]
        if refusal is Admission.GUESSING:
            blocks += [self._network(address), self._everyone]
        return max(0.0, *(entry.blocked_until - now for entry in blocks if entry is not None))

    def turned_away(self, address: str) -> None:
        """A login from `address` was refused without a check (by the caller, or by `admit`):
        counted, and its address remembered for `guessing`."""
        self.refused += 1
        self._tried_from(address)

    def _tried_from(self, address: str) -> None:
        if self.known(address):
            return
        self._tried[address] = self._clock()
        self._tried.move_to_end(address)
        while len(self._tried) > self._max_tracked:
            self._tried.popitem(last=False)

    def guessing(self) -> int:
        """While a network or everyone is blocked: from how many addresses that never logged
        in the failed or refused logins of the last `Rule.window` came (at least 1); else 0."""
        now = self._clock()
        if now >= self._guessing_until:
            return 0
        while self._tried and next(iter(self._tried.values())) <= now - self.rule.window:
            self._tried.popitem(last=False)
        return max(1, len(self._tried))

    # -- checks ------------------------------------------------------------------------------

    def admit(self, address: str) -> Admission:
        """Decide before checking a password from `address`; a CHECK counts as a failure of
        the address, its network and everyone, and holds a token of the global bucket, until
        `checked` reports it."""
        now = self._clock()
        rule = self.rule
        state = self._addresses.get(address, now)
        network = self._networks.get(network_of(address), now) if rule.network else None
        if state is None or (rule.network is not None and network is None):
            self.turned_away(address)  # no room to track it: a spray of addresses
            return Admission.BUSY
        answer = decide(
            state.over(now, rule),
            self.known(address),
            network is not None and rule.network is not None and network.over(now, rule.network),
            rule.everyone is not None and self._everyone.over(now, rule.everyone),
        )
        if answer is Admission.CHECK and not self._global.take(now):
            answer = Admission.BUSY
        if answer is not Admission.CHECK:
            self.turned_away(address)
            return answer
        for entry in (state, network, self._everyone):
            if entry is not None:
                entry.checking += 1
        return Admission.CHECK

    def checked(self, address: str, ok: bool) -> None:
        """A check `admit`ted for `address` ended. A success gives the global token back,
        forgives the address's failures and makes it known; a failure is counted, and the one
        that reaches a budget within its window blocks (longer at each block in a row). A
        failure from an address that logged in before spends only its own budget."""
        now = self._clock()
        if ok:
            self._global.give_back(now)
        shared = [(self._network(address), self.rule.network), (self._everyone, self.rule.everyone)]
        for entry, _budget in shared:
            if entry is not None:
                entry.checking = max(0, entry.checking - 1)
        state = self._addresses.entries.get(address)
        if state is not None:  # else forgotten under a spray of addresses: nothing to settle
            state.checking = max(0, state.checking - 1)
            if ok:
                state.failures.clear()
            else:
                state.failed(now, self.rule)
        if ok:
            self.logged_in(address)
            return
        if self.known(address):
            return
        self._tried_from(address)
        for entry, budget in shared:
            if entry is not None and budget is not None:
                entry.failed(now, budget)
                if entry.blocked(now):
                    self._guessing_until = max(self._guessing_until, entry.blocked_until)

    def answer_delay(self, address: str) -> float:
        """Seconds to hold a refusal to `address`: each takes the next free slot, at most
        `ANSWERS_PER_SECOND` a second, so a refusal at a person's pace leaves at once and
        parallel guesses queue."""
        now = self._clock()
        state = self._addresses.get(address, now)
        if state is None:  # no room to track it: held one slot, as a guess would be
            return self._answer_gap
        slot = max(now, state.next_answer)
        state.next_answer = slot + self._answer_gap
        return slot - now

    def tracked(self) -> int:
        return len(self._addresses.entries)


def registration_throttle(clock: Callable[[], float] = time.monotonic) -> LoginThrottle:
    """The throttle for registrations from devices: the same rules, its own numbers."""
    return LoginThrottle(clock, REGISTRATIONS)
