"""Token health: a JWT's expiry, scopes tried at connect, refusals remembered, the expiry
warning (a week ahead, at most once a day) and the features a missing scope turns off."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.api.credentials import TokenStore
from bookorbit_desktop.hardcover.api.errors import ScopeError
from bookorbit_desktop.hardcover.api.token_health import (
    JWT,
    PAT,
    TokenHealth,
    days_until,
    in_days,
    jwt_expiry,
    parse_expiry,
    probe_scopes,
)
from bookorbit_desktop.services.hardcover import token_health
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from tests.fakes.file_keyring import FileKeyring
from tests.fakes.hardcover_fixtures import make_client

DAY = 86400.0


def _jwt(claims: dict) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def test_a_jwt_says_when_it_expires_and_a_pat_does_not():
    assert jwt_expiry(_jwt({"exp": 1_800_000_000, "sub": "1"})) == 1_800_000_000.0
    assert jwt_expiry(_jwt({"sub": "1"})) is None
    assert jwt_expiry("hc_pat_abcdef") is None
    assert jwt_expiry("eyJhbGciOi.not-base64!.x") is None


def test_the_warning_starts_a_week_ahead_and_names_the_day():
    now = dt.datetime(2026, 11, 20, 12).timestamp()
    health = TokenHealth(kind=PAT, expires_at=now + 8 * DAY)
    assert health.expiry_warning(now) is None
    soon = TokenHealth(kind=PAT, expires_at=now + 3 * DAY)
    assert "in 3 days" in (soon.expiry_warning(now) or "")
    assert "expired" in (TokenHealth(expires_at=now - DAY).expiry_warning(now) or "")
    assert TokenHealth(kind=PAT).expiry_warning(now) is None  # unknown: nothing to say


def test_a_missing_scope_says_which_feature_is_off():
    health = TokenHealth(missing=("write:library", "read:me:content"))
    text = " ".join(health.disabled())
    assert "Missing write:library: off: sync to Hardcover" in text
    assert "Missing read:me:content: off: the reading journal" in text


def test_a_typed_expiry_must_be_a_date():
    assert dt.datetime.fromtimestamp(parse_expiry("2026-12-31")).date() == dt.date(2026, 12, 31)
    with pytest.raises(InvalidValueError, match="YYYY-MM-DD"):
        parse_expiry("next month")


async def test_scopes_are_tried_without_changing_anything(hardcover, clock):
    limited = hardcover.catalog.add_token(hardcover.user_id, scopes={"read:me", "read:catalog"})
    client = make_client(hardcover, clock, limited)
    try:
        missing = await probe_scopes(client, hardcover.user_id)
    finally:
        await client.close()
    assert set(missing) == {
        "read:library",
        "write:library",
        "read:journal",
        "read:lists",
        "read:goals",
    }
    assert hardcover.catalog.rows("user_books") == []


@pytest.fixture
def account(library, hardcover, clock, tmp_path) -> HardcoverAccount:
    return HardcoverAccount(
        TokenStore(FileKeyring(tmp_path / "keyring.json")),
        client_factory=lambda token, **kw: make_client(hardcover, clock, token, **kw),
        clock=clock,
    )


async def test_connect_keeps_the_expiry_and_scopes_and_status_shows_them(account, hardcover):
    no_write = hardcover.catalog.add_token(
        hardcover.user_id, scopes={"read:me:content", "read:library", "read:catalog"}
    )
    await account.connect(no_write, expires="2026-09-05")
    await account.check_keyring()
    token = account.status().token
    assert token["kind"] == PAT and token["expiry_source"] == "entered"
    assert token["missing"] == ["read:goals", "read:journal", "read:lists", "write:library"]
    lines = token_health.lines(now=dt.datetime(2026, 9, 1, 12).timestamp())
    assert lines[0] == "Token: personal access token, expires 2026-09-05"
    assert any("expires on 2026-09-05 (in 4 days)" in line for line in lines)
    assert any(line.startswith("Missing write:library: off: sync to Hardcover") for line in lines)


async def test_a_scope_refused_later_is_remembered(account, hardcover):
    await account.connect(hardcover.token)
    hardcover.catalog.tokens[hardcover.token]["scopes"] = frozenset({"read:me:content"})
    with pytest.raises(ScopeError):
        async with account.open_client() as client:
            await client.execute("ProbeLibrary", {"userId": hardcover.user_id})
    assert "read:library" in token_health.load().missing


def test_the_tray_warning_comes_at_most_once_a_day(library):
    now = dt.datetime(2026, 9, 1, 9).timestamp()
    token_health.save(TokenHealth(kind=JWT, expires_at=now + 2 * DAY, expiry_source="jwt"))
    assert "in 2 days" in (token_health.warning_due(now) or "")
    assert token_health.warning_due(now + 3600) is None  # later the same day
    assert token_health.warning_due(now + DAY) is not None  # the next day


# (now, the expiry) -> whole days left: local calendar days, whatever the hour
WHOLE_DAYS = {
    "an expiry typed 3 days ahead, in the morning": ((8, 3, 23), 3),
    "the same, late in the evening": ((23, 3, 23), 3),
    "the day before, at midnight's end": ((0, 1, 0), 1),
    "the day itself": ((9, 0, 23), 0),
    "a day past": ((9, -1, 23), -1),
}


@pytest.mark.parametrize("given, days", WHOLE_DAYS.values(), ids=WHOLE_DAYS)
def test_days_until_counts_whole_calendar_days(given, days):
    hour, ahead, expiry_hour = given
    now = dt.datetime(2026, 11, 20, hour, 30)
    expiry = dt.datetime.combine(now.date() + dt.timedelta(days=ahead), dt.time(expiry_hour, 59))
    assert days_until(expiry.timestamp(), now.timestamp()) == days


@pytest.mark.parametrize(
    ("days", "text"), [(0, "today"), (1, "tomorrow"), (3, "in 3 days"), (7, "in 7 days")]
)
def test_in_days(days, text):
    assert in_days(days) == text


def test_an_expiry_typed_three_days_ahead_is_in_three_days_and_warned():
    now = dt.datetime(2026, 11, 20, 8, 0).timestamp()
    health = TokenHealth(kind=PAT, expires_at=parse_expiry("2026-11-23"))
    assert health.days_left(now) == 3
    assert health.expires_soon(now)
    line = health.expiry_line(now) or ""
    assert line.startswith("The Hardcover token expires on 2026-11-23 (in 3 days).")
    assert health.expiry_warning(now) == line
    later = TokenHealth(kind=PAT, expires_at=parse_expiry("2026-12-20"))
    assert later.expiry_line(now) == "The Hardcover token expires on 2026-12-20 (in 30 days)."
    assert not later.expires_soon(now) and later.expiry_warning(now) is None
