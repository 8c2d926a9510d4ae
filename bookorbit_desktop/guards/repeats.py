"""Logins that just failed: a device retrying the same wrong key is refused at once, uncounted.

KOReader repeats a request that got no answer, and the kosync conformance suite sends the same
wrong key several times in a row. A repeat is no new guess, so it must neither spend the
address's budget of failed checks (`throttle`) nor run the hash again. `RecentFailures`
remembers each (user, key) pair whose check failed, together with the account it failed
against, for `REPEAT_SECONDS`; a pair it remembers is refused without a check. It stores a
keyed BLAKE2b digest of the pair (the key is random and lives only in this process), never the
key itself, and at most `MAX_REMEMBERED` of them, the oldest forgotten first. The account is
part of the digest, so once the password is changed a remembered failure no longer matches:
a device that already holds the new password is checked again at once. Pure, driven by an
injected clock.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable

REPEAT_SECONDS = 60.0  # longer than a device's retries, shorter than a person's patience
MAX_REMEMBERED = 1_000  # 16-byte digests: a few tens of kilobytes at most


class RecentFailures:
    """(account, user, key) digests whose check failed less than `seconds` ago."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        seconds: float = REPEAT_SECONDS,
        max_remembered: int = MAX_REMEMBERED,
    ) -> None:
        self._clock = clock
        self._seconds = seconds
        self._max_remembered = max_remembered
        self._secret = secrets.token_bytes(32)
        self._failed: OrderedDict[bytes, float] = OrderedDict()  # digest -> when, oldest first

    def _digest(self, account: bytes, username: str, key: str) -> bytes:
        digest = hashlib.blake2b(key=self._secret, digest_size=16)
        for part in (account, username.encode("utf-8", "replace"), key.encode("utf-8", "replace")):
            digest.update(len(part).to_bytes(8, "big") + part)
        return digest.digest()

    def _expire(self, now: float) -> None:
        while self._failed:
            when = next(iter(self._failed.values()))
            if now - when < self._seconds:
                break
            self._failed.popitem(last=False)

    def failed(self, account: bytes, username: str, key: str) -> None:
        """The check of `username`/`key` against `account` (its stored digest) just failed."""
        now = self._clock()
        self._expire(now)
        digest = self._digest(account, username, key)
        self._failed.pop(digest, None)
        self._failed[digest] = now
        while len(self._failed) > self._max_remembered:
            self._failed.popitem(last=False)

    def seen(self, account: bytes, username: str, key: str) -> bool:
        """True when this exact login failed against `account` less than `seconds` ago."""
        self._expire(self._clock())
        return self._digest(account, username, key) in self._failed

    def remembered(self) -> int:
        return len(self._failed)
