"""Settings ▸ Hardcover shows the token's expiry and what a missing scope turns off; the tray
warns a week before the expiry, once a day."""

from __future__ import annotations

import time

from bookorbit_desktop.hardcover.api.token_health import PAT, TokenHealth
from bookorbit_desktop.services.hardcover import token_health
from bookorbit_desktop.services.settings import SyncSettings
from bookorbit_desktop.ui.settings.hardcover_tab import HardcoverAccess, HardcoverTab
from bookorbit_desktop.ui.token_notice import TITLE, TokenExpiryNotice

DAY = 86400.0


def _access(name: str | None) -> HardcoverAccess:
    async def connect(token: str, expires: str) -> str:
        return "reader"

    async def disconnect() -> bool:
        return True

    stored = SyncSettings(True, True, True, True, "public", False)
    return HardcoverAccess(lambda: name, connect, disconnect, lambda: stored, lambda s: s)


def test_the_tab_shows_the_expiry_and_the_features_off(library, qtbot):
    soon = time.time() + 3 * DAY
    token_health.save(TokenHealth(kind=PAT, expires_at=soon, missing=("write:library",)))
    tab = HardcoverTab(_access("reader"))
    qtbot.addWidget(tab)
    text = tab.token_health.text()
    assert text.startswith("Token: personal access token, expires ")
    assert "in 3 days" in text
    assert "Missing write:library: off: sync to Hardcover" in text
    assert not tab.token_health.isHidden()
    offline = HardcoverTab(_access(None))
    qtbot.addWidget(offline)
    assert offline.token_health.isHidden()  # nothing to say without an account


async def test_the_tray_notice_says_it_once(library, qtbot):
    token_health.save(TokenHealth(kind=PAT, expires_at=time.time() + 2 * DAY))
    shown: list[tuple[str, str]] = []
    notice = TokenExpiryNotice(lambda title, text: shown.append((title, text)))
    notice.check()
    await notice.task
    notice.check()
    await notice.task
    assert len(shown) == 1 and shown[0][0] == TITLE and "in 2 days" in shown[0][1]
